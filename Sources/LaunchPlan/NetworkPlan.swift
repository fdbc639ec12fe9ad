import ConfigChecker
import ConfigLanguage

/// The interface names of a container's veth pair (docs/networking.md, "Interface names").
public enum VethName {
    /// The container's end, inside its network namespace.
    public static let containerEnd = "eth0"
    /// The longest interface name the kernel accepts (IFNAMSIZ - 1).
    public static let maximumLength = 15

    /// The host end's alias (IFLA_IFALIAS): whose veth it is.
    public static func owner(_ container: String) -> String { "minimal_containers:" + container }

    /// The host end: `mc-NAME` when NAME has at most 12 bytes; else `mc-` + NAME's first
    /// 4 bytes + `~` + the first 7 hex digits of SHA-256(NAME): 15 bytes. `~` never occurs in a
    /// container name, so a shortened name never equals a whole one; two shortened names are
    /// equal only when their first 4 bytes and 28 bits of their hashes are.
    public static func hostEnd(for container: String) -> String {
        let bytes = Array(container.utf8)
        if bytes.count <= maximumLength - 3 { return "mc-" + container }
        let hash = SHA256.hexDigest(bytes).prefix(7)
        return "mc-" + String(decoding: bytes.prefix(4), as: UTF8.self) + "~" + hash
    }
}

/// The networking steps of a plan (language.md §9): each is one netlink request.
enum NetworkPlan {
    static let loopback = "lo"

    /// Launcher, before the fork: the bridge must exist (so a start on a host without it
    /// changes nothing), and a veth left by a killed launcher goes.
    static func preparationSteps(_ config: CheckedConfig, container: String) -> [Step] {
        guard let bridge = config.netBridge else { return [] }
        return [
            Step(.launcher, .requireBridge(name: bridge)),
            Step(.launcher, .deleteStaleLink(name: VethName.hostEnd(for: container), owner: VethName.owner(container))),
        ]
    }

    /// After the child's unshare: the veth pair (launcher), then inside the new namespace `lo`
    /// and `eth0` (child).
    static func namespaceSteps(_ config: CheckedConfig, container: String) -> [Step] {
        guard config.namespaces.contains(.net) else { return [] }
        var steps: [Step] = []
        let hostEnd = VethName.hostEnd(for: container)
        if let bridge = config.netBridge {
            steps += [
                Step(
                    .launcher,
                    .createVethPair(
                        hostName: hostEnd, peerName: VethName.containerEnd,
                        owner: VethName.owner(container))),
                Step(.launcher, .attachToBridge(link: hostEnd, bridge: bridge)),
                Step(.launcher, .setHostLinkUp(name: hostEnd)),
            ]
        }
        steps += [
            Step(
                .child,
                .addAddress(
                    link: loopback,
                    address: InterfaceAddress(
                        address: IPAddress(bytes: [127, 0, 0, 1])!, prefixLength: 8))),
            Step(
                .child,
                .addAddress(
                    link: loopback,
                    address: InterfaceAddress(
                        address: IPAddress(bytes: Array(repeating: 0, count: 15) + [1])!, prefixLength: 128))),
            Step(.child, .setLinkUp(name: loopback)),
        ]
        if config.netBridge != nil {
            if let address = config.netAddress {
                steps.append(Step(.child, .addAddress(link: VethName.containerEnd, address: address)))
            }
            steps.append(Step(.child, .setLinkUp(name: VethName.containerEnd)))
            if let gateway = config.netGateway {
                steps.append(Step(.child, .addDefaultRoute(link: VethName.containerEnd, gateway: gateway)))
            }
        }
        return steps
    }
}
