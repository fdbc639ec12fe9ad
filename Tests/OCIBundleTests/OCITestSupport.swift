import ConfigChecker
import ConfigLanguage
import ConfigSource
import Foundation
import JSONSupport
import OCIBundle

/// Fixed inputs for the OCI generator in tests: fixture configs through the real parser and
/// checker (no filesystem rules, so nothing depends on the machine).
enum OCITestSupport {
    /// The repository root, found from this file's path.
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let fixtureDirectory = repositoryRoot.appendingPathComponent("Fixtures/oci")

    /// The fixture configs (Fixtures/oci/configs), sorted.
    static let configs: [String] = {
        let directory = fixtureDirectory.appendingPathComponent("configs").path
        return ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { !$0.hasPrefix(".") }.sorted()
    }()

    /// The options the goldens are generated with: the default cgroup parent.
    static func options(_ name: String) -> OCIOptions { OCIOptions(cgroupsPath: "/minimal_containers/\(name)") }

    /// Parses and checks `text` as the config file `fileName`; fails with the diagnostics when
    /// it does not check.
    static func check(_ text: String, fileName: String = "web") throws -> CheckedConfig {
        let parsed = ConfigParser.parse(SourceFile(path: fileName, bytes: Array(text.utf8)))
        var name = fileName
        if name.hasSuffix(".yaml") { name.removeLast(5) }
        let result = ConfigChecker.check(parsed, name: name, options: CheckOptions(useFilesystem: false, cgroupVersion: .v1))
        guard let checked = result.checked, !result.diagnostics.contains(where: { $0.severity == .error }) else {
            throw Failure("\(fileName) does not check: " + result.diagnostics.map { "\($0.code): \($0.message)" }.joined(separator: "; "))
        }
        return checked
    }

    static func fixture(_ fileName: String) throws -> CheckedConfig {
        let url = fixtureDirectory.appendingPathComponent("configs/" + fileName)
        return try check(try String(contentsOf: url, encoding: .utf8), fileName: fileName)
    }

    /// The config.json of a KEY=VALUE text (`root=/srv/web`, `init=/sbin/init` and
    /// `namespaces=` are added unless written).
    static func spec(_ lines: [String], namespaces: String = "none") throws -> OCIBundleSpec {
        var all = lines
        if !all.contains(where: { $0.hasPrefix("root=") }) { all.insert("root=/srv/web", at: 0) }
        if !all.contains(where: { $0.hasPrefix("init=") }) { all.insert("init=/sbin/init", at: 1) }
        if !all.contains(where: { $0.hasPrefix("namespaces=") }) { all.append("namespaces=\(namespaces)") }
        return OCISpec.generate(try check(all.joined(separator: "\n") + "\n"), options: options("web"))
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}

extension JSONValue {
    /// The value at a dotted path of object keys (`linux.resources.memory.limit`).
    func at(_ path: String) -> JSONValue? {
        var current: JSONValue? = self
        for key in path.split(separator: ".") { current = current?[String(key)] }
        return current
    }

    /// The keys of an object, in order.
    var keys: [String] {
        if case let .object(members) = self { members.map(\.0) } else { [] }
    }
}
