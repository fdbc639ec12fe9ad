#if canImport(Glibc)
import Glibc
#endif
import CLinuxShim

/// One id range mapped into a user namespace: ids `containerStart…+count-1` are host ids
/// `hostStart…+count-1` (one line of uid_map/gid_map).
public struct IDRange: Sendable, Hashable {
    public var containerStart: UInt32
    public var hostStart: UInt32
    public var count: UInt32
    public init(containerStart: UInt32, hostStart: UInt32, count: UInt32) {
        self.containerStart = containerStart
        self.hostStart = hostStart
        self.count = count
    }

    /// The line written to /proc/PID/uid_map and gid_map.
    public var mapLine: String { "\(containerStart) \(hostStart) \(count)\n" }
}

/// Idmapped mounts (Linux 5.12+): a detached copy of a host tree whose on-disk ids the kernel
/// translates through the id map of a user namespace, so that with the container's map
/// (`0 START 65536`) a file owned by host uid 0 on disk is owned by the container's root, and
/// a file the container's root creates is stored as uid 0. Nothing on disk is chowned.
///
/// Every step needs CAP_SYS_ADMIN over the filesystem's superblock, i.e. host root: it runs
/// in the launcher (and in `check` as root, as a trial that is never attached).
public enum IDMappedMount {
    /// An fd of a new user namespace whose uid_map and gid_map are `range`, held by nothing
    /// else: a helper process unshares it, the caller writes the maps (as root in the parent
    /// namespace, so setgroups need not be denied), opens `/proc/PID/ns/user` and lets the
    /// helper exit. The namespace lives as long as the fd (and the mounts made with it).
    public static func userNamespace(mapping range: IDRange) throws(SystemError) -> FileDescriptor {
        var ready: [Int32] = [-1, -1]
        var release: [Int32] = [-1, -1]
        guard cls_pipe2(&ready, O_CLOEXEC) == 0 else { throw SystemError("pipe2", detail: "for the id-map helper") }
        guard cls_pipe2(&release, O_CLOEXEC) == 0 else {
            let error = SystemError("pipe2", detail: "for the id-map helper")
            close(ready[0])
            close(ready[1])
            throw error
        }
        let pid = cls_fork()
        if pid == 0 {
            // The helper: only async-signal-safe calls (the caller may be multi-threaded).
            // Every fd but its two pipe ends goes first: a helper forked at the same time by
            // another thread would otherwise hold this one's release end open (and this one
            // the other's), and neither would ever see the end of file that releases it.
            let low = UInt32(min(ready[1], release[0])), high = UInt32(max(ready[1], release[0]))
            _ = cls_close_range(3, low - 1, 0)
            if high > low + 1 { _ = cls_close_range(low + 1, high - 1, 0) }
            _ = cls_close_range(high + 1, UInt32.max, 0)
            // 0, or unshare's errno (all fit in a byte).
            var status = UInt8(truncatingIfNeeded: cls_unshare(CLS_CLONE_NEWUSER) == 0 ? 0 : errno)
            _ = write(ready[1], &status, 1)
            _ = read(release[0], &status, 1)
            _exit(0)
        }
        close(ready[1])
        close(release[0])
        defer {
            close(release[1])
            close(ready[0])
            if pid > 0 {
                var status: Int32 = 0
                _ = retryingInterrupts { waitpid(pid, &status, 0) }
            }
        }
        guard pid > 0 else { throw SystemError("fork", detail: "the id-map helper") }
        var status: UInt8 = 1
        let got = retryingInterrupts { read(ready[0], &status, 1) }
        guard got == 1, status == 0 else {
            throw SystemError("unshare", detail: "CLONE_NEWUSER (the id-map helper)", errno: got == 1 ? Int32(status) : EIO)
        }
        for file in ["uid_map", "gid_map"] {
            try KernelFile.write(range.mapLine, to: "/proc/\(pid)/\(file)")
        }
        return try FileDescriptor.open("/proc/\(pid)/ns/user", O_RDONLY)
    }

    /// A detached, recursive copy of the tree at `source` (open_tree OPEN_TREE_CLONE |
    /// AT_RECURSIVE; a final symlink is followed, as a plain bind's source is), idmapped with
    /// the map of `userNamespace`
    /// (mount_setattr MOUNT_ATTR_IDMAP, recursively). The kernel refuses (EINVAL) when a
    /// filesystem of the tree does not support idmapped mounts.
    public static func clone(_ source: String, idmappedWith userNamespace: FileDescriptor) throws(SystemError) -> FileDescriptor {
        let tree = try MountTree.clone(source, displayPath: source)
        do { try MountTree.idmap(tree, with: userNamespace, displayPath: source) } catch {
            tree.close()
            throw error
        }
        return tree
    }

    /// Attaches a detached tree on top of the directory or file `target` refers to (an O_PATH
    /// fd), in the caller's mount namespace (move_mount).
    public static func attach(_ tree: FileDescriptor, onto target: Int32, displayPath: String) throws(SystemError) {
        try MountTree.attach(tree, onto: target, displayPath: displayPath)
    }

    /// The statfs(2) magic number of the filesystem `path` is on, or nil when it cannot be read.
    public static func fileSystemMagic(_ path: String) -> UInt32? {
        guard let file = try? FileDescriptor.open(path, CLS_O_PATH) else { return nil }
        defer { file.close() }
        var type: Int64 = 0
        guard cls_fstatfs_type(file.rawValue, &type) == 0 else { return nil }
        return UInt32(truncatingIfNeeded: type)
    }

    /// The kernel's answer to "can `path` be mounted idmapped?", by a trial: a throwaway user
    /// namespace and a detached idmapped copy of `path` that is closed, never attached. nil
    /// when it works, else the error (EINVAL: a filesystem of the tree does not support it;
    /// EPERM: the caller is not root, so the kernel could not say).
    public static func trial(_ path: String) -> SystemError? {
        do throws(SystemError) {
            let namespace = try userNamespace(mapping: IDRange(containerStart: 0, hostStart: 100_000, count: 65_536))
            defer { namespace.close() }
            try clone(path, idmappedWith: namespace).close()
            return nil
        } catch {
            return error
        }
    }
}
