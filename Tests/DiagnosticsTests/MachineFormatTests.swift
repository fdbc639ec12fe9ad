import ConfigSource
import Diagnostics
import JSONSupport
import Testing

@Suite struct MachineFormatTests {
    static let web = SourceFile(path: "configs/web", text: "root=/a\nrooté=/b\n")
    static let other = SourceFile(path: "dir/x.yaml", text: "init: x\n")
    static let files = [
        FileDiagnostics(
            file: web,
            diagnostics: [
                Diagnostic(
                    .unknownKey, "unknown key 'rooté'", at: SourceRange(8, 14),
                    notes: [DiagnosticNote("a note", at: SourceRange(0, 4))],
                    fixIts: [FixIt("use root", replacing: SourceRange(8, 14), with: "root")])
            ]),
        FileDiagnostics(file: SourceFile(path: "clean", text: "root=/x\n"), diagnostics: []),
        FileDiagnostics(file: other, diagnostics: [Diagnostic(.pathNotAbsolute, "not absolute", at: SourceRange(6, 7))]),
    ]

    private func render(_ format: DiagnosticFormat, _ files: [FileDiagnostics] = files) throws -> JSONValue {
        var renderer = format.makeRenderer()
        return try JSONValue.parse(Array(renderer.renderAll(files).utf8))
    }

    @Test func jsonIsOneDocumentForAllFilesWithExclusiveEndColumns() throws {
        let diagnostics = try #require(try render(.json)["diagnostics"]?.arrayValue)
        #expect(diagnostics.count == 2)
        let first = diagnostics[0]
        #expect(first["file"]?.stringValue == "configs/web")
        #expect([first["line"], first["column"], first["endLine"], first["endColumn"]] == [.integer(2), .integer(1), .integer(2), .integer(6)])
        #expect(first["severity"]?.stringValue == "error")
        #expect(first["code"]?.stringValue == "unknown-key")
        #expect(
            first["notes"]
                == .array([
                    .object([
                        ("message", .string("a note")), ("line", .integer(1)), ("column", .integer(1)), ("endLine", .integer(1)), ("endColumn", .integer(5)),
                    ])
                ]))
        #expect(
            first["fixIts"]
                == .array([
                    .object([
                        ("line", .integer(2)), ("column", .integer(1)), ("endLine", .integer(2)), ("endColumn", .integer(6)), ("replacement", .string("root")),
                    ])
                ]))
        #expect(diagnostics[1]["file"]?.stringValue == "dir/x.yaml")
        guard case let .object(members) = first else {
            Issue.record("not an object")
            return
        }
        #expect(members.map(\.0) == ["file", "line", "column", "endLine", "endColumn", "severity", "code", "message", "notes", "fixIts"])
    }

    @Test func jsonWithoutDiagnosticsIsAnEmptyList() throws {
        #expect(try render(.json, []) == .object([("diagnostics", .array([]))]))
    }

    @Test func sarifHasRulesResultsRelatedLocationsAndFixes() throws {
        let log = try render(.sarif)
        #expect(log["version"]?.stringValue == "2.1.0")
        let run = try #require(log["runs"]?.arrayValue?.first)
        #expect(run["tool"]?["driver"]?["name"]?.stringValue == "container")
        let rules = try #require(run["tool"]?["driver"]?["rules"]?.arrayValue)
        #expect(rules.map { $0["id"]?.stringValue } == ["unknown-key", "path-not-absolute"])
        #expect(rules[0]["shortDescription"]?["text"]?.stringValue == DiagnosticID.unknownKey.ruleDescription)
        let results = try #require(run["results"]?.arrayValue)
        #expect(results.count == 2)
        let result = results[0]
        #expect(result["ruleId"]?.stringValue == "unknown-key")
        #expect(result["level"]?.stringValue == "error")
        #expect(result["message"]?["text"]?.stringValue == "unknown key 'rooté'")
        let location = result["locations"]?.arrayValue?.first?["physicalLocation"]
        #expect(location?["artifactLocation"]?["uri"]?.stringValue == "configs/web")
        #expect(
            location?["region"] == .object([("startLine", .integer(2)), ("startColumn", .integer(1)), ("endLine", .integer(2)), ("endColumn", .integer(6))]))
        #expect(result["relatedLocations"]?.arrayValue?.first?["message"]?["text"]?.stringValue == "a note")
        let replacement = result["fixes"]?.arrayValue?.first?["artifactChanges"]?.arrayValue?.first?["replacements"]?.arrayValue?.first
        #expect(replacement?["insertedContent"]?["text"]?.stringValue == "root")
        #expect(results[1]["locations"]?.arrayValue?.first?["physicalLocation"]?["artifactLocation"]?["uri"]?.stringValue == "dir/x.yaml")
    }

    @Test func sarifURIsArePercentEncoded() {
        #expect(SARIFDiagnosticRenderer.uriReference("a b/c#d%é.yaml") == "a%20b/c%23d%25%C3%A9.yaml")
    }

    @Test func githubAnnotationsEscapeDataAndProperties() {
        let file = SourceFile(path: "a,b:c%", text: "x=1\n")
        var renderer = GitHubDiagnosticRenderer()
        let output = renderer.renderAll([
            FileDiagnostics(
                file: file,
                diagnostics: [
                    Diagnostic(
                        .trailingWhitespace, "50% of\r\nit: a, b", at: SourceRange(2, 3),
                        notes: [DiagnosticNote("here", at: SourceRange(0, 1))])
                ])
        ])
        let lines = output.split(separator: "\n").map(String.init)
        #expect(
            lines == [
                "::warning file=a%2Cb%3Ac%25,line=1,col=3,endLine=1,endColumn=3,title=trailing-whitespace::50%25 of%0D%0Ait: a, b",
                "::notice file=a%2Cb%3Ac%25,line=1,col=1,endLine=1,endColumn=1,title=trailing-whitespace::note: here",
            ])
    }

    @Test func strictPromotionKeepsCodes() {
        let file = FileDiagnostics(file: Self.web, diagnostics: [Diagnostic(.trailingWhitespace, "w", at: .point(0))])
        let promoted = file.promotingWarnings()
        #expect(promoted.diagnostics.map(\.severity) == [.error])
        #expect(promoted.diagnostics.map(\.code) == ["trailing-whitespace"])
    }
}
