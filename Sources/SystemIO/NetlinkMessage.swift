/// NETLINK_ROUTE messages as bytes (rtnetlink(7)): building requests and reading replies.
/// Pure: no system call here (the socket is `RouteNetlink`), so every byte is unit-tested.
/// The values are the kernel's ABI (linux/netlink.h, linux/rtnetlink.h, linux/if_link.h,
/// linux/veth.h, linux/if_addr.h), stable since Linux 2.6.
public enum Netlink {
    // Message types.
    public static let messageError: UInt16 = 2  // NLMSG_ERROR
    public static let messageDone: UInt16 = 3  // NLMSG_DONE
    public static let newLink: UInt16 = 16  // RTM_NEWLINK
    public static let deleteLink: UInt16 = 17  // RTM_DELLINK
    public static let getLink: UInt16 = 18  // RTM_GETLINK
    public static let newAddress: UInt16 = 20  // RTM_NEWADDR
    public static let newRoute: UInt16 = 24  // RTM_NEWROUTE
    // Header flags.
    public static let request: UInt16 = 0x1  // NLM_F_REQUEST
    public static let acknowledge: UInt16 = 0x4  // NLM_F_ACK
    public static let replace: UInt16 = 0x100  // NLM_F_REPLACE
    public static let exclusive: UInt16 = 0x200  // NLM_F_EXCL
    public static let create: UInt16 = 0x400  // NLM_F_CREATE
    // Link attributes (IFLA_*), link info (IFLA_INFO_*), veth (VETH_INFO_PEER).
    public static let linkName: UInt16 = 3  // IFLA_IFNAME
    public static let linkMaster: UInt16 = 10  // IFLA_MASTER
    public static let linkInfo: UInt16 = 18  // IFLA_LINKINFO
    public static let linkNamespacePID: UInt16 = 19  // IFLA_NET_NS_PID
    public static let linkAlias: UInt16 = 20  // IFLA_IFALIAS
    public static let infoKind: UInt16 = 1  // IFLA_INFO_KIND
    public static let infoData: UInt16 = 2  // IFLA_INFO_DATA
    public static let vethPeer: UInt16 = 1  // VETH_INFO_PEER
    public static let nested: UInt16 = 0x8000  // NLA_F_NESTED
    /// IFF_UP.
    public static let interfaceUp: UInt32 = 0x1
    // Address attributes and flags.
    public static let addressAddress: UInt16 = 1  // IFA_ADDRESS
    public static let addressLocal: UInt16 = 2  // IFA_LOCAL
    public static let addressNoDAD: UInt8 = 0x02  // IFA_F_NODAD
    // Route attributes and values.
    public static let routeOutputInterface: UInt16 = 4  // RTA_OIF
    public static let routeGateway: UInt16 = 5  // RTA_GATEWAY
    public static let mainTable: UInt8 = 254  // RT_TABLE_MAIN
    public static let protocolBoot: UInt8 = 3  // RTPROT_BOOT
    public static let scopeUniverse: UInt8 = 0  // RT_SCOPE_UNIVERSE
    public static let scopeHost: UInt8 = 254  // RT_SCOPE_HOST
    public static let unicast: UInt8 = 1  // RTN_UNICAST
    // Address families.
    public static let familyUnspecified: UInt8 = 0  // AF_UNSPEC
    public static let familyIPv4: UInt8 = 2  // AF_INET
    public static let familyIPv6: UInt8 = 10  // AF_INET6

    /// The size of struct nlmsghdr.
    public static let headerSize = 16

    /// The name of a request type for messages (`RTM_NEWLINK`).
    public static func typeName(_ type: UInt16) -> String {
        switch type {
        case newLink: "RTM_NEWLINK"
        case deleteLink: "RTM_DELLINK"
        case getLink: "RTM_GETLINK"
        case newAddress: "RTM_NEWADDR"
        case newRoute: "RTM_NEWROUTE"
        default: "netlink type \(type)"
        }
    }
}

/// A route attribute (struct rtattr: length, type, payload padded to 4 bytes); nested
/// attributes are attributes whose payload is attributes.
public struct NetlinkAttribute: Sendable, Equatable {
    public var type: UInt16
    public var payload: [UInt8]

    public init(_ type: UInt16, _ payload: [UInt8]) {
        self.type = type
        self.payload = payload
    }
    /// A NUL-terminated string (IFLA_IFNAME, IFLA_INFO_KIND).
    public static func string(_ type: UInt16, _ value: String) -> NetlinkAttribute {
        NetlinkAttribute(type, Array(value.utf8) + [0])
    }
    /// A 32-bit value in host order (IFLA_MASTER, IFLA_NET_NS_PID, RTA_OIF).
    public static func uint32(_ type: UInt16, _ value: UInt32) -> NetlinkAttribute {
        NetlinkAttribute(type, NetlinkBytes.uint32(value))
    }
    /// Attributes inside an attribute (IFLA_LINKINFO, IFLA_INFO_DATA).
    public static func nested(_ type: UInt16, _ children: [NetlinkAttribute]) -> NetlinkAttribute {
        NetlinkAttribute(type | Netlink.nested, children.flatMap(\.bytes))
    }
    /// Raw bytes followed by attributes (VETH_INFO_PEER: a struct ifinfomsg, then the peer's
    /// attributes).
    public static func nested(_ type: UInt16, header: [UInt8], _ children: [NetlinkAttribute]) -> NetlinkAttribute {
        NetlinkAttribute(type | Netlink.nested, header + children.flatMap(\.bytes))
    }

    /// The encoded attribute, padded to a multiple of 4.
    public var bytes: [UInt8] {
        let length = 4 + payload.count
        return NetlinkBytes.uint16(UInt16(length)) + NetlinkBytes.uint16(type) + payload
            + Array(repeating: 0, count: NetlinkBytes.padding(length))
    }

    /// The attributes in `bytes` (stops at the first malformed one).
    public static func parse(_ bytes: ArraySlice<UInt8>) -> [NetlinkAttribute] {
        var attributes: [NetlinkAttribute] = []
        var offset = bytes.startIndex
        while offset + 4 <= bytes.endIndex {
            let length = Int(NetlinkBytes.readUInt16(bytes, at: offset))
            guard length >= 4, offset + length <= bytes.endIndex else { break }
            let type = NetlinkBytes.readUInt16(bytes, at: offset + 2) & ~Netlink.nested
            attributes.append(NetlinkAttribute(type, Array(bytes[offset + 4..<offset + length])))
            offset += length + NetlinkBytes.padding(length)
        }
        return attributes
    }

    /// The payload as a string without its NUL terminator.
    public var stringValue: String {
        String(decoding: payload.prefix { $0 != 0 }, as: UTF8.self)
    }
}

/// One request: the header's type and flags, the fixed-size family header (ifinfomsg,
/// ifaddrmsg, rtmsg) and the attributes.
public struct NetlinkRequest: Sendable, Equatable {
    public var type: UInt16
    public var flags: UInt16
    public var header: [UInt8]
    public var attributes: [NetlinkAttribute]
    /// The interface the request is about, for messages.
    public var subject: String

    public init(type: UInt16, flags: UInt16, header: [UInt8], attributes: [NetlinkAttribute], subject: String) {
        self.type = type
        self.flags = flags
        self.header = header
        self.attributes = attributes
        self.subject = subject
    }

    /// The datagram with sequence number `sequence` (port id 0: the kernel fills it in).
    public func bytes(sequence: UInt32) -> [UInt8] {
        let body = header + attributes.flatMap(\.bytes)
        return NetlinkBytes.uint32(UInt32(Netlink.headerSize + body.count)) + NetlinkBytes.uint16(type)
            + NetlinkBytes.uint16(flags) + NetlinkBytes.uint32(sequence) + NetlinkBytes.uint32(0) + body
    }
}

/// One message of a reply.
public struct NetlinkReply: Sendable, Equatable {
    public var type: UInt16
    public var sequence: UInt32
    /// The bytes after the header.
    public var body: [UInt8]

    /// For NLMSG_ERROR: 0 (an acknowledgement) or a positive errno.
    public var errorCode: Int32? {
        guard type == Netlink.messageError, body.count >= 4 else { return nil }
        return -Int32(bitPattern: NetlinkBytes.readUInt32(body[...], at: 0))
    }

    /// The messages in one received datagram (stops at the first malformed one).
    public static func parse(_ bytes: [UInt8]) -> [NetlinkReply] {
        var replies: [NetlinkReply] = []
        var offset = 0
        while offset + Netlink.headerSize <= bytes.count {
            let length = Int(NetlinkBytes.readUInt32(bytes[...], at: offset))
            guard length >= Netlink.headerSize, offset + length <= bytes.count else { break }
            replies.append(
                NetlinkReply(
                    type: NetlinkBytes.readUInt16(bytes[...], at: offset + 4),
                    sequence: NetlinkBytes.readUInt32(bytes[...], at: offset + 8),
                    body: Array(bytes[offset + Netlink.headerSize..<offset + length])))
            offset += length + NetlinkBytes.padding(length)
        }
        return replies
    }
}

/// Host-order integers (netlink uses the host's byte order; every Linux target of this
/// project is little-endian) and the 4-byte alignment.
public enum NetlinkBytes {
    public static func uint16(_ value: UInt16) -> [UInt8] { withUnsafeBytes(of: value.littleEndian, Array.init) }
    public static func uint32(_ value: UInt32) -> [UInt8] { withUnsafeBytes(of: value.littleEndian, Array.init) }
    public static func readUInt16(_ bytes: ArraySlice<UInt8>, at offset: Int) -> UInt16 {
        UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
    }
    public static func readUInt32(_ bytes: ArraySlice<UInt8>, at offset: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[offset + $1]) << (8 * UInt32($1)) }
    }
    /// Bytes to add after `length` to reach a multiple of 4 (NLMSG_ALIGN, RTA_ALIGN).
    public static func padding(_ length: Int) -> Int { (4 - length % 4) % 4 }
}

#if _endian(big)
#error("NetlinkBytes writes little-endian integers: netlink uses the host's byte order")
#endif
