#if canImport(Glibc)
import Glibc
#endif
import SystemIO
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
        read(path: state.pidPath(name))
    }

    /// The pid in the pid file at `path` (the exec plan names it), as `read(_:state:)`.
    static func read(path: String) -> pid_t? {
        // O_NONBLOCK: a FIFO planted as a pid file must not hang `list`.
        guard let file = try? DirectoryHandle.openFile(atPath: path, O_RDONLY | O_NONBLOCK) else { return nil }
        defer { file.close() }
        guard let info = try? file.status(), info.st_mode & S_IFMT == S_IFREG,
            let bytes = try? file.readAll(limit: 32)
        else { return nil }
        return parse(String(decoding: bytes, as: UTF8.self))
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
        (try? DirectoryHandle.with(state.pidsDirectory) { directory throws(SystemError) in directory.contains(name.rawValue) }) ?? false
    }

    /// Removes `pids/NAME` if it exists (relative to the pids directory: a symlink named NAME
    /// is removed itself, its target is never touched).
    public static func remove(_ name: ContainerName, state: StateDirectory) throws(RuntimeError) {
        do {
            try DirectoryHandle.with(state.pidsDirectory) { directory throws(SystemError) in try directory.unlink(name.rawValue) }
        } catch  where error.errno == ENOENT {
            return  // no pids/ yet: nothing to remove
        } catch {
            throw RuntimeError(error)
        }
    }
}
