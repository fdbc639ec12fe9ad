#if canImport(Glibc)
import Glibc
#endif

/// Why a status, kill or cleanup operation failed; each case names what was being done.
public enum LifecycleError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A system call failed on a path (`rmdir(/sys/fs/cgroup/pids/web): Device or resource busy`).
    case system(operation: String, path: String, errno: Int32)
    /// Processes were still in a cgroup when the deadline passed.
    case processesRemain(cgroup: String, pids: [Int32], seconds: Int)
    /// The freezer did not reach FROZEN in time (the kill goes on without it; kept for logs).
    case freezeTimedOut(cgroup: String)

    public var description: String {
        switch self {
        case let .system(operation, path, code):
            return "\(operation)(\(path)): " + RuntimeError.describe(errno: code)
        case let .processesRemain(cgroup, pids, seconds):
            let list = pids.prefix(10).map(String.init).joined(separator: ", ")
            return "processes still in \(cgroup) after \(seconds) s: \(list)"
                + (pids.count > 10 ? ", …" : "")
                + " (a process in uninterruptible sleep dies once its I/O completes; run kill again)"
        case let .freezeTimedOut(cgroup):
            return "\(cgroup)/freezer.state did not reach FROZEN in time"
        }
    }
}
