#if canImport(Glibc)
import Glibc
#endif
import ConfigChecker
import ContainerState
import Diagnostics
import OCIBundle
import SystemIO

/// A config compiled by the second back end: its diagnostics (warnings only) and the OCI
/// config.json with its notes.
public struct CompiledBundle: Sendable {
    /// What the config was loaded from.
    public var loaded: LoadedConfig
    /// Every diagnostic of the file, in source order; no error among them.
    public var diagnostics: FileDiagnostics
    /// config.json and the notes about what it cannot say.
    public var spec: OCIBundleSpec
}

/// Why `export` wrote nothing. `compile` failures keep their diagnostics and exit status;
/// a directory that is refused or cannot be written is exit 1.
public enum ExportFailure: Error, Sendable, CustomStringConvertible {
    case compile(CompileFailure)
    /// DIR is not empty and `--force` was not given.
    case directoryNotEmpty(String)
    /// DIR could not be created, opened or written.
    case unwritable(SystemError)

    /// The process exit status `export` returns for this failure.
    public var exitStatus: Int32 {
        if case let .compile(failure) = self { return failure.error.exitStatus }
        return 1
    }

    public var description: String {
        switch self {
        case let .compile(failure): failure.error.description
        case let .directoryNotEmpty(path):
            "error: \(path) is not empty (--force replaces \(path)/\(ContainerEngine.bundleConfigFile) and nothing else)"
        case let .unwritable(error): "error: " + error.description
        }
    }
}

extension ContainerEngine {
    /// The file of a bundle the runtime reads.
    public static let bundleConfigFile = "config.json"

    /// load → check → OCI config.json (language.md §10): the same checked model the launch plan
    /// is generated from, so both back ends see one reading of the config. The cgroup path is
    /// the container's identity cgroup under the parent (`$CONTAINERS_CGROUP_PARENT`).
    public func compileBundle(_ argument: String, useFilesystem: Bool = true) -> Result<CompiledBundle, CompileFailure> {
        let loaded: LoadedConfig
        do { loaded = try loadConfig(argument, state: state) } catch {
            return .failure(CompileFailure(error: .unreadableConfig(error)))
        }
        let parent: String
        do { parent = try cgroupParent() } catch { return .failure(CompileFailure(error: error)) }
        let (diagnostics, checked) = compileConfig(
            loaded, options: CheckOptions(useFilesystem: useFilesystem, cgroupHost: useFilesystem ? hostCgroups() : nil))
        guard let checked, !diagnostics.diagnostics.contains(where: { $0.severity == .error }) else {
            return .failure(
                CompileFailure(
                    error: .configHasErrors(displayName: loaded.displayName, outcome: "no bundle"), diagnostics: diagnostics))
        }
        // The name becomes the hostname and a cgroup path component: a FILE whose base name is
        // not a container name has no bundle (as it has no plan).
        guard let name = try? ContainerName(validating: checked.name) else {
            return .failure(
                CompileFailure(
                    error: .planning("'\(checked.name)' is not a valid container name, so it cannot name the bundle's hostname and cgroup"),
                    diagnostics: diagnostics))
        }
        let spec = OCISpec.generate(checked, options: OCIOptions(cgroupsPath: "/\(parent)/\(name.rawValue)"))
        return .success(CompiledBundle(loaded: loaded, diagnostics: diagnostics, spec: spec))
    }

    /// `container export`: writes DIR/config.json (DIR is created when missing; its parent must
    /// exist). A non-empty DIR is refused unless `force`, which replaces config.json only
    /// (atomically, through a temporary file renamed over it): a rootfs or other files the user
    /// keeps in the bundle stay as they are.
    public func export(
        _ argument: String, to directory: String, force: Bool, useFilesystem: Bool = true
    ) -> Result<CompiledBundle, ExportFailure> {
        let compiled: CompiledBundle
        switch compileBundle(argument, useFilesystem: useFilesystem) {
        case let .failure(failure): return .failure(.compile(failure))
        case let .success(value): compiled = value
        }
        do throws(SystemError) {
            if mkdir(directory, 0o755) != 0 && errno != EEXIST { throw SystemError("mkdir", path: directory) }
            let handle = try DirectoryHandle.open(directory)
            defer { handle.close() }
            if !force, try !handle.entries().isEmpty { return .failure(.directoryNotEmpty(directory)) }
            try handle.replaceFile(Self.bundleConfigFile, contents: compiled.spec.text)
        } catch {
            return .failure(.unwritable(error))
        }
        return .success(compiled)
    }
}
