#if canImport(Glibc)
import Glibc
#endif

/// The state directory (the seed's `PATH`): `configs/`, `logs/`, `pids/`, plus `locks/` that
/// this runtime adds. A user who knows the seed finds a container's files where it put them.
public struct StateDirectory: Sendable, Equatable {
    /// The default when neither `--path` nor `$CONTAINERS_PATH` is given.
    public static let defaultPath = "/containers"

    public let path: String

    public init(path: String) {
        var path = path
        while path.count > 1, path.hasSuffix("/") { path.removeLast() }
        self.path = path
    }

    /// `--path DIR` wins, then `$CONTAINERS_PATH`, then /containers.
    public static func resolve(option: String?) -> StateDirectory {
        if let option, !option.isEmpty { return StateDirectory(path: option) }
        if let env = getenv("CONTAINERS_PATH"), env.pointee != 0 {
            return StateDirectory(path: String(cString: env))
        }
        return StateDirectory(path: defaultPath)
    }

    public var configsDirectory: String { path + "/configs" }
    public var logsDirectory: String { path + "/logs" }
    public var pidsDirectory: String { path + "/pids" }
    public var locksDirectory: String { path + "/locks" }

    public func logPath(_ name: ContainerName) -> String { logsDirectory + "/" + name.rawValue }
    public func pidPath(_ name: ContainerName) -> String { pidsDirectory + "/" + name.rawValue }
    public func lockPath(_ name: ContainerName) -> String { locksDirectory + "/" + name.rawValue }

    /// The config file names that may belong to `name`, in lookup order.
    public static func configFileNames(for name: ContainerName) -> [String] {
        [name.rawValue, name.rawValue + ".yaml", name.rawValue + ".yml"]
    }

    /// The container a file in `configs/` configures, or nil for files that are not containers:
    /// dotfiles (`.web.swp`), editor leftovers (`web~`, `#web#`), and names that are not valid.
    public static func containerName(forConfigFile file: String) -> ContainerName? {
        if file.hasPrefix(".") || file.hasSuffix("~") || file.hasPrefix("#") { return nil }
        var base = Substring(file)
        if file.hasSuffix(".yaml") { base = base.dropLast(5) } else if file.hasSuffix(".yml") { base = base.dropLast(4) }
        return try? ContainerName(validating: String(base))
    }
}
