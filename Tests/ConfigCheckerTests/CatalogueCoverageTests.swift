import ConfigChecker
import ConfigLanguage
import ConfigSource
import Diagnostics
import Foundation
import Testing

/// Every code of the catalogue is exercised by a fixture and documented.
@Suite struct CatalogueCoverageTests {
    /// Codes that no fixture file can carry, each with the test that covers it instead.
    /// Keep this list minimal: `exemptionsAreStillNeeded` fails once a fixture covers one.
    static let exemptFromFixtures: [DiagnosticID: String] = [
        // Two config files for one NAME is a state-directory condition, not a file's content:
        // covered by the engine's tests (ContainerEngineTests, configs/NAME + NAME.yaml).
        .duplicateConfig: "ContainerEngineTests",
        // Two configs with one address is a condition across files (`check --all`): covered by
        // the engine's tests (CheckNetworkTests).
        .duplicateNetAddress: "ContainerEngineTests",
    ]

    /// The codes named by an expectation in some fixture or sidecar under Fixtures/check/.
    static func expectedCodes() throws -> Set<String> {
        var codes = Set<String>()
        for file in FixtureCorpus.allFiles() {
            let isSidecar = file.hasSuffix(".expect")
            guard isSidecar || FixtureCorpus.configExtensions.contains((file as NSString).pathExtension) else { continue }
            let data = try Data(contentsOf: FixtureCorpus.checkDirectory.appendingPathComponent(file))
            let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            for (index, line) in lines.enumerated() where line.contains("expect-") {
                let expectations = try FixtureExpectation.parse(
                    line: line, lineNumber: index + 1,
                    allowRelative: !isSidecar, place: file)
                codes.formUnion(expectations.map(\.code))
            }
        }
        return codes
    }

    @Test func everyCodeAppearsInAFixture() throws {
        let codes = try Self.expectedCodes()
        let uncovered = DiagnosticID.allCases.filter { id in
            Self.exemptFromFixtures[id] == nil && !codes.contains(id.rawValue)
        }
        #expect(uncovered.isEmpty, "codes without a fixture expectation: \(uncovered.map(\.rawValue))")
    }

    @Test func exemptionsAreStillNeeded() throws {
        let codes = try Self.expectedCodes()
        let covered = Self.exemptFromFixtures.keys.filter { codes.contains($0.rawValue) }
        #expect(covered.isEmpty, "now covered by a fixture, remove from exemptFromFixtures: \(covered.map(\.rawValue))")
    }

    @Test func everyCodeIsDocumented() throws {
        let docs = FixtureCorpus.checkDirectory.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/diagnostics.md")
        let text = try String(contentsOf: docs, encoding: .utf8)
        let headings = text.split(separator: "\n").filter { $0.hasPrefix("#") }
        let undocumented = DiagnosticID.allCases.filter { id in
            !headings.contains { $0.contains("`\(id.rawValue)`") }
        }
        #expect(undocumented.isEmpty, "codes without a heading in docs/diagnostics.md: \(undocumented.map(\.rawValue))")
    }

    /// `file-too-large` from a generated file too, so the rule stays covered even if the 1 MiB
    /// fixtures are ever dropped from the repository.
    @Test func generatedOversizedFile() {
        let line = "# padding padding padding padding padding padding padding padding padding\n"
        let count = (1 << 20) / line.utf8.count + 1
        let file = SourceFile(path: "huge.conf", text: String(repeating: line, count: count))
        let result = ConfigChecker.check(ConfigParser.parse(file), name: "huge", options: CheckOptions(useFilesystem: false))
        #expect(result.codes == ["file-too-large"])
        #expect(result.checked == nil)
    }
}
