#if canImport(Glibc)
import Glibc
#endif
import SystemIO
import CLinuxShim

/// The container's root directory held as an fd; every path inside it is resolved by the
/// kernel *inside* it (openat2 with RESOLVE_IN_ROOT, RESOLVE_NO_SYMLINKS and
/// RESOLVE_NO_MAGICLINKS), never by string concatenation on the host.
///
/// So a symlink planted in the rootfs (`dev -> /etc`), or a mount target swapped for a symlink
/// while the start runs (CVE-2021-30465), makes the resolution fail with ELOOP instead of
/// redirecting a mount to the host. Mounts then go through `/proc/self/fd/N` of the O_PATH fd,
/// so the kernel mounts on exactly the inode that was resolved.
struct ContainerRoot {
    /// The root as the plan names it (host path), for messages.
    let hostPath: String
    /// O_PATH fd of the root mount (re-opened after the root is bound onto itself).
    private(set) var descriptor: Int32

    static let resolveFlags = CLS_RESOLVE_IN_ROOT | CLS_RESOLVE_NO_SYMLINKS | CLS_RESOLVE_NO_MAGICLINKS

    /// Opens the root (a host path from a checked config: it is not a symlink).
    init(hostPath: String) throws(RuntimeError) {
        self.hostPath = hostPath
        self.descriptor = try Self.openHostPath(hostPath)
    }

    /// The root held by `descriptor` (an O_PATH fd the caller hands over).
    init(hostPath: String, descriptor: Int32) {
        self.hostPath = hostPath
        self.descriptor = descriptor
    }

    /// O_PATH|O_DIRECTORY|O_NOFOLLOW of the root's host path.
    static func openHostPath(_ hostPath: String) throws(RuntimeError) -> Int32 {
        try Syscall.open(hostPath, CLS_O_PATH | O_DIRECTORY | O_NOFOLLOW)
    }

    /// A plan path as a path relative to the root: the plan may name a target either inside
    /// the container (`/dev`) or as the host path under the root (`/srv/web/dev`); both mean
    /// the same place. Empty components and `.` are dropped; `..` is kept (the kernel clamps
    /// it at the root with RESOLVE_IN_ROOT).
    func relativeComponents(_ path: String) -> [String] {
        var inside = Substring(path)
        if hostPath != "/", path == hostPath { inside = "" } else if hostPath != "/", path.hasPrefix(hostPath + "/") { inside = path.dropFirst(hostPath.count) }
        return inside.split(separator: "/").map(String.init).filter { $0 != "." }
    }

    /// How a path inside the root appears in messages: the host path of the container path.
    func display(_ path: String) -> String {
        let components = relativeComponents(path)
        if components.isEmpty { return hostPath }
        return (hostPath == "/" ? "" : hostPath) + "/" + Self.slashJoined(components)
    }

    /// `a/b/c`. Not `joined(separator:)`: this runs in init, a fresh process, where the first
    /// `joined` resolves generic metadata at run time (perf: ~0.1 ms of every start).
    static func slashJoined(_ components: [String]) -> String {
        var path = ""
        for (index, component) in components.enumerated() {
            if index > 0 { path += "/" }
            path += component
        }
        return path
    }

    /// Opens an existing path inside the root.
    func open(_ path: String, flags: Int32 = CLS_O_PATH) throws(RuntimeError) -> Int32 {
        let relative = Self.slashJoined(relativeComponents(path))
        return try Syscall.openat2(
            descriptor, relative.isEmpty ? "." : relative, flags: flags, resolve: Self.resolveFlags,
            displayPath: display(path))
    }

    /// A real (not O_PATH) directory fd of an existing directory inside the root: mknodat,
    /// symlinkat and openat(O_CREAT) need one.
    func openDirectory(_ path: String) throws(RuntimeError) -> Int32 {
        let pathFD = try open(path, flags: CLS_O_PATH | O_DIRECTORY)
        defer { Syscall.close(pathFD) }
        let directory = openat(pathFD, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard directory >= 0 else { throw .system("open", path: display(path)) }
        return directory
    }

    /// What to create when a mount target is missing.
    enum MissingTarget { case directory, file, none }

    /// Opens a mount target inside the root, creating the missing directories on the way and
    /// the last component as `missing` says. Each component is created with mkdirat/openat
    /// relative to its parent's fd, so nothing is ever created through a symlink.
    func openTarget(_ path: String, creating missing: MissingTarget) throws(RuntimeError) -> Int32 {
        let components = relativeComponents(path)
        var current = dup(descriptor)
        guard current >= 0 else { throw .system("dup", path: hostPath) }
        // One cleanup for the walk: whichever descriptor is current when a step throws is
        // closed here; on success it is handed to the caller (and -1 left behind).
        defer { Syscall.close(current) }
        var walked = hostPath == "/" ? "" : hostPath
        for (index, component) in components.enumerated() {
            walked += "/" + component
            var next = cls_openat2(current, component, UInt64(UInt32(bitPattern: CLS_O_PATH | O_CLOEXEC)), 0, Self.resolveFlags)
            if next < 0, errno == ENOENT {
                try create(component, in: current, as: index == components.count - 1 ? missing : .directory, walked: walked)
                next = cls_openat2(current, component, UInt64(UInt32(bitPattern: CLS_O_PATH | O_CLOEXEC)), 0, Self.resolveFlags)
            }
            guard next >= 0 else { throw .system("openat2", path: walked) }
            Syscall.close(current)
            current = next
        }
        defer { current = -1 }
        return current
    }

    /// Creates the missing `component` of a mount target relative to its parent's fd (never
    /// through a symlink); one that appeared meanwhile (EEXIST) is fine.
    private func create(_ component: String, in parent: Int32, as kind: MissingTarget, walked: String) throws(RuntimeError) {
        switch kind {
        case .directory:
            if mkdirat(parent, component, 0o755) != 0, errno != EEXIST { throw .system("mkdir", path: walked) }
        case .file:
            // openat with O_CREAT needs a real directory fd, not O_PATH.
            let file = try system { () throws(SystemError) -> FileDescriptor? in
                let directory = try FileDescriptor(rawValue: parent).openAt(".", O_RDONLY | O_DIRECTORY, displayPath: walked)
                defer { directory.close() }
                do throws(SystemError) {
                    return try directory.openAt(component, O_WRONLY | O_CREAT | O_EXCL, mode: 0o644, displayPath: walked)
                } catch  where error.errno == EEXIST {
                    return nil
                }
            }
            file?.close()
        case .none:
            break
        }
    }

    /// The file type bits of an open fd.
    static func fileType(_ descriptor: Int32) -> mode_t {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return 0 }
        return info.st_mode & S_IFMT
    }
}
