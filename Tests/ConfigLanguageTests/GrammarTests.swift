@testable import ConfigLanguage
import ConfigSource
import Foundation
import Testing

/// Grammar/ is normative: it must name exactly the keys the parsers know.
@Suite("Grammar files")
struct GrammarTests {
    private func grammarFile(_ name: String) throws -> String {
        try String(contentsOf: repositoryRoot.appendingPathComponent("Grammar/\(name)"), encoding: .utf8)
    }

    /// The quoted terminals of the production `name = … ;`.
    private func terminals(of production: String, in grammar: String) -> Set<String> {
        guard let start = grammar.range(of: "\n\(production) "),
            let end = grammar[start.upperBound...].range(of: ";")
        else { return [] }
        let body = grammar[start.upperBound..<end.lowerBound]
        var found: Set<String> = []
        var parts = body.split(separator: "\"", omittingEmptySubsequences: false).makeIterator()
        _ = parts.next()
        while let quoted = parts.next() {
            found.insert(String(quoted))
            _ = parts.next()
        }
        return found
    }

    @Test func ebnfKeysAreTheLanguagesKeys() throws {
        let grammar = try grammarFile("keyvalue.ebnf")
        #expect(terminals(of: "known-key", in: grammar) == Set(ConfigKey.allCases.map(\.rawValue)))
        #expect(terminals(of: "namespace-letter", in: grammar) == Set(Namespace.allCases.map { String($0.rawValue) }))
    }

    @Test func schemaPropertiesAreTheYAMLKeys() throws {
        let data = Data(try grammarFile("config.schema.json").utf8)
        let schema = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(schema["$schema"] as? String == "https://json-schema.org/draft/2020-12/schema")
        let properties = try #require(schema["properties"] as? [String: Any])
        #expect(Set(properties.keys) == Set(YAMLFrontEnd.topLevelNames))
        #expect(Set(schema["required"] as? [String] ?? []) == Set(ConfigKey.required.map(\.rawValue)))
    }

    /// docs/language.md §3 has one row per key, saying whether it repeats as the parser does.
    @Test func languageDocumentTablesEveryKey() throws {
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent("docs/language.md"), encoding: .utf8)
        let section = try #require(text.range(of: "\n## 3. Keys and values\n"))
        let sectionText = text[section.upperBound...]
        let body = sectionText.range(of: "\n## ").map { sectionText[..<$0.lowerBound] } ?? sectionText
        var rows: [String: String] = [:]  // key → its "repeat" cell
        for line in body.split(separator: "\n") where line.hasPrefix("| `") {
            let cells = line.split(separator: "|").map { String($0).trimmingCharacters(in: CharacterSet.whitespaces) }
            guard cells.count >= 2, cells[0].hasPrefix("`"), cells[0].hasSuffix("`") else { continue }
            rows[String(cells[0].dropFirst().dropLast())] = cells[1]
        }
        for key in ConfigKey.allCases {
            #expect(
                rows[key.rawValue] == (key.isRepeatable ? "yes" : "no"),
                "docs/language.md §3 has no row (or the wrong 'repeat') for '\(key.rawValue)'")
        }
    }

    /// The clean `every-key` fixtures write every key, in both forms, so each key's clean path
    /// runs through the checker's fixtures too.
    @Test(arguments: ["every-key.conf", "every-key.yaml"])
    func everyKeyFixtureWritesEveryKey(name: String) throws {
        let url = repositoryRoot.appendingPathComponent("Fixtures/check/clean/\(name)")
        let parsed = ConfigParser.parse(SourceFile(path: name, bytes: [UInt8](try Data(contentsOf: url))))
        let missing = ConfigKey.allCases.filter { !parsed.config.isWritten($0) }
        #expect(missing.isEmpty, "\(name) does not write \(missing.map(\.rawValue))")
        // `mount`/`mount_ro` and `iops_limit`/`io_bw_limit` share a list: each kind must be there.
        #expect(Set(parsed.config.mounts.compactMap { $0.value?.readOnly }) == [false, true])
        #expect(Set(parsed.config.ioLimits.compactMap { $0.value?.kind.rawValue }) == ["iops", "bps"])
    }

    @Test func cleanFixturesParseWithoutDiagnostics() throws {
        let directory = repositoryRoot.appendingPathComponent("Fixtures/check/clean")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { !$0.hasPrefix(".") }
        #expect(names.count >= 4)
        for name in names {
            let url = directory.appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            let parsed = ConfigParser.parse(SourceFile(path: name, bytes: [UInt8](try Data(contentsOf: url))))
            #expect(parsed.diagnostics.isEmpty, "\(name): \(parsed.diagnostics.map(\.message))")
            #expect(parsed.config.root?.value != nil, "\(name) has no root")
        }
    }
}
