#if canImport(Glibc)
import Glibc
#endif
import CLinuxShim

/// A failed system call: the operation, the path it worked on as the administrator wrote it
/// (not a `/proc/self/fd/N` alias), more words when they help, and the errno, rendered as
/// `rmdir(/sys/fs/cgroup/pids/web): Device or resource busy (EBUSY)`.
///
/// The one error type for system failures: the runtime, the lifecycle commands and the
/// loaders all throw it (the runtime wraps it with the plan step that failed).
public struct SystemError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The call or operation, e.g. `open`, `write`, `bpf(BPF_PROG_LOAD)`.
    public var operation: String
    public var path: String?
    /// The value written, the flags, a reason.
    public var detail: String?
    public var errno: Int32

    /// Captures the current `errno` unless one is given: call it right after the failure.
    public init(_ operation: String, path: String? = nil, detail: String? = nil, errno code: Int32 = Glibc.errno) {
        self.operation = operation
        self.path = path
        self.detail = detail
        self.errno = code
    }

    public var description: String {
        var text = operation
        if let path { text += "(\(path))" }
        if let detail { text += (path == nil ? ": " : " ") + detail }
        return text + ": " + Self.describe(errno: errno)
    }

    /// `Invalid argument (EINVAL)`.
    public static func describe(errno code: Int32) -> String {
        let message = String(cString: strerror(code))
        guard let name = cls_errno_name(code) else { return message }
        return "\(message) (\(String(cString: name)))"
    }
}

/// Calls `call` again as long as it fails with EINTR: the one retry loop for interrupted
/// system calls (a signal handler, SIGWINCH or SIGCHLD, may interrupt any blocking call).
/// Inlinable: called unspecialised from another module, the first call with each integer type
/// would make the runtime instantiate that type's `FixedWidthInteger` witness tables (a page
/// of private memory in every start; docs/performance.md).
@inlinable @inline(__always)
public func retryingInterrupts<Result: FixedWidthInteger>(_ call: () -> Result) -> Result {
    while true {
        let result = call()
        if result != -1 || errno != EINTR { return result }
    }
}
