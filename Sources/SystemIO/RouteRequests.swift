/// The NETLINK_ROUTE requests the launcher and the child send (docs/networking.md): pure
/// builders, one per plan step, unit-tested byte by byte.
public enum RouteRequests {
    /// struct ifinfomsg (16 bytes): family, type, index, flags, change mask.
    public static func linkHeader(index: Int32 = 0, flags: UInt32 = 0, change: UInt32 = 0) -> [UInt8] {
        [Netlink.familyUnspecified, 0] + NetlinkBytes.uint16(0) + NetlinkBytes.uint32(UInt32(bitPattern: index))
            + NetlinkBytes.uint32(flags) + NetlinkBytes.uint32(change)
    }

    /// RTM_GETLINK by name: the reply is one RTM_NEWLINK message (or an error).
    public static func getLink(_ name: String) -> NetlinkRequest {
        NetlinkRequest(
            type: Netlink.getLink, flags: Netlink.request, header: linkHeader(),
            attributes: [.string(Netlink.linkName, name)], subject: name)
    }

    /// RTM_DELLINK by name (deleting one end of a veth deletes both).
    public static func deleteLink(_ name: String) -> NetlinkRequest {
        NetlinkRequest(
            type: Netlink.deleteLink, flags: Netlink.request | Netlink.acknowledge,
            header: linkHeader(), attributes: [.string(Netlink.linkName, name)], subject: name)
    }

    /// RTM_NEWLINK kind "veth": `hostName` here, its peer `peerName` created directly in the
    /// network namespace of `peerNamespacePID` (so no peer ever appears on the host). The host
    /// end's alias (IFLA_IFALIAS) records `owner`, so that a later start deletes only its own.
    public static func createVeth(
        hostName: String, peerName: String, peerNamespacePID: Int32,
        owner: String
    ) -> NetlinkRequest {
        let peer = NetlinkAttribute.nested(
            Netlink.vethPeer, header: linkHeader(),
            [
                .string(Netlink.linkName, peerName),
                .uint32(Netlink.linkNamespacePID, UInt32(bitPattern: peerNamespacePID)),
            ])
        let info = NetlinkAttribute.nested(
            Netlink.linkInfo,
            [
                .string(Netlink.infoKind, "veth"),
                .nested(Netlink.infoData, [peer]),
            ])
        return NetlinkRequest(
            type: Netlink.newLink,
            flags: Netlink.request | Netlink.acknowledge | Netlink.create | Netlink.exclusive,
            header: linkHeader(),
            attributes: [.string(Netlink.linkName, hostName), NetlinkAttribute(Netlink.linkAlias, Array(owner.utf8)), info],
            subject: hostName)
    }

    /// RTM_NEWLINK on an existing link by name: make it a port of the bridge `masterIndex`.
    public static func setMaster(_ name: String, masterIndex: Int32) -> NetlinkRequest {
        NetlinkRequest(
            type: Netlink.newLink, flags: Netlink.request | Netlink.acknowledge, header: linkHeader(),
            attributes: [
                .string(Netlink.linkName, name),
                .uint32(Netlink.linkMaster, UInt32(bitPattern: masterIndex)),
            ],
            subject: name)
    }

    /// RTM_NEWLINK on an existing link by name: IFF_UP (only that flag changes).
    public static func setUp(_ name: String) -> NetlinkRequest {
        NetlinkRequest(
            type: Netlink.newLink, flags: Netlink.request | Netlink.acknowledge,
            header: linkHeader(flags: Netlink.interfaceUp, change: Netlink.interfaceUp),
            attributes: [.string(Netlink.linkName, name)], subject: name)
    }

    /// RTM_NEWADDR `address`/`prefixLength` on link `index` (IFA_LOCAL and IFA_ADDRESS, as
    /// `ip addr add` sends them). NLM_F_REPLACE: the same address again is not an error (the
    /// kernel may already have put ::1 on lo). IPv6 without duplicate address detection, so
    /// the address is usable at once; `lo`'s addresses have host scope.
    public static func addAddress(
        _ address: [UInt8], prefixLength: UInt8, index: Int32,
        hostScope: Bool, subject: String
    ) -> NetlinkRequest {
        let family = address.count == 4 ? Netlink.familyIPv4 : Netlink.familyIPv6
        let flags = family == Netlink.familyIPv6 ? Netlink.addressNoDAD : 0
        let header =
            [family, prefixLength, flags, hostScope ? Netlink.scopeHost : Netlink.scopeUniverse]
            + NetlinkBytes.uint32(UInt32(bitPattern: index))
        return NetlinkRequest(
            type: Netlink.newAddress, flags: Netlink.request | Netlink.acknowledge | Netlink.create | Netlink.replace,
            header: header,
            attributes: [NetlinkAttribute(Netlink.addressLocal, address), NetlinkAttribute(Netlink.addressAddress, address)],
            subject: subject)
    }

    /// RTM_NEWROUTE: the default route (destination length 0) via `gateway` out of link `index`.
    public static func addDefaultRoute(gateway: [UInt8], index: Int32, subject: String) -> NetlinkRequest {
        let family = gateway.count == 4 ? Netlink.familyIPv4 : Netlink.familyIPv6
        // struct rtmsg: family, dst_len, src_len, tos, table, protocol, scope, type, flags.
        let header =
            [family, 0, 0, 0, Netlink.mainTable, Netlink.protocolBoot, Netlink.scopeUniverse, Netlink.unicast]
            + NetlinkBytes.uint32(0)
        return NetlinkRequest(
            type: Netlink.newRoute, flags: Netlink.request | Netlink.acknowledge | Netlink.create | Netlink.exclusive,
            header: header,
            attributes: [
                NetlinkAttribute(Netlink.routeGateway, gateway),
                .uint32(Netlink.routeOutputInterface, UInt32(bitPattern: index)),
            ],
            subject: subject)
    }
}

/// What RTM_GETLINK says about one interface.
public struct LinkDescription: Sendable, Equatable {
    public var index: Int32
    public var name: String
    /// IFLA_INFO_KIND (`bridge`, `veth`); nil for a link without one (a physical device, lo).
    public var kind: String?
    /// IFLA_IFALIAS, when the link has one.
    public var alias: String?

    /// The description in an RTM_NEWLINK message's body (ifinfomsg + attributes).
    public init?(body: [UInt8]) {
        guard body.count >= 16 else { return nil }
        index = Int32(bitPattern: NetlinkBytes.readUInt32(body[...], at: 4))
        let attributes = NetlinkAttribute.parse(body[16...])
        name = attributes.first { $0.type == Netlink.linkName }?.stringValue ?? ""
        alias = attributes.first { $0.type == Netlink.linkAlias }?.stringValue
        kind =
            attributes.first { $0.type == Netlink.linkInfo }
            .flatMap { NetlinkAttribute.parse($0.payload[...]).first { $0.type == Netlink.infoKind } }?
            .stringValue
    }
}
