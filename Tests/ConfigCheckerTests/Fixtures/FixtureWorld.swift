import Foundation
@testable import ConfigChecker

/// The host filesystem that `# check-options: filesystem` fixtures see, built afresh for each
/// such fixture in a temporary directory and removed after it. Fixtures name its paths as if it were `/` (`root=/rootfs/good`):
/// `PrefixedFileSystemProbe` puts the temporary directory in front of every path, so columns in
/// the fixture do not depend on where the world was built. docs/diagnostics.md lists the tree.
enum FixtureWorld {
    /// What is in the world: path → what to create there.
    enum Node {
        case directory(mode: Int)
        case file(mode: Int, contents: String)
        case symlink(String)
    }

    static let layout: [(String, Node)] = [
        // A healthy root filesystem.
        ("/rootfs/good", .directory(mode: 0o755)),
        ("/rootfs/good/bin/sh", .file(mode: 0o755, contents: "\u{7F}ELF")),
        ("/rootfs/good/sbin/init", .file(mode: 0o755, contents: "\u{7F}ELF")),
        ("/rootfs/good/sbin/script-init", .file(mode: 0o755, contents: "#!/bin/sh\nexec /bin/sh\n")),
        ("/rootfs/good/sbin/python-init", .file(mode: 0o755, contents: "#!/usr/bin/python3\n")),
        ("/rootfs/good/sbin/not-executable", .file(mode: 0o644, contents: "\u{7F}ELF")),
        ("/rootfs/good/sbin/abs-link", .symlink("/bin/sh")),  // re-rooted: fine
        ("/rootfs/good/sbin/escape", .symlink("../../../../host/bin/tool")),  // climbs out: clamped
        ("/rootfs/good/sbin/loop", .symlink("loop")),
        ("/rootfs/good/etc", .directory(mode: 0o755)),
        ("/rootfs/good/run", .directory(mode: 0o755)),
        ("/rootfs/good/var/run", .symlink("/run")),
        ("/rootfs/good/escape", .symlink("../../host")),
        ("/rootfs/insecure", .directory(mode: 0o777)),
        ("/rootfs/insecure/sbin/init", .file(mode: 0o755, contents: "\u{7F}ELF")),
        ("/rootfs/link", .symlink("good")),
        ("/rootfs/file", .file(mode: 0o644, contents: "not a directory\n")),
        // Seen as on a filesystem without idmapped mounts (ramfs): `PrefixedFileSystemProbe`.
        ("/rootfs/no-idmap/sbin/init", .file(mode: 0o755, contents: "\u{7F}ELF")),
        ("/rootfs/no-idmap", .directory(mode: 0o755)),
        ("/host/no-idmap", .directory(mode: 0o755)),
        // Host side: `@` inits and mount sources.
        ("/host/bin/tool", .file(mode: 0o755, contents: "\u{7F}ELF")),
        ("/host/bin/data", .file(mode: 0o644, contents: "data\n")),
        ("/host/data", .directory(mode: 0o755)),
        ("/host/www", .directory(mode: 0o755)),
        // sysfs: 8:0 is a disk, 8:1 a partition of it.
        ("/sys/dev/block/8:0", .directory(mode: 0o755)),
        ("/sys/dev/block/8:1/partition", .file(mode: 0o444, contents: "1\n")),
        // Network interfaces: br0 is a bridge (it has a `bridge` directory), eth9 is not.
        ("/sys/class/net/br0/bridge", .directory(mode: 0o755)),
        ("/sys/class/net/eth9", .directory(mode: 0o755)),
        // A cgroup v1 host with the memory controller but no swap accounting and no net_cls
        // (what the probe reads: /proc/self/mountinfo).
        ("/sys/fs/cgroup/memory/memory.limit_in_bytes", .file(mode: 0o644, contents: "")),
        ("/sys/fs/cgroup/pids", .directory(mode: 0o755)),
        ("/sys/fs/cgroup/devices", .directory(mode: 0o755)),
        ("/sys/fs/cgroup/freezer", .directory(mode: 0o755)),
        (
            "/proc/self/mountinfo",
            .file(
                mode: 0o444,
                contents: """
                    31 23 0:28 / /sys/fs/cgroup rw - tmpfs tmpfs rw,mode=755
                    35 31 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory
                    36 31 0:33 / /sys/fs/cgroup/devices rw - cgroup cgroup rw,devices
                    37 31 0:34 / /sys/fs/cgroup/freezer rw - cgroup cgroup rw,freezer
                    39 31 0:36 / /sys/fs/cgroup/pids rw - cgroup cgroup rw,pids

                    """)
        ),
        // `cgroup-host=no-cgroups`: nothing mounted on the cgroup root but a tmpfs.
        (
            "/proc/no-cgroups/mountinfo",
            .file(
                mode: 0o444,
                contents: """
                    31 23 0:28 / /sys/fs/cgroup rw - tmpfs tmpfs rw,mode=755

                    """)
        ),
        // `cgroup-host=no-devices`: v1 memory and pids, but not devices.
        (
            "/proc/no-devices/mountinfo",
            .file(
                mode: 0o444,
                contents: """
                    31 23 0:28 / /sys/fs/cgroup rw - tmpfs tmpfs rw,mode=755
                    35 31 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory
                    39 31 0:36 / /sys/fs/cgroup/pids rw - cgroup cgroup rw,pids

                    """)
        ),
    ]

    /// Builds a fresh world in a temporary directory, runs `body` with its path, removes it.
    static func withWorld<T>(_ body: (String) throws -> T) rethrows -> T {
        let directory = build()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        return try body(directory)
    }

    private static func build() -> String {
        let manager = FileManager.default
        let base = manager.temporaryDirectory.appendingPathComponent("checker-fixture-world-\(getpid())-\(UUID().uuidString)").path
        for (path, node) in layout {
            let full = base + path
            let parent = (full as NSString).deletingLastPathComponent
            try? manager.createDirectory(atPath: parent, withIntermediateDirectories: true)
            switch node {
            case .directory(let mode):
                try? manager.createDirectory(atPath: full, withIntermediateDirectories: true)
                chmod(full, mode_t(mode))
            case .file(let mode, let contents):
                _ = manager.createFile(atPath: full, contents: Data(contents.utf8))
                chmod(full, mode_t(mode))
            case .symlink(let target):
                try? manager.createSymbolicLink(atPath: full, withDestinationPath: target)
            }
        }
        // Directories created as parents get the umask's mode; make them all 0755 except the
        // ones the layout names, so a strict umask cannot make the good root look insecure.
        for (path, node) in layout {
            if case .directory(let mode) = node { chmod(base + path, mode_t(mode)) }
        }
        return base
    }
}

/// Sees the fixture world as the host: every absolute path is looked up under `prefix`.
/// Symlink targets are returned as stored, so an absolute target means the world's `/`.
/// `cgroupHost` NAME makes `/proc/self/mountinfo` read the world's `/proc/NAME/mountinfo`.
struct PrefixedFileSystemProbe: FileSystemProbe {
    let prefix: String
    var cgroupHost: String? = nil
    let host = HostFileSystemProbe()

    func linkStatus(_ path: String) -> FileStatus? { host.linkStatus(prefix + path) }
    func status(_ path: String) -> FileStatus? { host.status(prefix + path) }
    func symlinkTarget(_ path: String) -> String? { host.symlinkTarget(prefix + path) }
    func readPrefix(_ path: String, maxBytes: Int) -> [UInt8]? {
        if path == "/proc/self/mountinfo", let cgroupHost {
            return host.readPrefix(prefix + "/proc/\(cgroupHost)/mountinfo", maxBytes: maxBytes)
        }
        return host.readPrefix(prefix + path, maxBytes: maxBytes)
    }
    /// The world's `no-idmap` trees answer as ramfs does; every other path as the kernel does.
    func idmapSupport(_ path: String) -> IDMapSupport {
        if Self.withoutIDMap.contains(where: { path == $0 || path.hasPrefix($0 + "/") }) {
            return .unsupported(fileSystem: "ramfs", reason: "the kernel refused MOUNT_ATTR_IDMAP: Invalid argument (EINVAL)")
        }
        return host.idmapSupport(prefix + path)
    }
    static let withoutIDMap = ["/rootfs/no-idmap", "/host/no-idmap"]
}
