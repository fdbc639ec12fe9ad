import ConfigLanguage
import ConfigSource
import Diagnostics

/// F rules of `id_map_mode` (language.md §12), with `u` only:
/// - `idmap` (the default): the root, and each mount source that does not opt out, must be on a
///   filesystem that supports idmapped mounts (`idmap-unsupported`, an error: the start would
///   fail); a root owned by an id the idmapped mount cannot show (≥ 65536, e.g. one chowned to
///   the id_map_start range) is `id-map-mode-mismatch` (warning, fix-it: `none`).
/// - `none`: a root owned by an id outside the map (host root, as debootstrap leaves it) is
///   `id-map-mode-mismatch` (warning, fix-it: `idmap`): its files would belong to nobody.
enum IDMapFilesystemRules {
    static func apply(to context: inout CheckContext) {
        guard let namespaces = context.config.namespaces?.value, namespaces.contains(.user),
            context.config.idMapMode.map({ $0.value != nil }) ?? true,
            context.rootIsUsableDirectory, let root = context.normalizedRoot,
            let rootSetting = context.config.root
        else { return }
        let mode = context.config.idMapMode?.value ?? .idmap
        let start = context.config.idMapStart?.value ?? CheckedConfig.defaultIDMapStart
        let map = IDMapWindow(start: start)
        switch mode {
        case .idmap:
            checkSupport(root: root, at: rootSetting.valueRange, &context)
            checkMountSources(&context)
            if let owner = context.fileSystem.linkStatus(root)?.ownerID, owner >= map.count {
                emitMismatch(
                    root: root,
                    problem:
                        "is owned by uid \(owner), which the idmapped mount cannot show (it maps on-disk ids 0…\(map.count - 1)): inside the container its files would belong to nobody (65534)",
                    switchTo: .none, because: "set id_map_mode=none for a root chowned to the id map", &context)
            }
        case .none:
            if let owner = context.fileSystem.linkStatus(root)?.ownerID, !map.containsHostID(owner) {
                emitMismatch(
                    root: root,
                    problem:
                        "is owned by uid \(owner), outside the id map (\(map.description)): inside the container its files belong to nobody (65534) and its root cannot write them",
                    switchTo: .idmap, because: "set id_map_mode=idmap to map them without a chown", &context)
            }
        }
    }

    private static func checkSupport(root: String, at range: SourceRange, _ context: inout CheckContext) {
        guard case let .unsupported(fileSystem, reason) = context.fileSystem.idmapSupport(root) else { return }
        context.emit(
            .idmapUnsupported(
                "root", path: root, fileSystem: fileSystem, reason: reason,
                remedy: "move the root to one, or chown it to the id map and set id_map_mode=none",
                at: range))
    }

    private static func checkMountSources(_ context: inout CheckContext) {
        for setting in context.config.mounts {
            guard let mount = setting.value, mount.idmap, context.fileSystem.status(mount.source.value) != nil,
                case let .unsupported(fileSystem, reason) = context.fileSystem.idmapSupport(mount.source.value)
            else { continue }
            // The KEY=VALUE value ends where the suffix goes; a YAML mapping says `idmap: false`.
            let isKeyValue = context.config.form == .keyValue
            let fixIts =
                isKeyValue
                ? [FixIt("append ':noidmap'", replacing: .point(setting.valueRange.upperBound), with: ":noidmap")] : []
            let remedy =
                isKeyValue
                ? "append ':noidmap' to bind it without the id map, or move it"
                : "add 'idmap: false' to bind it without the id map, or move it"
            context.emit(
                .idmapUnsupported(
                    "mount source", path: mount.source.value, fileSystem: fileSystem,
                    reason: reason, remedy: remedy, at: mount.source.range, fixIts: fixIts))
        }
    }

    /// At the written `id_map_mode` value (with a fix-it to `mode`), else at the root's value.
    private static func emitMismatch(
        root: String, problem: String, switchTo mode: IDMapMode, because remedy: String,
        _ context: inout CheckContext
    ) {
        if let written = context.config.idMapMode {
            context.emit(
                .idMapModeMismatch(
                    root: root, problem: problem, remedy: remedy, at: written.valueRange,
                    fixIts: [
                        FixIt(
                            "set id_map_mode=\(mode.rawValue)", replacing: written.valueRange,
                            with: mode.rawValue)
                    ]))
        } else if let rootSetting = context.config.root {
            let line = context.config.form == .keyValue ? "id_map_mode=\(mode.rawValue)" : "id_map_mode: \(mode.rawValue)"
            context.emit(
                .idMapModeMismatch(
                    root: root, problem: problem, remedy: remedy + " (add '\(line)')",
                    at: rootSetting.valueRange))
        }
    }
}

/// The host ids a container's id map covers: `start…start+65535`.
struct IDMapWindow: CustomStringConvertible {
    var start: UInt32
    let count: UInt32 = 65_536
    func containsHostID(_ id: UInt32) -> Bool { id >= start && UInt64(id) < UInt64(start) + UInt64(count) }
    var description: String { "uids \(start)…\(UInt64(start) + UInt64(count) - 1)" }
}
