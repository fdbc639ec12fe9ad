import ConfigSource
import Diagnostics

extension ValueParsers {
    /// `net_address`: `ADDR/PREFIX`, IPv4 (prefix 1…32) or IPv6 (prefix 1…128). The error
    /// points at the octet, group or prefix that is wrong.
    static func interfaceAddress(_ text: ValueText, name: String, into bag: inout DiagnosticBag) -> InterfaceAddress? {
        guard let slash = text.firstIndex(of: UInt8(ascii: "/")) else {
            if text.isEmpty {
                bag.emit(
                    .invalidNetAddress(
                        name, text.string, problem: "it is empty; write ADDR/PREFIX, e.g. 10.0.3.5/24",
                        at: text.range(text.lower, text.lower)))
            } else {
                bag.emit(
                    .invalidNetAddress(
                        name, text.string, problem: "the prefix length is missing; write ADDR/PREFIX, e.g. 10.0.3.5/24",
                        at: text.range(text.upper, text.upper)))
            }
            return nil
        }
        let addressText = text.slice(text.lower, slash)
        let prefixText = text.slice(slash + 1, text.upper)
        let address = ipAddress(addressText, whole: text, name: name, into: &bag)
        guard let address else { return nil }
        let maximum = address.bitCount
        let digits = prefixText.string
        guard !digits.isEmpty, digits.utf8.allSatisfy(isDigit), digits.count <= 3,
            let length = Int(digits), (1...maximum).contains(length)
        else {
            let at = prefixText.isEmpty ? text.range(slash, slash + 1) : prefixText.sourceRange
            bag.emit(
                .invalidNetAddress(
                    name, text.string,
                    problem: "the prefix length '\(digits)' is not an integer 1…\(maximum)", at: at))
            return nil
        }
        return InterfaceAddress(address: address, prefixLength: length)
    }

    /// `net_gateway`: an address without a prefix.
    static func gatewayAddress(_ text: ValueText, name: String, into bag: inout DiagnosticBag) -> IPAddress? {
        if let slash = text.firstIndex(of: UInt8(ascii: "/")) {
            bag.emit(
                .invalidNetAddress(
                    name, text.string, problem: "a gateway is one address, without a prefix length",
                    at: text.range(slash, text.upper)))
            return nil
        }
        return ipAddress(text, whole: text, name: name, into: &bag)
    }

    /// An IPv4 dotted quad or an IPv6 address of hex groups (with at most one `::`).
    private static func ipAddress(
        _ text: ValueText, whole: ValueText, name: String,
        into bag: inout DiagnosticBag
    ) -> IPAddress? {
        if text.isEmpty {
            bag.emit(
                .invalidNetAddress(
                    name, whole.string, problem: "the address is empty",
                    at: text.range(text.lower, text.lower)))
            return nil
        }
        if text.firstIndex(of: UInt8(ascii: ":")) != nil {
            return ipv6(text, whole: whole, name: name, into: &bag)
        }
        return ipv4(text, whole: whole, name: name, into: &bag)
    }

    /// The parts of `text` between `separator`s, as (lower, upper) indices.
    private static func parts(of text: ValueText, separatedBy separator: UInt8) -> [(Int, Int)] {
        var parts: [(Int, Int)] = []
        var start = text.lower
        var index = text.lower
        while index <= text.upper {
            if index == text.upper || text.bytes[index] == separator {
                parts.append((start, index))
                start = index + 1
            }
            index += 1
        }
        return parts
    }

    private static func ipv4(
        _ text: ValueText, whole: ValueText, name: String,
        into bag: inout DiagnosticBag
    ) -> IPAddress? {
        let octets = parts(of: text, separatedBy: UInt8(ascii: "."))
        var bytes: [UInt8] = []
        for (lower, upper) in octets.prefix(4) {
            let octet = text.slice(lower, upper)
            let digits = octet.string
            guard !digits.isEmpty, digits.count <= 3, digits.utf8.allSatisfy(isDigit),
                let value = Int(digits), value <= 255
            else {
                let at = octet.isEmpty ? text.range(lower, lower) : octet.sourceRange
                bag.emit(
                    .invalidNetAddress(
                        name, whole.string,
                        problem: "the octet '\(digits)' is not an integer 0…255", at: at))
                return nil
            }
            bytes.append(UInt8(value))
        }
        guard octets.count == 4 else {
            let at = octets.count > 4 ? text.range(octets[4].0 - 1, text.upper) : text.range(text.upper, text.upper)
            bag.emit(
                .invalidNetAddress(
                    name, whole.string,
                    problem: "an IPv4 address has 4 octets, not \(octets.count)", at: at))
            return nil
        }
        return IPAddress(bytes: bytes)
    }

    private static func ipv6(
        _ text: ValueText, whole: ValueText, name: String,
        into bag: inout DiagnosticBag
    ) -> IPAddress? {
        // Split at the one `::` (if any) into the groups before and after it.
        var compression: Int?
        var index = text.lower
        while index + 1 < text.upper {
            if text.bytes[index] == UInt8(ascii: ":"), text.bytes[index + 1] == UInt8(ascii: ":") {
                if compression != nil {
                    bag.emit(
                        .invalidNetAddress(
                            name, whole.string, problem: "'::' may appear only once",
                            at: text.range(index, index + 2)))
                    return nil
                }
                compression = index
                index += 2
                continue
            }
            index += 1
        }
        func groups(_ lower: Int, _ upper: Int) -> [UInt16]? {
            guard lower < upper else { return [] }
            var values: [UInt16] = []
            for (start, end) in parts(of: text.slice(lower, upper), separatedBy: UInt8(ascii: ":")) {
                let group = text.slice(start, end)
                let digits = group.string
                guard !digits.isEmpty, digits.count <= 4, let value = UInt16(digits, radix: 16),
                    digits.utf8.allSatisfy({ isDigit($0) || (0x61...0x66).contains($0 | 0x20) })
                else {
                    let at = group.isEmpty ? text.range(start, start) : group.sourceRange
                    bag.emit(
                        .invalidNetAddress(
                            name, whole.string,
                            problem: "the group '\(digits)' is not 1 to 4 hex digits", at: at))
                    return nil
                }
                values.append(value)
            }
            return values
        }
        let head: [UInt16], tail: [UInt16]
        if let compression {
            guard let before = groups(text.lower, compression), let after = groups(compression + 2, text.upper)
            else { return nil }
            head = before
            tail = after
            guard head.count + tail.count <= 7 else {
                bag.emit(
                    .invalidNetAddress(
                        name, whole.string,
                        problem: "'::' stands for no group here: an IPv6 address has 8 groups",
                        at: text.range(compression, compression + 2)))
                return nil
            }
        } else {
            guard let all = groups(text.lower, text.upper) else { return nil }
            guard all.count == 8 else {
                bag.emit(
                    .invalidNetAddress(
                        name, whole.string,
                        problem: "an IPv6 address has 8 groups (or '::'), not \(all.count)",
                        at: text.sourceRange))
                return nil
            }
            head = all
            tail = []
        }
        let filled = head + Array(repeating: 0, count: 8 - head.count - tail.count) + tail
        return IPAddress(bytes: filled.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] })
    }

    /// `net_bridge`: an interface name as the kernel accepts it (1…15 bytes, not `.` or `..`,
    /// no `/`, `:` or white space: dev_valid_name).
    static func interfaceName(_ text: ValueText, name: String, into bag: inout DiagnosticBag) -> String? {
        let value = text.string
        if text.isEmpty || value == "." || value == ".." || text.count > 15 {
            let problem = text.count > 15 ? "it is longer than 15 bytes" : "it is not a name"
            bag.emit(
                .invalidInterfaceName(
                    name, value, problem: problem,
                    at: text.isEmpty ? text.range(text.lower, text.lower) : text.sourceRange))
            return nil
        }
        var index = text.lower
        while index < text.upper {
            let byte = text.bytes[index]
            if byte == UInt8(ascii: "/") || byte == UInt8(ascii: ":") || byte <= 0x20 || byte >= 0x7F {
                bag.emit(
                    .invalidInterfaceName(
                        name, value, problem: "an interface name has no '/', ':', spaces or non-ASCII bytes",
                        at: text.range(index, index + 1)))
                return nil
            }
            index += 1
        }
        return value
    }
}

extension IPAddress {
    /// The address in `text` by the rules of `net_gateway` (IPv4 dotted quad or IPv6); nil
    /// when it does not parse. For readers of plan files, which have no source to point at.
    public init?(parsing text: String) {
        guard let address = ValueParsers.detached(text, ValueParsers.gatewayAddress) else { return nil }
        self = address
    }
}

extension InterfaceAddress {
    /// `ADDR/PREFIX` by the rules of `net_address`; nil when it does not parse.
    public init?(parsing text: String) {
        guard let address = ValueParsers.detached(text, ValueParsers.interfaceAddress) else { return nil }
        self = address
    }
}

extension ValueParsers {
    /// `parse` on a string that is not in a config file (its diagnostics are dropped).
    static func detached<Value>(
        _ text: String, _ parse: (ValueText, String, inout DiagnosticBag) -> Value?
    ) -> Value? {
        var bag = DiagnosticBag()
        let bytes = Array(text.utf8)
        return parse(ValueText(decoded: bytes, origin: nil, whole: SourceRange(0, bytes.count)), "value", &bag)
    }
}
