import Foundation

/// Removes a test's cgroup parent from every hierarchy, killing whatever is still in it.
enum CgroupSweeper {
    /// Every mounted cgroup hierarchy: `/sys/fs/cgroup/<ctrl>` (v1) and the cgroup2 mount.
    static func hierarchies() -> [String] {
        guard let mountinfo = try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8) else { return [] }
        return mountinfo.split(separator: "\n").compactMap { line -> String? in
            let fields = line.split(separator: " ")
            guard let dash = fields.firstIndex(of: "-"), dash + 1 < fields.count else { return nil }
            let type = fields[dash + 1]
            return type == "cgroup" || type == "cgroup2" ? String(fields[4]) : nil
        }
    }

    /// Kills every process below `<hierarchy>/<parent>` in every hierarchy, thaws frozen
    /// freezers, then removes the directories children first. Polls with a deadline.
    static func killAndRemove(parent: String) {
        let roots = hierarchies().map { $0 + "/" + parent }.filter { isDirectory($0) }
        guard !roots.isEmpty else { return removeStrayDirectories(parent: parent) }
        eventually(timeout: 10) {
            var remaining = 0
            for root in roots {
                for cgroup in subtree(root) {
                    _ = try? "THAWED".write(toFile: cgroup + "/freezer.state", atomically: false, encoding: .utf8)
                    for pid in processes(cgroup) {
                        remaining += 1
                        kill(pid, SIGKILL)
                    }
                }
            }
            return remaining == 0
        }
        for root in roots {
            eventually(timeout: 5) {
                for cgroup in subtree(root) { rmdir(cgroup) }
                return !isDirectory(root)
            }
        }
        removeStrayDirectories(parent: parent)
    }

    /// OCI runtimes (runc, crun) create `/sys/fs/cgroup/<ctrl>/<parent>` for every v1
    /// controller they know, mounted or not: for one that is not (net_cls here) that is a plain
    /// directory in the tmpfs above the hierarchies, with a plain `cgroup.procs` written into it.
    /// Remove those too (they are files, not cgroups), and the controller directory they made
    /// when it is empty.
    static func removeStrayDirectories(parent: String) {
        let mounted = Set(hierarchies())
        let base = "/sys/fs/cgroup"
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: base)) ?? [] {
            let directory = base + "/" + entry
            guard !mounted.contains(directory), isDirectory(directory) else { continue }
            let stray = directory + "/" + parent
            guard isDirectory(stray) else { continue }
            try? FileManager.default.removeItem(atPath: stray)
            if (try? FileManager.default.contentsOfDirectory(atPath: directory))?.isEmpty == true { rmdir(directory) }
        }
    }

    /// The pids in `cgroup.procs` (positive only).
    static func processes(_ cgroup: String) -> [pid_t] {
        guard let text = try? String(contentsOfFile: cgroup + "/cgroup.procs", encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { pid_t($0) }.filter { $0 > 0 }
    }

    /// `root` and its descendants, children first.
    static func subtree(_ root: String) -> [String] {
        let children = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [])
            .map { root + "/" + $0 }.filter { isDirectory($0) }
        return children.flatMap(subtree) + [root]
    }

    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
    }
}
