import ConfigLanguage
import ConfigSource
import Diagnostics

/// Rules across the networking keys (language.md §9): each needs the `n` namespace
/// (`network-without-net-namespace`, with a fix-it that adds it), `net_address` needs
/// `net_bridge` and `net_gateway` needs `net_address` (`network-key-requires`), and the
/// gateway is another address of the address's subnet (`net-gateway-outside-subnet`).
enum NetworkRules {
    static func apply(to context: inout CheckContext) {
        let config = context.config
        if let namespaces = config.namespaces, let set = namespaces.value, !set.contains(.net) {
            let fixIt = addNetFixIt(namespaces, in: context)
            for (key, keyRange) in writtenKeys(config) {
                context.emit(.networkWithoutNetNamespace(key, at: keyRange, fixIt: fixIt))
            }
        }
        if let address = config.netAddress, config.netBridge == nil {
            context.emit(
                .networkKeyRequires(
                    ConfigKey.netAddress.rawValue, ConfigKey.netBridge.rawValue,
                    at: address.keyRange))
        }
        if let gateway = config.netGateway {
            guard let addressSetting = config.netAddress else {
                context.emit(
                    .networkKeyRequires(
                        ConfigKey.netGateway.rawValue, ConfigKey.netAddress.rawValue,
                        at: gateway.keyRange))
                return
            }
            guard let address = addressSetting.value, let value = gateway.value else { return }
            let problem: String? =
                if !address.subnetContains(value) {
                    "is outside \(address.address.masked(to: address.prefixLength))/\(address.prefixLength)"
                } else if value == address.address {
                    "is the container's own address"
                } else {
                    nil
                }
            if let problem {
                context.emit(
                    .netGatewayOutsideSubnet(
                        context.text(gateway.valueRange), address: context.text(addressSetting.valueRange),
                        problem: problem, at: gateway.valueRange, addressAt: addressSetting.valueRange))
            }
        }
    }

    /// The networking keys that were written, with where.
    private static func writtenKeys(_ config: ContainerConfig) -> [(String, SourceRange)] {
        var keys: [(String, SourceRange)] = []
        if let setting = config.netBridge { keys.append((ConfigKey.netBridge.rawValue, setting.keyRange)) }
        if let setting = config.netAddress { keys.append((ConfigKey.netAddress.rawValue, setting.keyRange)) }
        if let setting = config.netGateway { keys.append((ConfigKey.netGateway.rawValue, setting.keyRange)) }
        return keys
    }

    /// Adds `n` to the written namespaces: after the letters, `all` → `uphticn`, `none` → `n`,
    /// `, net` before the `]` of a YAML flow list; nil for a block list.
    private static func addNetFixIt(_ setting: Setting<NamespaceSet>, in context: CheckContext) -> FixIt? {
        let text = context.text(setting.valueRange)
        let range = setting.valueRange
        if text.hasPrefix("[") && text.hasSuffix("]") {
            let end = range.upperBound - 1
            let empty = text.dropFirst().dropLast().allSatisfy { $0 == " " }
            return FixIt("add net to namespaces", replacing: SourceRange(end, end), with: empty ? "net" : ", net")
        }
        if text.contains("\n") || text.hasPrefix("-") { return nil }
        let bare = text.trimmingCharacters(in: "\"'")
        if bare == "all" { return FixIt("add n to namespaces", replacing: range, with: "uphticn") }
        if bare == "none" { return FixIt("add n to namespaces", replacing: range, with: "n") }
        if bare != text { return nil }
        return FixIt("add n to namespaces", replacing: SourceRange(range.upperBound, range.upperBound), with: "n")
    }
}

/// F rule: `net_bridge` exists (`/sys/class/net/NAME`) and is a bridge (`…/bridge`).
enum NetworkFilesystemRules {
    static func apply(to context: inout CheckContext) {
        guard let setting = context.config.netBridge, let bridge = setting.value else { return }
        let directory = context.options.networkInterfaceDirectory + "/" + bridge
        if context.fileSystem.status(directory) == nil {
            context.emit(.netBridgeNotFound(bridge, lookedAt: directory, at: setting.valueRange))
        } else if context.fileSystem.status(directory + "/bridge") == nil {
            context.emit(.netBridgeNotBridge(bridge, lookedAt: directory + "/bridge", at: setting.valueRange))
        }
    }
}

private extension String {
    func trimmingCharacters(in set: String) -> String {
        var text = Substring(self)
        while let first = text.first, set.contains(first) { text = text.dropFirst() }
        while let last = text.last, set.contains(last) { text = text.dropLast() }
        return String(text)
    }
}
