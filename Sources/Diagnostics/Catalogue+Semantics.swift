import ConfigSource

/// The messages of the checker's diagnostics: rules across keys and rules that read the
/// filesystem (language.md §2–3).
///
/// Every message says what is wrong, quoting the offending value, and how to fix it. The checker
/// calls these constructors and never spells a message itself.
extension Diagnostic {
    // MARK: Required keys

    /// A required key (`root`, `init`, `namespaces`) is absent. `example` is a line to add,
    /// in the file's own form (`root=/srv/web` or `root: /srv/web`).
    public static func missingRequiredKey(_ key: String, example: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(
            .missingRequiredKey,
            "required key '\(key)' is missing; add it, e.g. '\(example)'",
            at: range)
    }

    // MARK: Paths

    /// A path that is not in normal form (`//`, `.`, `..`, trailing `/`); `normalized` is the fix.
    /// `range` is what first breaks the form (the extra `/`, the `.`); the fix-it replaces the
    /// whole path at `pathRange` (`range` when not given).
    public static func pathNotNormalized(
        _ what: String, path: String, normalized: String,
        at range: SourceRange, pathAt pathRange: SourceRange? = nil
    ) -> Diagnostic {
        Diagnostic(
            .pathNotNormalized,
            "\(what) '\(path)' is not in normal form; write it as '\(normalized)'",
            at: range,
            fixIts: [FixIt("replace with '\(normalized)'", replacing: pathRange ?? range, with: normalized)])
    }

    /// The root directory does not exist (or cannot be reached).
    public static func rootNotFound(_ path: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(
            .rootNotFound,
            "root '\(path)' does not exist; create the root filesystem there (e.g. with debootstrap) or fix the path",
            at: range)
    }

    /// The root exists but is not a directory.
    public static func rootNotDirectory(_ path: String, kind: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(
            .rootNotDirectory,
            "root '\(path)' is \(kind), not a directory; point root at the directory that holds the container's filesystem",
            at: range)
    }

    /// The root is a symlink; `target` is what it points to.
    public static func rootIsSymlink(_ path: String, target: String?, at range: SourceRange) -> Diagnostic {
        let pointsTo = target.map { " (to '\($0)')" } ?? ""
        return Diagnostic(
            .rootIsSymlink,
            "root '\(path)' is a symbolic link\(pointsTo); write the real directory instead, so the root cannot be switched under a running container",
            at: range)
    }

    /// The root is not owned by root, or is writable by its group or by everyone.
    public static func rootInsecure(_ path: String, problem: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(
            .rootInsecure,
            "root '\(path)' \(problem), so a non-root user could replace files the container runs as root; run 'chown root:root' and 'chmod go-w' on it",
            at: range)
    }

    // MARK: Init

    /// `init` cannot be resolved; `reason` says where the walk stopped. `onHost` for an `@` init.
    public static func initNotFound(
        _ path: String, reason: String, onHost: Bool = false,
        at range: SourceRange
    ) -> Diagnostic {
        let advice =
            onHost
            ? "install the program on the host or fix the path (without '@' the path is inside the root)"
            : "install the program in the root filesystem or fix the path ('@/path' names a host program)"
        return Diagnostic(.initNotFound, "init '\(path)' \(reason); \(advice)", at: range)
    }

    /// `init` resolves to something that cannot be executed.
    public static func initNotExecutable(_ path: String, problem: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(
            .initNotExecutable,
            "init '\(path)' \(problem); point init at an executable regular file (or run 'chmod +x' on it)",
            at: range)
    }

    /// A `#!` script whose interpreter is not inside the root.
    public static func initInterpreterMissing(_ path: String, interpreter: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(
            .initInterpreterMissing,
            "init '\(path)' is a script for '\(interpreter)', which is not an executable file inside the root; install it there or change the script's '#!' line",
            at: range)
    }

    // MARK: Numbers and controllers

    /// A memory limit below 4 MiB.
    public static func sizeTooSmall(_ key: String, bytes: Int64, at range: SourceRange) -> Diagnostic {
        Diagnostic(
            .sizeTooSmall,
            "\(key) is \(bytes) bytes, below 4 MiB: most inits cannot start in that; did you forget a suffix such as 'M' or 'G'?",
            at: range)
    }

    /// `max_memory` (physical + swap) is below `max_physical_memory`.
    public static func memoryTotalBelowPhysical(
        total: String, physical: String, at range: SourceRange,
        physicalAt physicalRange: SourceRange
    ) -> Diagnostic {
        Diagnostic(
            .memoryTotalBelowPhysical,
            "max_memory (\(total)) is below max_physical_memory (\(physical)); max_memory counts physical memory plus swap, so raise it to at least \(physical)",
            at: range,
            notes: [DiagnosticNote("max_physical_memory is set to \(physical) here", at: physicalRange)])
    }

    /// The cgroup controller (or feature) a key needs is not on this host; `controller` names
    /// it with its article ("the memory cgroup controller").
    public static func controllerMissing(
        _ key: String, controller: String, lookedAt: String,
        at range: SourceRange
    ) -> Diagnostic {
        Diagnostic(
            .controllerMissing,
            "\(key) needs \(controller), which this host does not have (\(lookedAt) not found); the limit will not be applied: enable it or remove the key",
            at: range)
    }

    /// `net_classid` on a cgroup v2 host.
    public static func netClassIDNoEffect(at range: SourceRange) -> Diagnostic {
        Diagnostic(
            .netClassIDNoEffect,
            "net_classid has no effect on a cgroup v2 host (v2 has no net_cls controller); remove it, or match the container's cgroup path in nftables ('socket cgroupv2') instead",
            at: range)
    }

    /// The host cannot give a container its own cgroup (which `list` and `kill` find it by) or
    /// its device allow-list: `problem` says what is missing, `remedy` how to mount it. Not
    /// about one key, so it points at the start of the file.
    public static func cgroupUnusable(problem: String, remedy: String) -> Diagnostic {
        Diagnostic(.cgroupUnusable, "this host cannot run a container: \(problem); \(remedy)", at: .point(0))
    }

    /// `id_map_start` or `id_map_mode` (`key`) without the user namespace.
    public static func idMapWithoutUserNamespace(key: String = "id_map_start", at range: SourceRange) -> Diagnostic {
        Diagnostic(
            .idMapWithoutUserNamespace,
            "\(key) has no effect without the user namespace; add 'u' to namespaces or remove \(key)",
            at: range)
    }

    /// With `id_map_mode=idmap`, the root (`what` = "root") or a mount source is on a filesystem
    /// the kernel cannot mount idmapped. `remedy` says what to change for this one.
    public static func idmapUnsupported(
        _ what: String, path: String, fileSystem: String, reason: String,
        remedy: String, at range: SourceRange, fixIts: [FixIt] = []
    ) -> Diagnostic {
        Diagnostic(
            .idmapUnsupported,
            "\(what) '\(path)' is on \(fileSystem), which cannot be mounted idmapped (\(reason)); id_map_mode=idmap (the default with 'u') needs ext4, xfs, btrfs, tmpfs or another filesystem that supports idmapped mounts: \(remedy)",
            at: range, fixIts: fixIts)
    }

    /// The root's owner does not fit the mode: `problem` says why its files would belong to
    /// nobody inside, `remedy` what to set.
    public static func idMapModeMismatch(
        root: String, problem: String, remedy: String,
        at range: SourceRange, fixIts: [FixIt] = []
    ) -> Diagnostic {
        Diagnostic(
            .idMapModeMismatch,
            "root '\(root)' \(problem); \(remedy)", at: range, fixIts: fixIts)
    }

    // MARK: Mounts

    /// A mount destination with a `..` component.
    public static func mountDestinationDotDot(_ path: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(
            .mountDestinationDotDot,
            "mount destination '\(path)' contains '..'; it could climb out of the container's root: write the destination without '..'",
            at: range)
    }

    /// A mount destination that is the container's root itself.
    public static func mountDestinationRoot(_ path: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(
            .mountDestinationRoot,
            "mount destination '\(path)' is the container's root; mount over a directory inside it, or change root instead",
            at: range)
    }

    /// Two mounts onto the same (normalised) destination.
    public static func duplicateMountDestination(
        _ path: String, at range: SourceRange,
        firstAt first: SourceRange
    ) -> Diagnostic {
        Diagnostic(
            .duplicateMountDestination,
            "'\(path)' is already a mount destination; the second mount would hide the first: remove one or change its destination",
            at: range, notes: [DiagnosticNote("first mounted on '\(path)' here", at: first)])
    }

    /// A mount source that does not exist on the host.
    public static func mountSourceNotFound(_ path: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(
            .mountSourceNotFound,
            "mount source '\(path)' does not exist on the host; create it or fix the path",
            at: range)
    }

    /// A mount destination that crosses a symlink inside the root; `resolved` is where it leads,
    /// inside the root, when that is known. `range` is the symlinked component; the fix-it
    /// replaces the whole destination at `pathRange` (`range` when not given).
    public static func mountDestinationSymlink(
        _ path: String, symlink: String, target: String?,
        resolved: String?, at range: SourceRange,
        pathAt pathRange: SourceRange? = nil
    ) -> Diagnostic {
        let pointsTo = target.map { " -> '\($0)'" } ?? ""
        var fixIts: [FixIt] = []
        var advice = "write the destination without symlinks"
        if let resolved, resolved != path {
            advice = "write the real path '\(resolved)' instead"
            fixIts = [FixIt("replace with '\(resolved)'", replacing: pathRange ?? range, with: resolved)]
        }
        return Diagnostic(
            .mountDestinationSymlink,
            "mount destination '\(path)' goes through the symbolic link '\(symlink)'\(pointsTo) inside the root; the mount could escape the container, so it is refused: \(advice)",
            at: range, fixIts: fixIts)
    }

    // MARK: Block devices

    /// The same device limited twice with the same kind of limit.
    public static func duplicateDeviceLimit(
        _ key: String, device: String, at range: SourceRange,
        firstAt first: SourceRange
    ) -> Diagnostic {
        Diagnostic(
            .duplicateDeviceLimit,
            "device \(device) has a second \(key); the second would replace the first: keep one of them",
            at: range, notes: [DiagnosticNote("first \(key) for \(device) here", at: first)])
    }

    /// `/sys/dev/block/MAJ:MIN` does not exist.
    public static func blockDeviceNotFound(_ device: String, lookedAt: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(
            .blockDeviceNotFound,
            "no block device \(device) on this host (\(lookedAt) not found); 'lsblk' lists the MAJ:MIN of each disk",
            at: range)
    }

    /// The device is a partition: block I/O throttling applies to whole disks.
    public static func blockDeviceIsPartition(_ device: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(
            .blockDeviceIsPartition,
            "block device \(device) is a partition; I/O throttling only applies to whole disks: use the disk's MAJ:MIN ('lsblk' shows it)",
            at: range)
    }

    // MARK: Files of a container

    /// Two or more config files for one container name (`configs/web` and `configs/web.yaml`);
    /// reported at 1:1 of the first by the commands that look a name up.
    public static func duplicateConfig(name: String, paths: [String]) -> Diagnostic {
        Diagnostic(
            .duplicateConfig,
            "container '\(name)' has more than one config: \(paths.joined(separator: ", ")); keep only one",
            at: .point(0))
    }
}
