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

    /// The payload: a number as its bytes in memory (`Int` 8, `Int32` 4), a text as its UTF-8.
    ///
    /// Numbers are not decimal text, nor converted between integer types: `String(n)`,
    /// `Int(text)` and `Int32(exactly:)` run generic code whose first use in a process
    /// instantiates witness tables of `Int32`, `String` and `Substring` (pages of private memory
    /// in every start, docs/performance.md). Both ends are the same process image.
    private var payload: [UInt8] {
        switch self {
        case let .baton(index), let .execNext(index), let .console(index): withUnsafeBytes(of: index) { Array($0) }
        case let .initPID(pid): withUnsafeBytes(of: pid) { Array($0) }
        case let .warning(text), let .failure(text): Array(text.utf8)
        }
    }

    /// Frame: tag byte, 4-byte little-endian length, the payload.
    var encoded: [UInt8] {
        let body = payload
        let length = UInt32(body.count)
        return [tag, UInt8(length & 0xFF), UInt8((length >> 8) & 0xFF), UInt8((length >> 16) & 0xFF), UInt8(length >> 24)] + body
    }

    init?(tag: UInt8, payload: [UInt8]) {
        switch tag {
        case 1, 5, 6:
            guard payload.count == MemoryLayout<Int>.size else { return nil }
            let index = payload.withUnsafeBytes { $0.loadUnaligned(as: Int.self) }
            self = tag == 1 ? .baton(index) : tag == 5 ? .execNext(index) : .console(index)
        case 2:
            guard payload.count == MemoryLayout<Int32>.size else { return nil }
            self = .initPID(payload.withUnsafeBytes { $0.loadUnaligned(as: Int32.self) })
        case 3: self = .warning(String(decoding: payload, as: UTF8.self))
        case 4: self = .failure(String(decoding: payload, as: UTF8.self))
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
        return LaunchMessage(tag: header[0], payload: body)
    }

    /// The fd sent right after a `.console` message (close-on-exec), or nil.
    func receiveDescriptor() -> Int32? {
        let descriptor = retryingInterrupts { cls_receive_fd(self.descriptor) }
        return descriptor >= 0 ? descriptor : nil
    }

    func close() { Syscall.close(descriptor) }
}
