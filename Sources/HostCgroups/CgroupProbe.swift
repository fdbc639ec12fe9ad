#if canImport(Glibc)
import Glibc
#endif
import SystemIO

/// The one probe of a host's cgroups, used by `check`, `plan`, `start`, `list` and `kill`, so
/// they can never disagree. It reads `/proc/self/mountinfo`, then the `cgroup.controllers` of
/// the v2 root when there is one, and nothing else.
///
/// The filesystem type of each mount point comes from mountinfo, which states it directly
/// (`cgroup2` is what statfs(2) would report as CGROUP2_SUPER_MAGIC 0x63677270), and which also
/// says which mounts a later mount hides: one read answers for every hierarchy.
public enum CgroupProbe {
    /// Where the kernel lists this process's mounts.
    public static let mountinfoPath = "/proc/self/mountinfo"
    /// Where the kernel lists this process's cgroups (`0::PATH` for the v2 hierarchy).
    public static let ownCgroupPath = "/proc/self/cgroup"

    /// Probes the running host.
    public static func probeHost(root: String = HostCgroups.defaultRoot) -> HostCgroups {
        probe(root: root, reading: readFile)
    }

    /// Probes through `read` (path → the file's text, nil when unreadable): the checker passes
    /// its filesystem view, so a fake host can hold a fake mountinfo.
    public static func probe(root: String, reading read: (String) -> String?) -> HostCgroups {
        var host = parse(mountinfo: read(mountinfoPath) ?? "", root: root)
        if let v2Root = host.v2Root, let text = read(v2Root + "/cgroup.controllers") {
            host.v2Controllers = CgroupV2Controller.parseList(text)
        }
        if let v2Root = host.v2Root, let text = read(ownCgroupPath), let own = v2Cgroup(fromProcCgroup: text) {
            host.launcherV2Cgroup = own
            let members = read(v2Root + (own == "/" ? "" : own) + "/cgroup.procs") ?? ""
            host.launcherCgroupIsShared = listsAnotherProcess(members, than: String(getpid()))
        }
        return host
    }

    /// The host described by the text of a mountinfo file (text in, model out, for tests);
    /// `v2Controllers` is left nil (unknown).
    public static func parse(mountinfo: String, root: String) -> HostCgroups {
        let root = HostCgroups.trimmingTrailingSlashes(root)
        let rootSlash = root + "/"
        // Every mount on, under or above the root. A mount on a path that is already a mount
        // point, or above one (a tmpfs over /sys/fs/cgroup, `ip netns exec`'s fresh /sys),
        // hides what was there: the hidden mounts stay listed, so each cgroup mount counts only
        // when resolving its own path from `/` reaches it (`PathResolution`).
        var mounts = PathResolution()
        var cgroupMounts = CgroupMountList()
        KernelTextBytes.reading(mountinfo) { text in
            text.forEachLine { line in
                // Only the first five fields of every line (ids and mount point), and a sixth
                // must follow; the rest only of cgroup mounts under the root.
                var fields = FieldCursor(text, line)
                guard let id = fields.next(), let parent = fields.next(), fields.next() != nil,
                    fields.next() != nil, let pointField = fields.next(), pointField.upperBound + 1 < line.upperBound
                else { return }
                // Strings compared as Strings (canonical equivalence), as the model compares them.
                let point = MountinfoEntry.unescape(text, pointField)
                let under = point == root || point.hasPrefix(rootSlash)
                guard under || point == "/" || root.hasPrefix(point + "/") else { return }
                let idString = text.string(id)
                mounts.add(id: idString, parent: text.string(parent), point: point)
                if under, MountinfoEntry.isCgroupMount(text, line) {
                    cgroupMounts.append(text, line, id: idString, mountPoint: point)
                }
            }
        }

        var v2Root: String?
        // An array, not a Set: at most seven elements, and `start` probes in a fresh process
        // where every generic container specialisation first touched costs page faults.
        var mounted: [CgroupV1Controller] = []
        for index in cgroupMounts.indices {
            let entry = cgroupMounts[index]
            guard mounts.topmost(at: entry.mountPoint) == entry.id else { continue }
            if entry.fileSystemType == "cgroup2" {
                // The root itself wins over a nested cgroup2 mount.
                if v2Root == nil || entry.mountPoint == root { v2Root = entry.mountPoint }
            } else if entry.fileSystemType == "cgroup" {
                // Directly under the root, named after the controller or after the
                // co-mounted group (`cpu,cpuacct`, reached through the `cpu` symlink).
                guard entry.isDirectlyUnder(root: root) else { continue }
                entry.addNamedControllers(to: &mounted)
            }
        }
        return HostCgroups(origin: .probed, root: root, v1Controllers: mounted, v2Root: v2Root)
    }

    /// The v2 path of `/proc/PID/cgroup` text: the `0::PATH` line's PATH, nil when there is none
    /// (a v1-only host) or it is not absolute (`(deleted)` suffixes and the like are kept out).
    public static func v2Cgroup(fromProcCgroup text: String) -> String? {
        KernelTextBytes.reading(text) { text in
            // The first `0::` line decides.
            var decided = false
            var path: String?
            text.forEachLine { line in
                guard !decided else { return }
                guard text.isPlainASCII(line) else {
                    // Characters, as ever: a non-ASCII byte may join its neighbours.
                    let line = Substring(text.string(line))
                    guard line.hasPrefix("0::") else { return }
                    let candidate = String(line.dropFirst(3))
                    decided = true
                    path = candidate.hasPrefix("/") && !candidate.contains(" ") ? candidate : nil
                    return
                }
                guard text.starts(line, with: "0::") else { return }
                let candidate = line.lowerBound + 3..<line.upperBound
                decided = true
                let absolute = text.starts(candidate, with: "/") && !text.contains(KernelTextBytes.space, in: candidate)
                path = absolute ? text.string(candidate) : nil
            }
            return path
        }
    }

    /// Whether the lines of a `cgroup.procs` text name a process other than `pid`.
    static func listsAnotherProcess(_ members: String, than pid: String) -> Bool {
        KernelTextBytes.reading(members) { text in
            var another = false
            text.forEachLine { line in another = another || !text.equals(line, pid) }
            return another
        }
    }

    private static func readFile(_ path: String) -> String? { KernelFile.readIfPresent(path) }
}
