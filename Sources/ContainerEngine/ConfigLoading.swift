#if canImport(Glibc)
import Glibc
#endif
import SystemIO
import ConfigChecker
import ConfigLanguage
import ConfigSource
import ContainerState
import Diagnostics

/// The pipeline shared by `check`, `plan` and `start`: find a config, read it, parse and check it.

/// A config file found and read, not yet parsed.
public struct LoadedConfig: Sendable {
    /// The container it configures; nil for a FILE argument whose base name is not a valid name.
    public var name: ContainerName?
    /// What messages call the container: its name, or the file's base name without extension.
    public var displayName: String
    /// The path as printed in diagnostics (the user's FILE argument verbatim, or configs/NAME…).
    public var path: String
    public var file: SourceFile
}

/// Why a config could not be loaded. None of these is a diagnostic *in* a config: the caller
/// prints the description and exits 2 (except `ambiguous`, which `check` reports as
/// `duplicate-config`).
public enum ConfigLoadError: Error, Sendable, CustomStringConvertible {
    case invalidName(ContainerName.InvalidName)
    case notFound(name: String, directory: String)
    /// Two or more files configure the same container (`web` and `web.yaml`).
    case ambiguous(name: ContainerName, paths: [String])
    case unreadable(path: String, reason: String)

    public var description: String {
        switch self {
        case let .invalidName(error):
            return error.description
        case let .notFound(name, directory):
            return "no config for container '\(name)' in \(directory) (looked for \(name), \(name).yaml, \(name).yml)"
        case let .ambiguous(name, paths):
            return Diagnostic.duplicateConfig(name: name.rawValue, paths: paths).message
        case let .unreadable(path, reason):
            return "cannot read \(path): \(reason)"
        }
    }
}

/// Finds and reads the config an argument names.
///
/// An argument containing `/` is a FILE path (its container name is the base name without
/// `.yaml`/`.yml`); anything else is a NAME, validated before any path is formed from it and
/// looked up as `configs/NAME`, `configs/NAME.yaml`, `configs/NAME.yml`.
public func loadConfig(_ argument: String, state: StateDirectory) throws(ConfigLoadError) -> LoadedConfig {
    if argument.utf8.contains(UInt8(ascii: "/")) {
        let base = baseNameWithoutConfigExtension(argument)
        let bytes = try readConfigBytes(path: argument)
        return LoadedConfig(
            name: try? ContainerName(validating: base), displayName: base, path: argument,
            file: SourceFile(path: argument, bytes: bytes))
    }
    let name: ContainerName
    do { name = try ContainerName(validating: argument) } catch { throw .invalidName(error) }
    let path = try configPath(of: name, state: state)
    return LoadedConfig(
        name: name, displayName: name.rawValue, path: path,
        file: SourceFile(path: path, bytes: try readConfigBytes(path: path)))
}

/// The single config file of `name` in `configs/`.
public func configPath(of name: ContainerName, state: StateDirectory) throws(ConfigLoadError) -> String {
    let present = StateDirectory.configFileNames(for: name)
        .map { state.configsDirectory + "/" + $0 }
        .filter(pathExists)
    switch present.count {
    case 0: throw .notFound(name: name.rawValue, directory: state.configsDirectory)
    case 1: return present[0]
    default: throw .ambiguous(name: name, paths: present)
    }
}

/// Parses and checks a loaded config: every diagnostic of the file in source order, and the
/// checked model when there is no error.
public func compileConfig(_ loaded: LoadedConfig, options: CheckOptions) -> (FileDiagnostics, CheckedConfig?) {
    let (diagnostics, checked, _) = compileParsedConfig(loaded, options: options)
    return (diagnostics, checked)
}

/// `compileConfig`, also handing back the AST (for rules across files: `check --all`).
func compileParsedConfig(_ loaded: LoadedConfig, options: CheckOptions) -> (FileDiagnostics, CheckedConfig?, ParsedConfig) {
    let parsed = ConfigParser.parse(loaded.file)
    let result = ConfigChecker.check(parsed, name: loaded.displayName, options: options)
    guard result.diagnostics.count > 1 else {  // the common case: nothing to order
        return (FileDiagnostics(file: loaded.file, diagnostics: result.diagnostics), result.checked, parsed)
    }
    var bag = DiagnosticBag()
    bag.append(contentsOf: result.diagnostics)
    return (FileDiagnostics(file: loaded.file, diagnostics: bag.sorted), result.checked, parsed)
}

/// Every configured container, sorted by name; editor leftovers and dotfiles are skipped.
public func allContainerNames(state: StateDirectory) throws(ConfigLoadError) -> [ContainerName] {
    var names = Set<ContainerName>()
    for file in try configDirectoryEntries(state: state) {
        if let name = StateDirectory.containerName(forConfigFile: file) { names.insert(name) }
    }
    return names.sorted()
}

/// The config files of every container in `configs/`, grouped by container and sorted by name
/// (one directory read, no per-name lookups: `check --all` over thousands of configs).
func allConfigFiles(state: StateDirectory) throws(ConfigLoadError) -> [(name: ContainerName, paths: [String])] {
    var files: [ContainerName: [String]] = [:]
    for file in try configDirectoryEntries(state: state) {
        guard let name = StateDirectory.containerName(forConfigFile: file) else { continue }
        files[name, default: []].append(state.configsDirectory + "/" + file)
    }
    return files.keys.sorted().map { name in (name, files[name]!.sorted()) }
}

/// The names of the non-directory entries of `configs/`.
private func configDirectoryEntries(state: StateDirectory) throws(ConfigLoadError) -> [String] {
    let directory = state.configsDirectory
    do {
        return try DirectoryHandle.with(directory) { handle throws(SystemError) in try handle.entries() }
            .filter { !$0.isDirectory }.map(\.name)
    } catch {
        throw .unreadable(path: directory, reason: String(cString: strerror(error.errno)))
    }
}

/// `dir/web.yaml` → `web`.
func baseNameWithoutConfigExtension(_ path: String) -> String {
    var base = path.split(separator: "/", omittingEmptySubsequences: true).last.map(String.init) ?? path
    if base.hasSuffix(".yaml") { base.removeLast(5) } else if base.hasSuffix(".yml") { base.removeLast(4) }
    return base
}

/// True when something (even a dangling symlink) is at `path`.
private func pathExists(_ path: String) -> Bool {
    var info = stat()
    if lstat(path, &info) == 0 { return true }
    // Anything but "no such entry" means something is there that we cannot inspect; reading
    // it will report the real reason.
    return errno != ENOENT && errno != ENOTDIR
}

/// Reads at most `Diagnostic.maximumConfigSize + 1` bytes of a regular file (one byte more than
/// the parser accepts, so that it reports `file-too-large`) without following a final
/// symlink (a config is never a link to somewhere else) and without Foundation.
public func readConfigBytes(path: String) throws(ConfigLoadError) -> [UInt8] {
    // O_NONBLOCK so that a FIFO cannot hang the open; it has no effect on regular files.
    let file: FileDescriptor
    do { file = try .open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK) } catch {
        throw .unreadable(
            path: path,
            reason: error.errno == ELOOP
                ? "it is a symbolic link (configs are not read through links)"
                : String(cString: strerror(error.errno)))
    }
    defer { file.close() }
    do {
        guard try file.status().st_mode & S_IFMT == S_IFREG else {
            throw ConfigLoadError.unreadable(path: path, reason: "it is not a regular file")
        }
        return try file.readAll(limit: Diagnostic.maximumConfigSize + 1)
    } catch let error as SystemError {
        throw .unreadable(path: path, reason: String(cString: strerror(error.errno)))
    } catch let error as ConfigLoadError {
        throw error
    } catch {
        throw .unreadable(path: path, reason: "\(error)")
    }
}
