import ConfigChecker
import ConfigLanguage
import ConfigSource
import ContainerState
import Diagnostics

/// Which configs `check` reads.
public enum CheckTargets: Sendable, Equatable {
    /// Every container in `configs/`.
    case all
    /// These NAMEs and FILEs (an argument containing `/` is a file).
    case named([String])
}

/// One file's part of a `check`, reported as soon as it is checked.
public enum CheckItem: Sendable {
    /// The file's diagnostics (possibly none), in source order.
    case checked(FileDiagnostics)
    /// A config that could not be found or read: not a diagnostic in a file.
    case unreadable(ConfigLoadError)
}

extension ContainerEngine {
    /// `container check`: parses and checks every target, whatever happens to the others, and
    /// hands each file's result to `visit` as it goes (so `check --all` over thousands of
    /// configs streams). Two files configuring one container are both checked, the first with
    /// `duplicate-config`. `strict` turns warnings into errors.
    public func check(
        _ targets: CheckTargets, useFilesystem: Bool = true, strict: Bool = false,
        visit: (CheckItem) -> Void
    ) {
        // One probe of the host's cgroups for every file, the same `start` and `plan` use.
        let options = CheckOptions(useFilesystem: useFilesystem, cgroupHost: useFilesystem ? hostCgroups() : nil)
        // Rules across files: the first config (in check order) that used each address.
        var addressUsers: [IPAddress: String] = [:]
        func checkFile(_ loaded: LoadedConfig, extra: [Diagnostic] = []) {
            var (result, _, parsed) = compileParsedConfig(loaded, options: options)
            if !extra.isEmpty { result.diagnostics = extra + result.diagnostics }
            if let setting = parsed.config.netAddress, let address = setting.value?.address {
                if let first = addressUsers[address] {
                    result.diagnostics.append(
                        .duplicateNetAddress(
                            loaded.file.text(setting.valueRange), otherConfig: first, at: setting.valueRange))
                } else {
                    addressUsers[address] = loaded.path
                }
            }
            if strict { result = result.promotingWarnings() }
            visit(.checked(result))
        }
        func checkFiles(of name: ContainerName, paths: [String]) {
            for (index, path) in paths.enumerated() {
                let bytes: [UInt8]
                do { bytes = try readConfigBytes(path: path) } catch {
                    visit(.unreadable(error))
                    continue
                }
                let loaded = LoadedConfig(
                    name: name, displayName: name.rawValue, path: path, file: SourceFile(path: path, bytes: bytes))
                checkFile(loaded, extra: paths.count > 1 && index == 0 ? [.duplicateConfig(name: name.rawValue, paths: paths)] : [])
            }
        }
        switch targets {
        case .all:
            do {
                for entry in try allConfigFiles(state: state) { checkFiles(of: entry.name, paths: entry.paths) }
            } catch {
                visit(.unreadable(error))
            }
        case let .named(arguments):
            for argument in arguments {
                do {
                    checkFile(try loadConfig(argument, state: state))
                } catch let .ambiguous(name, paths) {
                    checkFiles(of: name, paths: paths)
                } catch {
                    visit(.unreadable(error))
                }
            }
        }
    }
}
