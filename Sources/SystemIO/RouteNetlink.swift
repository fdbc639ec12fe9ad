#if canImport(Glibc)
import Glibc
#endif
import CLinuxShim

/// A NETLINK_ROUTE socket of the calling process's network namespace: sends one request,
/// waits for its answer. Opened per step and closed after it (a step runs once).
public struct RouteNetlink {
    private let descriptor: FileDescriptor
    private var sequence: UInt32 = 0

    /// socket(AF_NETLINK, SOCK_RAW|SOCK_CLOEXEC, NETLINK_ROUTE) + bind.
    public static func open() throws(SystemError) -> RouteNetlink {
        let fd = cls_netlink_route_socket()
        guard fd >= 0 else { throw SystemError("socket(AF_NETLINK, NETLINK_ROUTE)") }
        return RouteNetlink(descriptor: FileDescriptor(rawValue: fd))
    }

    private init(descriptor: FileDescriptor) { self.descriptor = descriptor }

    public func close() { descriptor.close() }

    /// Opens a socket, runs `body`, closes it.
    public static func with<T>(_ body: (inout RouteNetlink) throws(SystemError) -> T) throws(SystemError) -> T {
        var socket = try open()
        defer { socket.close() }
        return try body(&socket)
    }

    /// Sends `request` and returns the replies to it up to its acknowledgement (for a request
    /// with NLM_F_ACK) or its first answer. A negative acknowledgement throws an error that
    /// names the request, the interface and errno.
    @discardableResult
    public mutating func perform(_ request: NetlinkRequest) throws(SystemError) -> [NetlinkReply] {
        sequence &+= 1
        let operation = "netlink " + Netlink.typeName(request.type)
        let bytes = request.bytes(sequence: sequence)
        let sent = bytes.withUnsafeBytes { buffer in
            retryingInterrupts { cls_netlink_send(descriptor.rawValue, buffer.baseAddress, UInt(buffer.count)) }
        }
        guard sent == bytes.count else { throw SystemError(operation, path: request.subject, detail: "send") }
        var answers: [NetlinkReply] = []
        var buffer = [UInt8](repeating: 0, count: 32768)
        while true {
            let received = buffer.withUnsafeMutableBytes { raw in
                retryingInterrupts { recv(descriptor.rawValue, raw.baseAddress, raw.count, 0) }
            }
            guard received > 0 else { throw SystemError(operation, path: request.subject, detail: "receive") }
            for reply in NetlinkReply.parse(Array(buffer[0..<received])) where reply.sequence == sequence {
                if let code = reply.errorCode {
                    guard code == 0 else { throw SystemError(operation, path: request.subject, errno: code) }
                    return answers
                }
                if reply.type == Netlink.messageDone { return answers }
                answers.append(reply)
                if request.flags & Netlink.acknowledge == 0 { return answers }
            }
        }
    }

    /// The interface `name` (RTM_GETLINK), or nil when there is none (ENODEV).
    public mutating func link(named name: String) throws(SystemError) -> LinkDescription? {
        do throws(SystemError) {
            let replies = try perform(RouteRequests.getLink(name))
            return replies.first { $0.type == Netlink.newLink }.flatMap { LinkDescription(body: $0.body) }
        } catch  where error.errno == ENODEV {
            return nil
        }
    }

    /// The index of the interface `name`; an error naming it when there is none.
    public mutating func index(of name: String) throws(SystemError) -> Int32 {
        guard let link = try link(named: name) else {
            throw SystemError("netlink RTM_GETLINK", path: name, errno: ENODEV)
        }
        return link.index
    }
}
