import Foundation

/// Golden files: compared with what a test produced, re-recorded when `RECORD_GOLDEN=1`.
public enum GoldenFile {
    /// Whether this run re-records goldens instead of comparing.
    public static let recording = ProcessInfo.processInfo.environment["RECORD_GOLDEN"] == "1"

    /// nil when `actual` equals the golden at `url` (or when recording, after writing it);
    /// otherwise what differs: the first differing line, not two whole documents.
    public static func difference(_ actual: String, golden url: URL) throws -> String? {
        if recording {
            try actual.write(to: url, atomically: true, encoding: .utf8)
            return nil
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            return "missing golden \(url.lastPathComponent): run with RECORD_GOLDEN=1"
        }
        guard actual != expected else { return nil }
        let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let common = min(actualLines.count, expectedLines.count)
        let line = (0..<common).first { actualLines[$0] != expectedLines[$0] } ?? common
        let got = line < actualLines.count ? String(actualLines[line]) : "<end>"
        let want = line < expectedLines.count ? String(expectedLines[line]) : "<end>"
        return "\(url.lastPathComponent) differs at line \(line + 1):\n  got:  \(got)\n  want: \(want)\n(RECORD_GOLDEN=1 re-records)"
    }
}
