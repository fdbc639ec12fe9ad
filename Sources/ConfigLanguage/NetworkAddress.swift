/// An IPv4 or IPv6 address (`net_gateway`, the address part of `net_address`), as the bytes
/// netlink carries: 4 for IPv4, 16 for IPv6, network order.
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    public enum Family: String, Sendable { case ipv4, ipv6 }
    public let bytes: [UInt8]

    /// nil unless `bytes` has 4 or 16 bytes.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 4 || bytes.count == 16 else { return nil }
        self.bytes = bytes
    }

    public var family: Family { bytes.count == 4 ? .ipv4 : .ipv6 }
    /// The prefix length of a host route in this family: 32 or 128.
    public var bitCount: Int { bytes.count * 8 }

    /// 127.0.0.0/8 or ::1: an address of `lo`, added with host scope (as `ip` does).
    public var isLoopback: Bool {
        family == .ipv4 ? bytes[0] == 127 : bytes == Array(repeating: 0, count: 15) + [1]
    }

    /// The address with every bit after the first `prefixLength` cleared (the network).
    public func masked(to prefixLength: Int) -> IPAddress {
        var result = bytes
        for index in result.indices {
            let keep = max(0, min(8, prefixLength - index * 8))
            result[index] &= keep == 8 ? 0xFF : UInt8(truncatingIfNeeded: 0xFF00 >> keep)
        }
        return IPAddress(bytes: result)!
    }

    /// Dotted quad for IPv4; RFC 5952 text for IPv6 (lower case, the longest run of two or
    /// more zero groups as `::`).
    public var description: String {
        if family == .ipv4 { return bytes.map(String.init).joined(separator: ".") }
        let groups = stride(from: 0, to: 16, by: 2).map { Int(bytes[$0]) << 8 | Int(bytes[$0 + 1]) }
        var best = (start: -1, length: 1)
        var index = 0
        while index < 8 {
            var end = index
            while end < 8, groups[end] == 0 { end += 1 }
            if end - index > best.length { best = (index, end - index) }
            index = max(end, index + 1)
        }
        let hex = groups.map { String($0, radix: 16) }
        guard best.start >= 0 else { return hex.joined(separator: ":") }
        let head = hex[..<best.start].joined(separator: ":")
        let tail = hex[(best.start + best.length)...].joined(separator: ":")
        return head + "::" + tail
    }
}

/// `net_address`: the container's address and the length of its subnet's prefix
/// (`10.0.3.5/24`, `fd00::5/64`).
public struct InterfaceAddress: Sendable, Hashable, CustomStringConvertible {
    public var address: IPAddress
    public var prefixLength: Int

    public init(address: IPAddress, prefixLength: Int) {
        self.address = address
        self.prefixLength = prefixLength
    }

    /// True when `other` is in this address's subnet (same family, same network bits).
    public func subnetContains(_ other: IPAddress) -> Bool {
        other.family == address.family
            && other.masked(to: prefixLength) == address.masked(to: prefixLength)
    }

    public var description: String { "\(address)/\(prefixLength)" }
}
