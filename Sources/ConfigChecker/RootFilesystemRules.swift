import ConfigLanguage
import Diagnostics

/// F rules on `root`: it exists (`root-not-found`), is not a symlink (`root-is-symlink`), is a
/// directory (`root-not-directory`), and is owned by root and not group/world-writable
/// (`root-insecure`). Rules that look inside the root run only when it is a real directory.
enum RootFilesystemRules {
    static func apply(to context: inout CheckContext) {
        guard let setting = context.config.root, let root = context.normalizedRoot else { return }
        let range = setting.valueRange
        guard let status = context.fileSystem.linkStatus(root) else {
            // At the first component that does not exist. A written `..` is resolved lexically
            // (the normal form is what is probed), so its prefixes say nothing: the whole value.
            let written = context.writtenPath(setting.value ?? root, at: range)
            let missing =
                written.firstDotDot != nil
                ? range
                : written.firstMissingComponent { context.fileSystem.linkStatus($0) != nil }
            context.emit(.rootNotFound(root, at: missing))
            return
        }
        if status.kind == .symlink {
            context.emit(.rootIsSymlink(root, target: context.fileSystem.symlinkTarget(root), at: range))
            return
        }
        guard status.kind == .directory else {
            context.emit(.rootNotDirectory(root, kind: status.kindDescription, at: range))
            return
        }
        context.rootIsUsableDirectory = true
        if let problem = insecurity(of: status, rootOwner: expectedOwner(context.config)) {
            context.emit(.rootInsecure(root, problem: problem, at: range))
        }
    }

    /// The owner a root should have: host root, or with `u` and `id_map_mode=none` (a root
    /// chowned to the id map) also the container's root, `id_map_start`.
    static func expectedOwner(_ config: ContainerConfig) -> UInt32? {
        guard config.namespaces?.value?.contains(.user) == true, config.idMapMode?.value == IDMapMode.none else { return nil }
        return config.idMapStart?.value ?? CheckedConfig.defaultIDMapStart
    }

    /// Why a directory's ownership or mode lets someone other than root (or `rootOwner`, the
    /// container's root of a chowned root) change it, or nil.
    static func insecurity(of status: FileStatus, rootOwner: UInt32? = nil) -> String? {
        var problems: [String] = []
        if status.ownerID != 0, status.ownerID != rootOwner { problems.append("is owned by uid \(status.ownerID), not root") }
        switch (status.permissions & 0o020 != 0, status.permissions & 0o002 != 0) {
        case (true, true): problems.append("is writable by its group and by everyone")
        case (true, false): problems.append("is writable by its group")
        case (false, true): problems.append("is writable by everyone")
        case (false, false): break
        }
        guard !problems.isEmpty else { return nil }
        return problems.joined(separator: " and ") + " (mode " + octal(status.permissions) + ")"
    }

    static func octal(_ mode: UInt32) -> String {
        let digits = String(mode, radix: 8)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
