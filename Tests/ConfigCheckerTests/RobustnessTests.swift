import ConfigChecker
import ConfigLanguage
import ConfigSource
import Diagnostics
import Foundation
import Testing
import TestSupport

/// The checker must not trap on any input (it is fuzzed), and its result must keep its promises
/// whatever the input: diagnostics in source order, a checked config exactly when no error.
@Suite struct RobustnessTests {
    /// Bytes that make interesting mutations: separators, path syntax, numbers, YAML flow.
    static let alphabet = Array("=:/.@#-{}[], \t\n\r\u{0}0123456789xKMGTmaxuphticall\u{FF}".utf8)

    static func mutate(_ bytes: [UInt8], _ random: inout SeededRandom) -> [UInt8] {
        var bytes = bytes
        for _ in 0..<Int.random(in: 1...4, using: &random) {
            let position = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &random)
            let byte = alphabet.randomElement(using: &random) ?? 0
            switch Int.random(in: 0..<3, using: &random) {
            case 0: bytes.insert(byte, at: position)
            case 1: if !bytes.isEmpty { bytes.remove(at: position) }
            default: if !bytes.isEmpty { bytes[position] = byte }
            }
        }
        return bytes
    }

    static func assertPromises(_ result: CheckResult, _ label: String) {
        let positions = result.diagnostics.map(\.range.lowerBound)
        #expect(positions == positions.sorted(), "\(label): diagnostics out of source order")
        let hasError = result.diagnostics.contains { $0.severity == .error }
        #expect((result.checked != nil) == !hasError, "\(label): checked config iff no error")
    }

    @Test func mutatedFixturesNeverTrapAndKeepThePromises() throws {
        var random = SeededRandom(state: 0x5EED)
        for fixture in FixtureCorpus.configFixtures() where !fixture.contains("too-large") {
            let original = [UInt8](try Data(contentsOf: FixtureCorpus.checkDirectory.appendingPathComponent(fixture)))
            for round in 0..<40 {
                let bytes = Self.mutate(original, &random)
                let file = SourceFile(path: fixture, bytes: bytes)
                let result = ConfigChecker.check(
                    ConfigParser.parse(file), name: "fuzz",
                    options: CheckOptions(useFilesystem: false, cgroupVersion: .v2))
                Self.assertPromises(result, "\(fixture) round \(round): \(String(decoding: bytes, as: UTF8.self).debugDescription)")
                // --no-filesystem really skips every rule the catalogue marks as needing it.
                let fromFilesystem = result.diagnostics.filter(\.id.needsFilesystem).map(\.code)
                #expect(fromFilesystem.isEmpty, "\(fixture) round \(round): \(fromFilesystem)")
            }
        }
    }

    @Test func filesystemRulesSurviveHostilePaths() {
        let fs = FixtureWorld.self
        let values = [
            "/", "//", "/..", "/rootfs/good/../../..", "/rootfs/good/sbin/loop/x", "/\u{0}x",
            "/" + String(repeating: "a/", count: 3000), "/rootfs/good/escape/../escape/..",
        ]
        fs.withWorld { world in
            for root in values + ["/rootfs/good"] {
                for initPath in values + ["@" + (values.last ?? "/")] {
                    let text = "root=\(root)\ninit=\(initPath)\nnamespaces=all\nmount=\(initPath):\(root)\n"
                    let file = SourceFile(path: "hostile.conf", text: text)
                    let result = ConfigChecker.check(
                        ConfigParser.parse(file), name: "hostile",
                        options: CheckOptions(fileSystem: PrefixedFileSystemProbe(prefix: world)))
                    Self.assertPromises(result, text.debugDescription)
                }
            }
        }
    }
}
