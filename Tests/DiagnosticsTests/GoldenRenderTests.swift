import ConfigSource
import Diagnostics
import Foundation
import Testing

/// Golden files in Fixtures/render/: for each input config, the expected output of every format.
/// The diagnostics are built by hand (this target does not depend on the parser); the same
/// inputs are rendered from real parser output by scripts/golden.sh through the CLI.
/// `RECORD_GOLDEN=1 swift test --filter GoldenRenderTests` re-records the expected files.
@Suite struct GoldenRenderTests {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/render")

    struct Case: CustomStringConvertible, Sendable {
        let input: String
        /// The path printed in diagnostics (may differ from the fixture's name).
        let shownPath: String
        let diagnostics: @Sendable (SourceFile) -> [Diagnostic]
        var description: String { input }
    }

    static let cases: [Case] = [
        Case(input: "keyvalue.conf", shownPath: "configs/web") { file in
            let firstRoot = file.range(of: "root", occurrence: 1)
            return [
                Diagnostic(
                    .unknownKey, "unknown key 'roto'; did you mean 'root'?", at: file.range(of: "roto"),
                    fixIts: [FixIt("use 'root'", replacing: file.range(of: "roto"), with: "root")]),
                Diagnostic(.unknownNamespace, "unknown namespace letter 'x'", at: file.range(of: "x", after: "namespaces=")),
                Diagnostic(
                    .duplicateKey, "'root' is set twice", at: file.range(of: "root", occurrence: 2),
                    notes: [DiagnosticNote("'root' first set here", at: firstRoot)]),
                Diagnostic(.ambiguousMount, "mount '/a:/b:/c' has two ':'", at: file.range(of: ":", after: "/a:/b")),
                Diagnostic(.unknownSizeSuffix, "unknown size suffix 'Q'", at: file.range(of: "Q")),
                Diagnostic(
                    .trailingWhitespace, "value ends in whitespace", at: file.range(of: " ", after: "512"),
                    fixIts: [FixIt("remove it", replacing: file.range(of: " ", after: "512"), with: "")]),
            ]
        },
        Case(input: "structured.yaml", shownPath: "configs/web.yaml") { file in
            let total = file.range(of: "512M")
            return [
                Diagnostic(.unknownNamespace, "unknown namespace 'spaceship'", at: file.range(of: "spaceship")),
                Diagnostic(
                    .memoryTotalBelowPhysical, "total memory 512M is below physical memory 1G", at: total,
                    notes: [DiagnosticNote("physical memory set here", at: file.range(of: "1G"))]),
                Diagnostic(
                    .yamlWrongType, "read_only must be a boolean, not a string", at: file.range(of: "\"yes\""),
                    fixIts: [FixIt("use true", replacing: file.range(of: "\"yes\""), with: "true")]),
            ]
        },
        Case(input: "crlf.conf", shownPath: "crlf.conf") { file in
            let returns = [file.range(of: "\r", occurrence: 1), file.range(of: "\r", occurrence: 2)]
            return returns.map {
                Diagnostic(
                    .crlfLineEnding, "line ends in CR LF", at: $0,
                    fixIts: [FixIt("remove the carriage return", replacing: $0, with: "")])
            } + [
                Diagnostic(
                    .missingRequiredKey, "missing required key 'namespaces'", at: .point(file.bytes.count),
                    fixIts: [FixIt("add it", replacing: .point(file.bytes.count), with: "namespaces=all\n")])
            ]
        },
        Case(input: "empty.conf", shownPath: "configs/web") { _ in
            [Diagnostic(.duplicateConfig, "container 'web' has more than one config: configs/web, configs/web.yaml; keep only one", at: .point(0))]
        },
        Case(input: "odd-name.conf", shownPath: "odd dir/a,b:c%.conf") { file in
            [Diagnostic(.invalidNumber, "max_processes must be a positive integer or 'max', not 'lots'\nsee docs", at: file.range(of: "lots"))]
        },
    ]

    static let extensions: [(String, DiagnosticFormat)] = [("txt", .text), ("json", .json), ("sarif", .sarif), ("github", .github)]

    @Test(arguments: cases)
    func renderingMatchesGoldenFiles(_ testCase: Case) throws {
        let bytes = try [UInt8](Data(contentsOf: Self.directory.appendingPathComponent(testCase.input)))
        let file = SourceFile(path: testCase.shownPath, bytes: bytes)
        let diagnostics = FileDiagnostics(file: file, diagnostics: testCase.diagnostics(file))
        let record = ProcessInfo.processInfo.environment["RECORD_GOLDEN"] == "1"
        for (fileExtension, format) in Self.extensions {
            var renderer = format.makeRenderer()
            let output = renderer.renderAll([diagnostics])
            let expectedURL = Self.directory.appendingPathComponent(testCase.input + "." + fileExtension)
            if record {
                try Data(output.utf8).write(to: expectedURL)
                continue
            }
            let expected = try String(contentsOf: expectedURL, encoding: .utf8)
            #expect(output == expected, "\(testCase.input) as \(format): re-record with RECORD_GOLDEN=1 if intended")
        }
    }
}

extension SourceFile {
    /// The byte range of the `occurrence`-th match of `needle` (1-based), optionally searched
    /// only after the first match of `after`. Traps when absent: a broken fixture, not a result.
    func range(of needle: String, occurrence: Int = 1, after anchor: String? = nil) -> SourceRange {
        let pattern = Array(needle.utf8)
        var start = 0
        if let anchor {
            let anchorRange = range(of: anchor)
            start = anchorRange.upperBound
        }
        var seen = 0
        var index = start
        while index + pattern.count <= bytes.count {
            if Array(bytes[index..<(index + pattern.count)]) == pattern {
                seen += 1
                if seen == occurrence { return SourceRange(index, index + pattern.count) }
            }
            index += 1
        }
        fatalError("fixture does not contain \(needle.debugDescription) #\(occurrence)")
    }
}
