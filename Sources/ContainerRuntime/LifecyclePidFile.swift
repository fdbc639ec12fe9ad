#if canImport(Glibc)
import Glibc
#endif
import ContainerState

/// Reads and removes `pids/NAME`, the seed's record of init's host pid.
///
/// The pid file is a hint, never an identity: after a crash, a reboot or pid reuse it may name
/// an unrelated process, and `atoi` of garbage is 0 (`kill(0, 9)` kills the caller's process
/// group). So a pid read here is only reported after it has been found in the container's
/// cgroup (see `ContainerStatus`), and nothing is ever signalled because of it.
public enum LifecyclePidFile {
    /// The pid in `pids/NAME` when the file holds exactly one plausible pid (decimal digits,
    /// optionally one trailing newline, greater than 1), else nil. The file is opened relative
    /// to the pids directory and never through a symlink.
    public static func read(_ name: ContainerName, state: StateDirectory) -> pid_t? {
        let directory = open(state.pidsDirectory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard directory >= 0 else { return nil }
        defer { close(directory) }
        // O_NONBLOCK: a FIFO planted as a pid file must not hang `list`.
        let file = openat(directory, name.rawValue, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        guard file >= 0 else { return nil }
        defer { close(file) }
        var info = stat()
        guard fstat(file, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        guard let text = LifecycleIO.readAll(file, limit: 32) else { return nil }
        return parse(text)
    }

    /// The pid a pid file's text names, or nil for anything but `DIGITS` or `DIGITS\n`.
    public static func parse(_ text: String) -> pid_t? {
        var digits = Substring(text)
        if digits.hasSuffix("\n") { digits = digits.dropLast() }
        guard !digits.isEmpty, digits.count <= 10,
              digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              let value = Int64(digits), value > 1, value <= Int64(Int32.max)
        else { return nil }
        return pid_t(value)
    }

    /// True when something (even a dangling symlink) is at `pids/NAME`.
    public static func exists(_ name: ContainerName, state: StateDirectory) -> Bool {
        var info = stat()
        return fstatat(AT_FDCWD, state.pidPath(name), &info, AT_SYMLINK_NOFOLLOW) == 0
    }

    /// Removes `pids/NAME` if it exists (relative to the pids directory: a symlink named NAME
    /// is removed itself, its target is never touched).
    public static func remove(_ name: ContainerName, state: StateDirectory) throws(LifecycleError) {
        let directory = open(state.pidsDirectory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard directory >= 0 else {
            if errno == ENOENT { return }
            throw .system(operation: "open", path: state.pidsDirectory, errno: errno)
        }
        defer { close(directory) }
        if unlinkat(directory, name.rawValue, 0) != 0, errno != ENOENT {
            throw .system(operation: "unlink", path: state.pidPath(name), errno: errno)
        }
    }
}
