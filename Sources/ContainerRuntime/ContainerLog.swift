#if canImport(Glibc)
import Glibc
#endif
import SystemIO

/// The container's log (`logs/NAME`): appended to, never truncated, opened relative to the
/// logs directory without following a symlink. The launcher writes its warnings and errors
/// here; init's stdout/stderr go to the same open file description.
struct ContainerLog {
    let container: String
    private(set) var descriptor: Int32 = -1

    init(container: String) { self.container = container }

    /// Opens (creating with mode 0640) the log at `path`; the logs directory is created if
    /// missing, like the other state subdirectories.
    mutating func open(path: String) throws(RuntimeError) {
        _ = try Syscall.makeDirectories(Syscall.split(path).directory)
        descriptor = try system { () throws(SystemError) in
            try DirectoryHandle.openFile(atPath: path, O_WRONLY | O_APPEND | O_CREAT, mode: 0o640).rawValue
        }
    }

    /// Appends one line (`container start: …`); a log that cannot be written is not a reason
    /// to fail a start, the same text reaches stderr.
    func append(_ line: String) {
        guard descriptor >= 0 else { return }
        Syscall.writeAll(descriptor, Array("container start \(container): \(line)\n".utf8))
    }

    mutating func close() {
        Syscall.close(descriptor)
        descriptor = -1
    }

    /// One line on stderr.
    static func printError(_ line: String) {
        Syscall.writeAll(2, Array((line + "\n").utf8))
    }
}
