#if canImport(Glibc)
import Glibc
#endif
import SystemIO
import CLinuxShim

/// The messages the launcher, the child and init exchange over the socketpair created before
/// the first fork. Only one process holds the baton at a time, so the stream never has two
/// writers at once.
enum LaunchMessage: Equatable {
    /// Run the steps from this index on: the previous owner is done.
    case baton(Int)
    /// The child forked init; its pid in the launcher's pid namespace.
    case initPID(Int32)
    /// A step with the `warn` policy failed; the start goes on.
    case warning(String)
    /// A step failed: the sender exits after sending this.
    case failure(String)
    /// init is about to exec (the step at this index); end of file after this means success,
    /// because the socket is close-on-exec.
    case execNext(Int)
    /// init set up the console (the pty number inside); the master's fd follows as one byte
    /// with SCM_RIGHTS.
    case console(Int)

    private var tag: UInt8 {
        switch self {
        case .baton: 1
        case .initPID: 2
        case .warning: 3
        case .failure: 4
        case .execNext: 5
        case .console: 6
        }
    }

    private var payload: String {
        switch self {
        case let .baton(index), let .execNext(index), let .console(index): String(index)
        case let .initPID(pid): String(pid)
        case let .warning(text), let .failure(text): text
        }
    }

    /// Frame: tag byte, 4-byte little-endian length, UTF-8 payload.
    var encoded: [UInt8] {
        let body = Array(payload.utf8)
        let length = UInt32(body.count)
        return [tag, UInt8(length & 0xFF), UInt8((length >> 8) & 0xFF), UInt8((length >> 16) & 0xFF), UInt8(length >> 24)] + body
    }

    init?(tag: UInt8, payload: String) {
        switch tag {
        case 1:
            guard let index = Int(payload) else { return nil }
            self = .baton(index)
        case 2:
            guard let pid = Int32(payload) else { return nil }
            self = .initPID(pid)
        case 3: self = .warning(payload)
        case 4: self = .failure(payload)
        case 5:
            guard let index = Int(payload) else { return nil }
            self = .execNext(index)
        case 6:
            guard let number = Int(payload) else { return nil }
            self = .console(number)
        default: return nil
        }
    }
}

/// One end of the launch socketpair.
struct LaunchChannel {
    let descriptor: Int32

    /// A connected pair, both ends close-on-exec: init's end closes when it execs, which is
    /// how the launcher learns that the exec succeeded (the runc/crun exec-fifo idea).
    static func pair() throws(RuntimeError) -> (LaunchChannel, LaunchChannel) {
        var fds: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &fds) == 0 else {
            throw .system("socketpair")
        }
        return (LaunchChannel(descriptor: fds[0]), LaunchChannel(descriptor: fds[1]))
    }

    /// Sends a message; false when the peer is gone. MSG_NOSIGNAL: a peer that died must
    /// give an error here, not a SIGPIPE that would kill the launcher before its undo.
    @discardableResult
    func send(_ message: LaunchMessage) -> Bool {
        let bytes = message.encoded
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { raw in
                retryingInterrupts { Glibc.send(descriptor, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL)) }
            }
            if sent < 0 { return false }
            offset += sent
        }
        return true
    }

    /// The next message, or nil at end of file (every peer closed its end).
    func receive() -> LaunchMessage? {
        guard let header = FileDescriptor(rawValue: descriptor).readExactly(5) else { return nil }
        let length = Int(header[1]) | Int(header[2]) << 8 | Int(header[3]) << 16 | Int(header[4]) << 24
        guard length <= 1 << 20 else { return nil }
        let body = length == 0 ? [] : (FileDescriptor(rawValue: descriptor).readExactly(length) ?? [])
        guard body.count == length else { return nil }
        return LaunchMessage(tag: header[0], payload: String(decoding: body, as: UTF8.self))
    }

    /// The fd sent right after a `.console` message (close-on-exec), or nil.
    func receiveDescriptor() -> Int32? {
        let descriptor = retryingInterrupts { cls_receive_fd(self.descriptor) }
        return descriptor >= 0 ? descriptor : nil
    }

    func close() { Syscall.close(descriptor) }
}
