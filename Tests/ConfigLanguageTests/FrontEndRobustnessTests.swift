@testable import ConfigLanguage
import ConfigSource
import Diagnostics
import Testing
import TestSupport

/// The front ends are fuzzed: no input may trap, and every range must lie inside the file.
@Suite("Front-end robustness")
struct FrontEndRobustnessTests {
    /// Bytes biased towards the characters both grammars care about.
    static func randomInput(_ generator: inout SeededRandom) -> [UInt8] {
        let alphabet =
            Array("=:#@ \t\r\n/-0123456789xKMGTiBuphticmaxnoe_{}[],'\"&*!?|>%.".utf8)
            + [0, 0xC3, 0xA9, 0xFF, 0xE2, 0x82]
        let keys = ConfigKey.allCases.map(\.rawValue) + ["memory:", "mounts:", "io:", "- ", "device:"]
        var bytes: [UInt8] = []
        let length = Int(generator.next() % 200)
        while bytes.count < length {
            if generator.next() % 5 == 0 {
                bytes += Array(keys[Int(generator.next() % UInt64(keys.count))].utf8)
            } else {
                bytes.append(alphabet[Int(generator.next() % UInt64(alphabet.count))])
            }
        }
        return bytes
    }

    @Test(arguments: ["fuzz.conf", "fuzz.yaml"])
    func randomInputsNeverTrap(path: String) {
        var generator = SeededRandom(state: 0x9E37_79B9_7F4A_7C15)
        var diagnosticCount = 0
        for _ in 0..<3000 {
            let file = SourceFile(path: path, bytes: Self.randomInput(&generator))
            let parsed = ConfigParser.parse(file)
            diagnosticCount += parsed.diagnostics.count
            for diagnostic in parsed.diagnostics {
                #expect(diagnostic.range.upperBound <= file.bytes.count)
                #expect(diagnostic.range.lowerBound >= 0)
                for fix in diagnostic.fixIts { #expect(fix.range.upperBound <= file.bytes.count) }
            }
        }
        #expect(diagnosticCount > 0)
    }

    @Test func pathologicalInputs() {
        let inputs: [String] = [
            "", "=", "\r", "\r\n", "#", " ", "root", "root=", "=\r\n", "a b c = d e f",
            "max_memory=18446744073709551616T", "net_classid=0xFFFFFFFFFFFFFFFFFFFF", "iops_limit=:",
            "iops_limit= ", "io_bw_limit=99999999999999999999:99999999999999999999 1", "mount=::",
        ]
        for input in inputs {
            for path in ["x.conf", "x.yaml"] {
                let parsed = parse(input, path: path)
                #expect(parsed.diagnostics.allSatisfy { $0.range.upperBound <= parsed.file.bytes.count })
            }
        }
        let nested = String(repeating: "- ", count: 10000) + "x"
        #expect(codes(parseYAML(nested)).contains("yaml-unsupported"))
        let flow = String(repeating: "{a: ", count: 5000)
        #expect(!parseYAML(flow).diagnostics.isEmpty)
    }
}
