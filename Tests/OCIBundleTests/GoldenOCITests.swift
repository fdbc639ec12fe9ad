import Foundation
import JSONSupport
import OCIBundle
import Testing
import TestSupport

private typealias S = OCITestSupport

/// Golden bundles: every config in Fixtures/oci/configs goes through the real parser and
/// checker and the OCI generator, and is compared byte for byte with
/// Fixtures/oci/expected/NAME.json (config.json) and NAME.notes (one note a line).
/// `RECORD_GOLDEN=1 swift test --filter GoldenOCITests` re-records them.
@Suite struct GoldenOCITests {

    @Test func thereAreFixturesIncludingOneWithEveryKey() throws {
        #expect(S.configs.count >= 5)
        #expect(S.configs.contains { $0.hasSuffix(".yaml") })
        let everything = try String(contentsOf: S.fixtureDirectory.appendingPathComponent("configs/everything"), encoding: .utf8)
        for key in [
            "root", "init", "namespaces", "max_physical_memory", "max_memory", "max_processes", "cpu_share",
            "net_classid", "mount", "mount_ro", "iops_limit", "io_bw_limit", "id_map_start",
        ] {
            #expect(everything.contains("\n\(key)="), "the every-key fixture writes \(key)")
        }
    }

    @Test(arguments: S.configs)
    func goldenBundle(config fileName: String) throws {
        var name = fileName
        if name.hasSuffix(".yaml") { name.removeLast(5) }
        let spec = OCISpec.generate(try S.fixture(fileName), options: S.options(name))
        try compare(spec.text, golden: "\(fileName).json")
        try compare(spec.notes.map { $0 + "\n" }.joined(), golden: "\(fileName).notes")
        // The golden reads back (our own parser) to the generated document.
        let golden = try Data(contentsOf: S.fixtureDirectory.appendingPathComponent("expected/\(fileName).json"))
        #expect(try JSONValue.parse([UInt8](golden)) == spec.config)
    }

    private func compare(_ actual: String, golden name: String) throws {
        if let difference = try GoldenFile.difference(actual, golden: S.fixtureDirectory.appendingPathComponent("expected/" + name)) {
            Issue.record(Comment(rawValue: difference))
        }
    }
}
