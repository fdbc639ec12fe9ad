#if canImport(Glibc)
import Glibc
#endif
import SystemIO
import CLinuxShim
import LaunchPlan

/// The mount steps of init, in the new mount namespace: every target is resolved inside the
/// root and mounted through its fd.
extension ForkedProcess {
    func requireRoot(_ step: String) throws(RuntimeError) -> ContainerRoot {
        guard let root else { throw .failed("plan", "\(step) before bindRootToItself") }
        return root
    }

    /// `mount --make-rprivate /`: nothing done in this namespace propagates to the host, and
    /// nothing from the host arrives. Checked, and first.
    func makeMountsPrivate() throws(RuntimeError) {
        try Syscall.mount(nil, "/", type: nil, flags: CLS_MS_REC | CLS_MS_PRIVATE, data: nil, displayTarget: "/", step: "mount --make-rprivate")
    }

    /// Binds the root onto itself (pivot_root needs a mount point): a detached recursive copy
    /// of the root (open_tree) attached on top of it (move_mount), whose fd then names the new
    /// mount, so no path is looked up again. The root is the fd the child opened before the
    /// id maps took effect (`openRoot`): init, as the container's root, may not be able to
    /// traverse the directories above it.
    mutating func bindRootToItself(_ path: String) throws(RuntimeError) {
        let opened = heldRoot >= 0 ? heldRoot : try ContainerRoot.openHostPath(path)
        heldRoot = -1
        defer { Syscall.close(opened) }
        let tree = try system { () throws(SystemError) in try MountTree.clone("", in: opened, displayPath: path) }
        do throws(SystemError) { try MountTree.attach(tree, onto: opened, displayPath: path) } catch {
            tree.close()
            throw RuntimeError(error)
        }
        root = ContainerRoot(hostPath: path, descriptor: tree.rawValue)
    }

    func mountTmpfs(_ target: String, options: String) throws(RuntimeError) {
        let (flags, data) = MountOptions.parse(options)
        try mountFresh("tmpfs", at: target, flags: flags, data: data)
    }

    /// A new instance of the filesystem `type` at `target`, resolved inside the root (the
    /// directory created when missing) and mounted through the resolved fd: the one way init
    /// mounts tmpfs, devpts, mqueue and sysfs.
    func mountFresh(_ type: String, at target: String, flags: UInt, data: String = "") throws(RuntimeError) {
        let root = try requireRoot("mount " + type)
        let descriptor = try root.openTarget(target, creating: .directory)
        defer { Syscall.close(descriptor) }
        try Syscall.mount(
            type, Syscall.fdPath(descriptor), type: type, flags: flags, data: data.isEmpty ? nil : data,
            displayTarget: root.display(target), step: "mount " + type)
    }

    /// procfs of the new pid namespace; verified with fstatfs afterwards (a bind of the host's
    /// /proc or anything else mounted there instead would not be PROC_SUPER_MAGIC).
    func mountProc(_ target: String) throws(RuntimeError) {
        let root = try requireRoot("mountProc")
        let descriptor = try root.openTarget(target, creating: .directory)
        defer { Syscall.close(descriptor) }
        try Syscall.mount(
            "proc", Syscall.fdPath(descriptor), type: "proc", flags: CLS_MS_NOSUID | CLS_MS_NODEV | CLS_MS_NOEXEC, data: nil,
            displayTarget: root.display(target), step: "mount proc")
        let mounted = try root.open(target)
        defer { Syscall.close(mounted) }
        var type: Int64 = 0
        guard cls_fstatfs_type(mounted, &type) == 0 else { throw .system("fstatfs", path: root.display(target)) }
        guard type == 0x9FA0 else { throw .failed("mount proc", path: root.display(target), "the mounted filesystem is not procfs") }
    }

    /// Creates the device nodes in the fresh /dev tmpfs: mknod, or (in a user namespace,
    /// where mknod is refused) an empty file with the host's node bound onto it; then the
    /// standard symlinks. The host's node is opened by its host path, before pivot_root.
    func populateDev(_ target: String, nodes: [DeviceNode], bindFromHost: Bool) throws(RuntimeError) {
        let root = try requireRoot("populateDev")
        let dev = try root.openDirectory(target)
        defer { Syscall.close(dev) }
        let display = root.display(target)
        for node in nodes {
            let path = display + "/" + node.name
            if bindFromHost {
                let file = openat(dev, node.name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode_t(node.mode))
                guard file >= 0 else { throw .system("create", path: path) }
                Syscall.close(file)
                let source = try Syscall.open("/dev/" + node.name, CLS_O_PATH | O_NOFOLLOW)
                defer { Syscall.close(source) }
                let created = try Syscall.openat2(dev, node.name, flags: CLS_O_PATH | O_NOFOLLOW, resolve: ContainerRoot.resolveFlags, displayPath: path)
                defer { Syscall.close(created) }
                try Syscall.mount(
                    Syscall.fdPath(source), Syscall.fdPath(created), type: nil, flags: CLS_MS_BIND, data: nil, displayTarget: path,
                    step: "mount --bind /dev/\(node.name)")
            } else {
                let device = cls_makedev(node.major, node.minor)
                guard cls_mknodat(dev, node.name, S_IFCHR | mode_t(node.mode), device) == 0 else {
                    throw .system("mknod", path: path, detail: "\(node.major):\(node.minor)")
                }
                // mknod applies the umask; the plan's mode is the mode.
                guard fchmodat(dev, node.name, mode_t(node.mode), 0) == 0 else { throw .system("chmod", path: path) }
            }
        }
        let links = [("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"), ("stdout", "/proc/self/fd/1"), ("stderr", "/proc/self/fd/2")]
        for (name, destination) in links where symlinkat(destination, dev, name) != 0 {
            throw .system("symlink", path: display + "/" + name, detail: "-> \(destination)")
        }
    }

    /// A bind mount of a host path. `readOnly`: a recursive bind, then a read-only remount of
    /// the new mount that keeps the flags the kernel locks in a user namespace (nosuid, nodev,
    /// noexec, atime flags): dropping them would make the remount fail with EPERM.
    func bindMount(_ mount: BindMount) throws(RuntimeError) {
        let root = try requireRoot("bindMount")
        // The fd the child opened before the id maps (`openMountSources`), else by path now.
        let held = heldSources.first { $0.path == mount.source }?.descriptor
        let source: Int32
        if let held {
            source = dup(held)
            guard source >= 0 else { throw .system("dup", path: mount.source) }
        } else {
            source = try Syscall.open(mount.source, CLS_O_PATH, step: "open mount source")
        }
        defer { Syscall.close(source) }
        let isDirectory = ContainerRoot.fileType(source) == S_IFDIR
        let target = try root.openTarget(mount.target, creating: isDirectory ? .directory : .file)
        let display = root.display(mount.target)
        let bound = Result { () throws(RuntimeError) in
            try Syscall.mount(
                Syscall.fdPath(source), Syscall.fdPath(target), type: nil, flags: CLS_MS_BIND | CLS_MS_REC, data: nil, displayTarget: display,
                step: "mount --rbind \(mount.source)")
        }
        Syscall.close(target)
        try bound.get()
        if mount.readOnly { try remountReadOnly(mount.target, in: root) }
    }

    /// Remounts the mount now on top of `path` read-only, keeping its locked flags.
    func remountReadOnly(_ path: String, in root: ContainerRoot) throws(RuntimeError) {
        let display = root.display(path)
        let mounted = try root.open(path)
        defer { Syscall.close(mounted) }
        let alias = Syscall.fdPath(mounted)
        var current: UInt = 0
        guard cls_statvfs_flags(alias, &current) == 0 else { throw .system("statvfs", path: display) }
        let kept: [(UInt, UInt)] = [
            (CLS_ST_NOSUID, CLS_MS_NOSUID), (CLS_ST_NODEV, CLS_MS_NODEV), (CLS_ST_NOEXEC, CLS_MS_NOEXEC),
            (CLS_ST_NOATIME, CLS_MS_NOATIME), (CLS_ST_NODIRATIME, CLS_MS_NODIRATIME), (CLS_ST_RELATIME, CLS_MS_RELATIME),
        ]
        var flags = CLS_MS_REMOUNT | CLS_MS_BIND | CLS_MS_RDONLY
        for (statFlag, mountFlag) in kept where current & statFlag != 0 { flags |= mountFlag }
        try Syscall.mount(nil, alias, type: nil, flags: flags, data: nil, displayTarget: display, step: "mount -o remount,bind,ro")
    }

    /// Masked paths get /dev/null (files) or an empty read-only tmpfs (directories) on top;
    /// read-only paths are bound onto themselves and remounted read-only. A path the kernel
    /// does not have (e.g. /proc/sched_debug) is skipped.
    func protectProc(masked: [String], readOnly: [String]) throws(RuntimeError) {
        let root = try requireRoot("protectProc")
        for path in masked {
            guard let target = try openIfPresent(path, in: root) else { continue }
            defer { Syscall.close(target) }
            let display = root.display(path)
            if ContainerRoot.fileType(target) == S_IFDIR {
                try Syscall.mount(
                    "tmpfs", Syscall.fdPath(target), type: "tmpfs", flags: CLS_MS_RDONLY | CLS_MS_NOSUID | CLS_MS_NODEV | CLS_MS_NOEXEC,
                    data: "size=0,mode=555", displayTarget: display, step: "mask (mount tmpfs)")
            } else {
                try Syscall.mount(
                    Syscall.fdPath(maskSource), Syscall.fdPath(target), type: nil, flags: CLS_MS_BIND, data: nil, displayTarget: display,
                    step: "mask (mount --bind /dev/null)")
            }
        }
        for path in readOnly {
            guard let target = try openIfPresent(path, in: root) else { continue }
            let display = root.display(path)
            let bound = Result { () throws(RuntimeError) in
                try Syscall.mount(
                    Syscall.fdPath(target), Syscall.fdPath(target), type: nil, flags: CLS_MS_BIND | CLS_MS_REC, data: nil, displayTarget: display,
                    step: "mount --rbind")
            }
            Syscall.close(target)
            try bound.get()
            try remountReadOnly(path, in: root)
        }
    }

    private func openIfPresent(_ path: String, in root: ContainerRoot) throws(RuntimeError) -> Int32? {
        do throws(RuntimeError) {
            return try root.open(path)
        } catch {
            if error.errnoValue == ENOENT { return nil }
            throw error
        }
    }

    /// pivot_root into the root: `pivot_root(".", ".")` from inside it stacks the old root on
    /// top of the new one, and `umount2(".", MNT_DETACH)` removes it, so no directory has to be
    /// created (or removed) in the container's root for the old one.
    mutating func pivotRoot(_ path: String) throws(RuntimeError) {
        let root = try requireRoot("pivotRoot")
        guard fchdir(root.descriptor) == 0 else { throw .system("chdir", path: path) }
        guard cls_pivot_root(".", ".") == 0 else { throw .system("pivot_root", path: path) }
        guard cls_umount2(".", CLS_MNT_DETACH) == 0 else { throw .system("umount2", path: "old root", detail: "MNT_DETACH") }
        guard chdir("/") == 0 else { throw .system("chdir", path: "/") }
        pivoted = true
    }
}

/// `mode=755,size=64m,nosuid` → mount flags and the filesystem-specific data.
///
/// A `switch` and plain appends rather than a `[String: UInt]` literal and `joined`: this runs
/// in init, a fresh process, where the first dictionary literal instantiates its generic
/// metadata through the runtime's mangled-name lookup (perf: ~0.25 ms of every start).
enum MountOptions {
    static func flag(_ option: Substring) -> UInt? {
        switch option {
        case "ro": return CLS_MS_RDONLY
        case "nosuid": return CLS_MS_NOSUID
        case "nodev": return CLS_MS_NODEV
        case "noexec": return CLS_MS_NOEXEC
        case "noatime": return CLS_MS_NOATIME
        case "nodiratime": return CLS_MS_NODIRATIME
        case "relatime": return CLS_MS_RELATIME
        case "strictatime": return CLS_MS_STRICTATIME
        default: return nil
        }
    }

    static func parse(_ options: String) -> (UInt, String) {
        var flags: UInt = 0
        var data = ""
        for option in options.split(separator: ",") where option != "rw" {
            if let flag = flag(option) {
                flags |= flag
            } else {
                if !data.isEmpty { data += "," }
                data.append(contentsOf: option)  // the concrete Substring overload, not generic `+=`
            }
        }
        return (flags, data)
    }
}
