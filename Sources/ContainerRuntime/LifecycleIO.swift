#if canImport(Glibc)
import Glibc
#endif
import SystemIO

/// The small file and cgroup operations that status, kill and cleanup share.
///
/// Everything here reads or writes kernel interface files (cgroupfs, procfs), never files
/// inside a container's root, so plain paths are safe; every open still refuses a final
/// symlink (O_NOFOLLOW) because a cgroup control file is never a link.
enum LifecycleIO {
    /// The contents of a small file, or nil when it cannot be opened or read.
    static func read(_ path: String, limit: Int = 1 << 20) -> String? {
        KernelFile.readIfPresent(path, limit: limit)
    }

    /// Writes `value` to a control file in one write(2), as the kernel expects.
    static func write(_ value: String, to path: String) throws(RuntimeError) {
        try system { () throws(SystemError) in try KernelFile.write(value, to: path) }
    }

    /// True when a directory exists at `path` (not following a final symlink).
    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
    }

    /// True when a regular file exists at `path` (control files are regular files).
    static func isRegularFile(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFREG
    }

    /// The pids listed in `<cgroup>/cgroup.procs`; empty when the cgroup does not exist.
    ///
    /// Only positive numbers are returned: a pid of 0 or below must never reach kill(2), where
    /// it would mean "my process group" or "every process".
    static func processes(inCgroup cgroup: String) -> [pid_t] {
        guard let text = read(cgroup + "/cgroup.procs") else { return [] }
        return text.split(separator: "\n").compactMap { line in
            guard let pid = pid_t(line), pid > 0 else { return nil }
            return pid
        }
    }

    /// `cgroup` and every cgroup below it that exists, children before their parents (the
    /// order rmdir needs). A container with the cgroup namespace may create sub-cgroups and
    /// move processes into them; they are still the container's.
    static func subtree(of cgroup: String) -> [String] {
        guard isDirectory(cgroup) else { return [] }
        var result: [String] = []
        if let entries = try? DirectoryHandle.with(cgroup, { directory throws(SystemError) in try directory.entries() }) {
            for child in entries.filter(\.isDirectory).map({ cgroup + "/" + $0.name }).sorted() {
                result += subtree(of: child)
            }
        }
        result.append(cgroup)
        return result
    }

    /// Every pid in the subtrees of `cgroups`.
    static func processes(inSubtreesOf cgroups: [String]) -> [pid_t] {
        cgroups.flatMap { subtree(of: $0) }.flatMap { processes(inCgroup: $0) }
    }

    /// Removes the cgroup directories of `cgroups`' subtrees, children first. A cgroup that is
    /// already gone is fine (a concurrent kill or start may have removed it). EBUSY is retried
    /// until the deadline: the kernel may still be releasing the last exiting task.
    static func removeCgroups(_ cgroups: [String], timeoutMilliseconds: Int64 = 2_000) throws(RuntimeError) {
        let deadline = LifecycleDeadline(milliseconds: timeoutMilliseconds)
        for cgroup in cgroups {
            for directory in subtree(of: cgroup) {
                var failure: Int32 = 0
                let removed = deadline.wait {
                    if rmdir(directory) == 0 || errno == ENOENT { return true }
                    failure = errno
                    return failure != EBUSY
                }
                if !removed || failure != 0 && !isGone(directory) {
                    throw .system("rmdir", path: directory, errno: failure == 0 ? EBUSY : failure)
                }
            }
        }
    }

    private static func isGone(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) != 0 && errno == ENOENT
    }
}

/// A point in time on the monotonic clock after which a wait gives up.
struct LifecycleDeadline {
    private let end: Int64

    /// A deadline `milliseconds` from now.
    init(milliseconds: Int64) { end = LifecycleDeadline.now() + milliseconds * 1_000_000 }

    var hasPassed: Bool { LifecycleDeadline.now() >= end }

    /// Polls `condition` every few milliseconds until it holds (true) or the deadline passes
    /// (false). The kernel offers no portable notification for "cgroup empty" in v1, so this
    /// polls; the interval grows so that a long wait does not spin.
    func wait(until condition: () -> Bool) -> Bool {
        var interval: Int64 = 1_000_000
        while true {
            if condition() { return true }
            if hasPassed { return false }
            var pause = timespec(tv_sec: 0, tv_nsec: Int(interval))
            nanosleep(&pause, nil)
            interval = min(interval * 2, 50_000_000)
        }
    }

    private static func now() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
    }
}
