@testable import ConfigChecker
import ConfigLanguage
import ConfigSource
import Foundation
import Testing

/// Every key reaches the checked model: a key the checker accepted but `CheckedConfig.build`
/// dropped would start a container without it.
@Suite struct CheckedModelTests {
    /// A config whose values all differ from those of the `every-key` fixtures.
    static let baseline = "root=/baseline\ninit=/baseline-init\nnamespaces=none\n"

    static func check(_ name: String, _ bytes: [UInt8]) throws -> CheckedConfig {
        let result = ConfigChecker.check(
            ConfigParser.parse(SourceFile(path: name, bytes: bytes)), name: "web",
            options: CheckOptions(useFilesystem: false))
        return try #require(result.checked, "\(name) does not check: \(result.diagnostics.map(\.code))")
    }

    @Test(arguments: ["clean/every-key.conf", "clean/every-key.yaml"])
    func everyKeyFillsItsField(fixture: String) throws {
        let bytes = [UInt8](try Data(contentsOf: FixtureCorpus.checkDirectory.appendingPathComponent(fixture)))
        let full = try Self.check(fixture, bytes)
        let baseline = try Self.check("baseline.conf", Array(Self.baseline.utf8))
        for key in ConfigKey.allCases {
            let field = CheckedConfig.field(for: key)
            #expect(
                String(describing: full[keyPath: field]) != String(describing: baseline[keyPath: field]),
                "'\(key.rawValue)' in \(fixture) does not reach CheckedConfig")
        }
    }
}
