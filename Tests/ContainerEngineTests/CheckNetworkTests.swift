import Testing
import ContainerEngine
import Diagnostics

/// `check` across files: two configs with one `net_address` (language.md §9).
@Suite struct CheckNetworkTests {
    static func config(_ address: String) -> String {
        "root=/srv/box\ninit=/sbin/init\nnamespaces=pn\nnet_bridge=br0\nnet_address=\(address)\n"
    }

    /// The diagnostics of every file `check --all` reports, by file name.
    func checkAll(_ sandbox: EngineSandbox) -> [String: [Diagnostic]] {
        var results: [String: [Diagnostic]] = [:]
        sandbox.engine().check(.all, useFilesystem: false) { item in
            if case let .checked(file) = item { results[file.file.path.split(separator: "/").last.map(String.init) ?? ""] = file.diagnostics }
        }
        return results
    }

    @Test func theSecondConfigWithAnAddressIsWarnedNamingTheFirst() throws {
        let sandbox = try EngineSandbox()
        try sandbox.writeConfig("api", Self.config("10.0.3.5/24"))
        try sandbox.writeConfig("web", Self.config("10.0.3.5/16"))
        try sandbox.writeConfig("db", Self.config("10.0.3.6/24"))
        let results = checkAll(sandbox)
        #expect(results["api"]?.isEmpty == true, "\(results)")
        #expect(results["db"]?.isEmpty == true, "\(results)")
        let warning = try #require(results["web"]?.first, "\(results)")
        #expect(warning.id == .duplicateNetAddress)
        #expect(warning.severity == .warning)
        #expect(warning.message.contains("configs/api"), "\(warning.message)")
        // `net_address=` is 12 bytes; the warning underlines the value on line 5.
        let text = Self.config("10.0.3.5/16")
        let valueStart = text.utf8.count - "10.0.3.5/16\n".utf8.count
        #expect(warning.range.lowerBound == valueStart && warning.range.upperBound == valueStart + 11)
    }

    @Test func differentAddressesAreNotWarned() throws {
        let sandbox = try EngineSandbox()
        try sandbox.writeConfig("api", Self.config("fd00::5/64"))
        try sandbox.writeConfig("web", Self.config("fd00::6/64"))
        let results = checkAll(sandbox)
        #expect(results.count == 2 && results.values.allSatisfy(\.isEmpty), "\(results)")
    }
}
