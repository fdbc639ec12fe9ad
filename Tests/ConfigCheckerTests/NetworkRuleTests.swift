import ConfigChecker
import ConfigLanguage
import ConfigSource
import Diagnostics
import Testing

/// The networking rules (language.md §9) beyond what the fixtures pin: the fix-it that adds
/// `n` really produces a config that checks, and the checked model carries the three keys.
@Suite struct NetworkRuleTests {
    func check(_ text: String, path: String = "web") -> CheckResult {
        ConfigChecker.check(
            ConfigParser.parse(SourceFile(path: path, text: text)), name: "web",
            options: CheckOptions(useFilesystem: false))
    }

    /// Applies every fix-it of every diagnostic (their ranges do not overlap here).
    func applyingFixIts(_ text: String, _ diagnostics: [Diagnostic]) -> String {
        var bytes = Array(text.utf8)
        var seen = Set<Int>()
        let fixIts = diagnostics.flatMap(\.fixIts).filter { seen.insert($0.range.lowerBound).inserted }
        for fixIt in fixIts.sorted(by: { $0.range.lowerBound > $1.range.lowerBound }) {
            bytes.replaceSubrange(fixIt.range.lowerBound..<fixIt.range.upperBound, with: Array(fixIt.replacement.utf8))
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test(arguments: [
        ("namespaces=uph\n", "namespaces=uphn\n"),
        ("namespaces=all\n", "namespaces=uphticn\n"),
        ("namespaces=none\n", "namespaces=n\n"),
    ])
    func theFixItAddsNAndTheConfigThenChecks(_ namespaces: String, _ fixed: String) throws {
        let text = "root=/srv/web\ninit=/sbin/init\n" + namespaces + "net_bridge=br0\nnet_address=10.0.3.5/24\n"
        let result = check(text)
        #expect(result.diagnostics.map(\.id) == [.networkWithoutNetNamespace, .networkWithoutNetNamespace])
        let repaired = applyingFixIts(text, result.diagnostics)
        #expect(repaired.contains(fixed), "\(repaired)")
        #expect(check(repaired).diagnostics.isEmpty, "\(check(repaired).diagnostics)")
    }

    @Test func theYAMLFlowListGetsNet() {
        let text = "root: /srv/web\ninit: /sbin/init\nnamespaces: [pid, uts]\nnetwork: { bridge: br0 }\n"
        let result = check(text, path: "web.yaml")
        let repaired = applyingFixIts(text, result.diagnostics)
        #expect(repaired.contains("namespaces: [pid, uts, net]"), "\(repaired)")
        #expect(check(repaired, path: "web.yaml").diagnostics.isEmpty)
    }

    @Test func theCheckedModelCarriesTheNetwork() throws {
        let result = check(
            "root=/srv/web\ninit=/sbin/init\nnamespaces=pn\nnet_bridge=br0\n"
                + "net_address=fd00:0:0:3::5/64\nnet_gateway=fd00:0:0:3::1\n")
        let checked = try #require(result.checked, "\(result.diagnostics)")
        #expect(checked.namespaces.contains(.net))
        #expect(checked.netBridge == "br0")
        #expect(checked.netAddress?.description == "fd00:0:0:3::5/64")
        #expect(checked.netGateway?.description == "fd00:0:0:3::1")
    }

    @Test func nAloneNeedsNoOtherKey() {
        #expect(check("root=/srv/web\ninit=/sbin/init\nnamespaces=n\n").diagnostics.isEmpty)
    }
}
