#if canImport(Glibc)
import Glibc
#endif
import ConfigLanguage
import LaunchPlan
import SystemIO

/// The networking steps (language.md §9, docs/networking.md): each sends one netlink request
/// (plus RTM_GETLINK look-ups of the indices it needs) on a NETLINK_ROUTE socket of the
/// calling process's network namespace, the host's for the launcher, the container's for the
/// child.
enum NetworkSteps {
    /// launcher: refuse unless `name` exists and is a bridge.
    static func requireBridge(_ name: String) throws(RuntimeError) {
        let link = try system { () throws(SystemError) in try RouteNetlink.with { socket throws(SystemError) in try socket.link(named: name) } }
        guard let link else {
            throw RuntimeError(
                kind: .refused, step: "requireBridge", path: name,
                detail: "no interface '\(name)' on this host (net_bridge); create the bridge first (docs/networking.md)")
        }
        guard link.kind == "bridge" else {
            throw RuntimeError(
                kind: .refused, step: "requireBridge", path: name,
                detail: "'\(name)' is \(link.kind.map { "a \($0)" } ?? "an interface") but not a bridge (net_bridge)")
        }
    }

    /// launcher: delete this container's veth `name` left by a killed start (its alias is
    /// `owner`); nothing when there is none. Anything else of that name is another's: refused.
    static func deleteStaleLink(_ name: String, owner: String) throws(RuntimeError) {
        try system { () throws(SystemError) in
            try RouteNetlink.with { socket throws(SystemError) in
                guard let link = try socket.link(named: name) else { return }
                guard link.kind == "veth", link.alias == owner else {
                    let what =
                        link.kind == "veth"
                        ? "a veth with alias '\(link.alias ?? "")'"
                        : link.kind.map { "a \($0)" } ?? "an interface"
                    throw SystemError(
                        "netlink RTM_DELLINK", path: name,
                        detail: "refusing: it is \(what), not one left by '\(owner)'", errno: EEXIST)
                }
                try socket.perform(RouteRequests.deleteLink(name))
            }
        }
    }

    /// launcher: the veth pair, its peer born in the child's network namespace.
    static func createVethPair(hostName: String, peerName: String, owner: String, childPID: pid_t) throws(RuntimeError) {
        try perform(
            RouteRequests.createVeth(
                hostName: hostName, peerName: peerName, peerNamespacePID: childPID,
                owner: owner))
    }

    /// launcher: `link` becomes a port of `bridge`.
    static func attachToBridge(_ link: String, bridge: String) throws(RuntimeError) {
        try system { () throws(SystemError) in
            try RouteNetlink.with { socket throws(SystemError) in
                let master = try socket.index(of: bridge)
                try socket.perform(RouteRequests.setMaster(link, masterIndex: master))
            }
        }
    }

    /// launcher or child: IFF_UP on `name`.
    static func setUp(_ name: String) throws(RuntimeError) {
        try perform(RouteRequests.setUp(name))
    }

    /// child: `address` on `link`.
    static func addAddress(_ address: InterfaceAddress, link: String) throws(RuntimeError) {
        try system { () throws(SystemError) in
            try RouteNetlink.with { socket throws(SystemError) in
                let index = try socket.index(of: link)
                try socket.perform(
                    RouteRequests.addAddress(
                        address.address.bytes, prefixLength: UInt8(address.prefixLength), index: index,
                        hostScope: address.address.isLoopback, subject: "\(link) \(address)"))
            }
        }
    }

    /// child: the default route via `gateway` on `link`.
    static func addDefaultRoute(_ gateway: IPAddress, link: String) throws(RuntimeError) {
        try system { () throws(SystemError) in
            try RouteNetlink.with { socket throws(SystemError) in
                let index = try socket.index(of: link)
                try socket.perform(
                    RouteRequests.addDefaultRoute(
                        gateway: gateway.bytes, index: index, subject: "\(link) default via \(gateway)"))
            }
        }
    }

    /// launcher's undo: delete the host end of a pair this start created (the peer goes with
    /// it). Returns the error, for a warning, when the link could not be deleted.
    static func deleteCreatedLink(_ name: String) -> SystemError? {
        do throws(SystemError) {
            try RouteNetlink.with { socket throws(SystemError) in try socket.perform(RouteRequests.deleteLink(name)) }
            return nil
        } catch {
            return error.errno == ENODEV ? nil : error
        }
    }

    private static func perform(_ request: NetlinkRequest) throws(RuntimeError) {
        try system { () throws(SystemError) in
            try RouteNetlink.with { socket throws(SystemError) in try socket.perform(request) }
        }
    }
}
