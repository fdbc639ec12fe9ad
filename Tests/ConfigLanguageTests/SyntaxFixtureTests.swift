import ConfigLanguage
import ConfigSource
import Diagnostics
import Foundation
import Testing

/// The repository's root, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// One `# expect-SEVERITY@LINE:COLUMN-END [code]` of a fixture (or of its `.expect` sidecar);
/// END is the exclusive end column, or `LINE:COLUMN` when the range ends on another line
/// (docs/diagnostics.md, "Expectation format").
struct Expectation: Hashable, CustomStringConvertible {
    var severity: String
    var line: Int
    var column: Int
    var endLine: Int
    var endColumn: Int
    var code: String
    var description: String { "\(severity)@\(line):\(column)-\(endLine):\(endColumn) [\(code)]" }

    /// Every expectation in `text`; relative lines (`+1`, `-2`) count from the comment's line.
    static func all(in text: String) -> [Expectation] {
        let pattern = try! NSRegularExpression(
            pattern: #"expect-(error|warning|note)@([+-]?)(\d+):(\d+)-(?:([+-]?)(\d+):)?(\d+) \[([a-z0-9-]+)\]"#)
        var found: [Expectation] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(line)
            let nsLine = line as NSString
            for match in pattern.matches(in: line, range: NSRange(location: 0, length: nsLine.length)) {
                let group = { (i: Int) in nsLine.substring(with: match.range(at: i)) }
                let lineOf = { (sign: String, number: Int) in
                    sign.isEmpty ? number : (index + 1) + (sign == "+" ? number : -number)
                }
                let target = lineOf(group(2), Int(group(3)) ?? 0)
                let endLine = match.range(at: 6).location == NSNotFound ? target : lineOf(group(5), Int(group(6)) ?? 0)
                found.append(
                    Expectation(
                        severity: group(1), line: target, column: Int(group(4)) ?? 0,
                        endLine: endLine, endColumn: Int(group(7)) ?? 0, code: group(8)))
            }
        }
        return found
    }
}

/// The syntax fixtures' inline expectations, checked against the front ends alone (the
/// checker's harness runs them again through the whole pipeline).
@Suite("Syntax fixtures")
struct SyntaxFixtureTests {
    static let directory = repositoryRoot.appendingPathComponent("Fixtures/check/syntax")

    static var fixtures: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".conf") || $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
    }

    @Test func thereIsAFixtureForEveryCodeTheFrontEndsEmit() throws {
        var covered: [String: Set<String>] = [:]  // code → extensions
        for name in Self.fixtures {
            let text = try expectationText(name)
            for expectation in Expectation.all(in: text) {
                covered[expectation.code, default: []].insert(name.hasSuffix(".conf") ? "conf" : "yaml")
            }
        }
        let keyValueOnly: Set<String> = [
            "crlf-line-ending", "missing-equals", "empty-key", "whitespace-in-key",
            "trailing-whitespace", "comment-in-value",
        ]
        let yamlOnly: Set<String> = [
            "yaml-syntax", "yaml-not-mapping", "yaml-wrong-type", "yaml-unknown-field",
            "yaml-missing-field", "yaml-unsupported",
        ]
        let emitted = keyValueOnly.union(yamlOnly).union([
            "file-too-large", "invalid-utf8", "nul-byte", "unknown-key", "duplicate-key", "path-not-absolute",
            "empty-value", "unknown-namespace", "duplicate-namespace", "namespace-mixed-with-all", "empty-namespaces",
            "invalid-size", "unknown-size-suffix", "zero-size", "size-overflow", "invalid-number", "number-out-of-range",
            "invalid-mount", "ambiguous-mount", "invalid-device-limit", "device-major-out-of-range",
            "device-minor-out-of-range",
        ])
        for code in emitted.sorted() {
            let wanted: Set<String> = keyValueOnly.contains(code) ? ["conf"] : yamlOnly.contains(code) ? ["yaml"] : ["conf", "yaml"]
            #expect(wanted.isSubset(of: covered[code] ?? []), "no \(wanted.subtracting(covered[code] ?? [])) fixture for \(code)")
        }
    }

    @Test func everyFixtureProducesExactlyWhatItExpects() throws {
        #expect(Self.fixtures.count > 20)
        for name in Self.fixtures {
            let bytes = try [UInt8](Data(contentsOf: Self.directory.appendingPathComponent(name)))
            let parsed = ConfigParser.parse(SourceFile(path: name, bytes: bytes))
            let expected = Expectation.all(in: try expectationText(name))
            #expect(!expected.isEmpty, "\(name) expects nothing")
            var produced: Set<Expectation> = []
            var producedNotes: Set<Expectation> = []
            for diagnostic in parsed.diagnostics {
                let at = parsed.file.location(of: diagnostic.range.lowerBound)
                let end = parsed.file.location(of: diagnostic.range.upperBound)
                produced.insert(
                    Expectation(
                        severity: diagnostic.severity.rawValue, line: at.line, column: at.column,
                        endLine: end.line, endColumn: end.column, code: diagnostic.code))
                for note in diagnostic.notes {
                    let noteAt = parsed.file.location(of: note.range.lowerBound)
                    let noteEnd = parsed.file.location(of: note.range.upperBound)
                    producedNotes.insert(
                        Expectation(
                            severity: "note", line: noteAt.line, column: noteAt.column,
                            endLine: noteEnd.line, endColumn: noteEnd.column, code: diagnostic.code))
                }
            }
            let expectedDiagnostics = Set(expected.filter { $0.severity != "note" })
            #expect(
                produced == expectedDiagnostics,
                "\(name): unexpected \(produced.subtracting(expectedDiagnostics)), missing \(expectedDiagnostics.subtracting(produced))")
            let expectedNotes = Set(expected.filter { $0.severity == "note" })
            #expect(expectedNotes.isSubset(of: producedNotes), "\(name): missing notes \(expectedNotes.subtracting(producedNotes))")
        }
    }

    /// The fixture's own text, or its sidecar (`NAME.conf.expect` or `NAME.expect`) when there is one.
    private func expectationText(_ name: String) throws -> String {
        for sidecarName in [name + ".expect", (name as NSString).deletingPathExtension + ".expect"] {
            let sidecar = Self.directory.appendingPathComponent(sidecarName)
            if FileManager.default.fileExists(atPath: sidecar.path) {
                return try String(contentsOf: sidecar, encoding: .utf8)
            }
        }
        let data = try Data(contentsOf: Self.directory.appendingPathComponent(name))
        return String(decoding: data, as: UTF8.self)
    }
}
