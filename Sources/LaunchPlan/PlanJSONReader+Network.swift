import ConfigLanguage

extension StepReader {
    /// The networking steps (language.md §9), or nil when `name` is not one of them.
    static func networkAction(_ name: String, from o: inout ObjectReader) throws(PlanReadError) -> StepAction? {
        switch name {
        case "requireBridge": return .requireBridge(name: try interfaceName("name", from: &o))
        case "deleteStaleLink":
            return .deleteStaleLink(name: try interfaceName("name", from: &o), owner: try o.string("owner"))
        case "createVethPair":
            return .createVethPair(
                hostName: try interfaceName("hostName", from: &o),
                peerName: try interfaceName("peerName", from: &o), owner: try o.string("owner"))
        case "attachToBridge":
            return .attachToBridge(
                link: try interfaceName("link", from: &o),
                bridge: try interfaceName("bridge", from: &o))
        case "setHostLinkUp": return .setHostLinkUp(name: try interfaceName("name", from: &o))
        case "setLinkUp": return .setLinkUp(name: try interfaceName("name", from: &o))
        case "addAddress":
            return .addAddress(
                link: try interfaceName("link", from: &o),
                address: try parsed("address", from: &o, InterfaceAddress.init(parsing:), "ADDR/PREFIX"))
        case "addDefaultRoute":
            return .addDefaultRoute(
                link: try interfaceName("link", from: &o),
                gateway: try parsed("gateway", from: &o, IPAddress.init(parsing:), "an IPv4 or IPv6 address"))
        default: return nil
        }
    }

    /// The string at `key` parsed by `parse`; an error saying it is not `expected` otherwise.
    private static func parsed<Value>(
        _ key: String, from o: inout ObjectReader, _ parse: (String) -> Value?, _ expected: String
    ) throws(PlanReadError) -> Value {
        let text = try o.string(key)
        guard let value = parse(text) else { throw PlanReadError(at: o.at(key), "\"\(text)\" is not \(expected)") }
        return value
    }

    /// An interface name as the kernel accepts it: 1…15 bytes, no `/`, `:` or white space.
    private static func interfaceName(_ key: String, from o: inout ObjectReader) throws(PlanReadError) -> String {
        let name = try o.string(key)
        let bytes = Array(name.utf8)
        guard (1...15).contains(bytes.count), name != ".", name != "..",
            !bytes.contains(where: { $0 <= 0x20 || $0 >= 0x7F || $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: ":") })
        else {
            throw PlanReadError(at: o.at(key), "\"\(name)\" is not an interface name (1…15 bytes, no '/', ':' or spaces)")
        }
        return name
    }
}
