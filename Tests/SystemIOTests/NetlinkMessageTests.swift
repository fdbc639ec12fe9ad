import Testing
import SystemIO

/// NETLINK_ROUTE messages byte by byte, against the layouts of linux/netlink.h,
/// linux/rtnetlink.h, linux/if_link.h and linux/veth.h (no socket, no root).
@Suite struct NetlinkMessageTests {
    func u16(_ value: UInt16) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8)] }
    func u32(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8((value >> (8 * $0)) & 0xFF) } }

    @Test func anAttributeIsLengthTypePayloadPaddedToFour() {
        #expect(NetlinkAttribute.string(3, "lo").bytes == u16(7) + u16(3) + Array("lo".utf8) + [0, 0])
        #expect(NetlinkAttribute.uint32(10, 7).bytes == u16(8) + u16(10) + u32(7))
        let nested = NetlinkAttribute.nested(18, [.string(1, "veth")])
        #expect(nested.bytes == u16(16) + u16(18 | 0x8000) + u16(9) + u16(1) + Array("veth".utf8) + [0, 0, 0, 0])
    }

    @Test func aRequestHasTheHeaderThenTheFamilyHeaderThenAttributes() {
        let bytes = RouteRequests.setUp("eth0").bytes(sequence: 9)
        let ifinfo = [0, 0] + u16(0) + u32(0) + u32(1) + u32(1)  // flags IFF_UP, change IFF_UP
        let name = u16(9) + u16(3) + Array("eth0".utf8) + [0, 0, 0, 0]
        #expect(
            bytes == u32(UInt32(16 + ifinfo.count + name.count)) + u16(16) + u16(0x1 | 0x4) + u32(9) + u32(0)
                + ifinfo + name)
    }

    @Test func theVethRequestNestsThePeerWithItsNamespacePid() {
        let request = RouteRequests.createVeth(
            hostName: "mc-web", peerName: "eth0", peerNamespacePID: 4242,
            owner: "minimal_containers:web")
        #expect(request.type == 16)
        #expect(request.flags == 0x1 | 0x4 | 0x400 | 0x200, "REQUEST|ACK|CREATE|EXCL")
        let attributes = NetlinkAttribute.parse(request.attributes.flatMap(\.bytes)[...])
        #expect(attributes.map(\.type) == [3, 20, 18])
        #expect(attributes[0].stringValue == "mc-web")
        #expect(attributes[1].payload == Array("minimal_containers:web".utf8), "IFLA_IFALIAS, not NUL-terminated")
        let info = NetlinkAttribute.parse(attributes[2].payload[...])
        #expect(info.map(\.type) == [1, 2])
        #expect(info[0].stringValue == "veth")
        let data = NetlinkAttribute.parse(info[1].payload[...])
        #expect(data.map(\.type) == [1], "VETH_INFO_PEER")
        let peer = data[0].payload
        #expect(Array(peer.prefix(16)) == RouteRequests.linkHeader(), "the peer's ifinfomsg")
        let peerAttributes = NetlinkAttribute.parse(peer[16...])
        #expect(peerAttributes.map(\.type) == [3, 19])
        #expect(peerAttributes[0].stringValue == "eth0")
        #expect(peerAttributes[1].payload == u32(4242))
    }

    @Test func addressesCarryFamilyPrefixScopeAndIndex() {
        let v4 = RouteRequests.addAddress([10, 0, 3, 5], prefixLength: 24, index: 2, hostScope: false, subject: "eth0")
        #expect(v4.type == 20)
        #expect(v4.header == [2, 24, 0, 0] + u32(2))
        #expect(v4.attributes == [NetlinkAttribute(2, [10, 0, 3, 5]), NetlinkAttribute(1, [10, 0, 3, 5])])
        #expect(v4.flags & 0x100 != 0, "NLM_F_REPLACE: the same address again is no error")
        let v6 = RouteRequests.addAddress(
            Array(repeating: 0, count: 15) + [1], prefixLength: 128, index: 1,
            hostScope: true, subject: "lo")
        #expect(v6.header == [10, 128, 0x02, 254] + u32(1), "AF_INET6, IFA_F_NODAD, RT_SCOPE_HOST")
    }

    @Test func theDefaultRouteHasNoDestinationAndAGateway() {
        let route = RouteRequests.addDefaultRoute(gateway: [10, 0, 3, 1], index: 3, subject: "eth0")
        #expect(route.type == 24)
        #expect(route.header == [2, 0, 0, 0, 254, 3, 0, 1] + u32(0), "main table, boot protocol, unicast")
        #expect(route.attributes == [NetlinkAttribute(5, [10, 0, 3, 1]), NetlinkAttribute(4, u32(3))])
    }

    @Test func repliesParseIntoAcknowledgementsErrorsAndLinks() {
        func message(_ type: UInt16, _ sequence: UInt32, _ body: [UInt8]) -> [UInt8] {
            u32(UInt32(16 + body.count)) + u16(type) + u16(0) + u32(sequence) + u32(0) + body
        }
        let ack = message(2, 1, u32(0) + Array(repeating: 0, count: 16))
        let refused = message(2, 2, u32(UInt32(bitPattern: -17)) + Array(repeating: 0, count: 16))
        let link = message(
            16, 3,
            RouteRequests.linkHeader(index: 7)
                + NetlinkAttribute.string(3, "br0").bytes
                + NetlinkAttribute.nested(18, [.string(1, "bridge")]).bytes)
        let replies = NetlinkReply.parse(ack + refused + link)
        #expect(replies.map(\.sequence) == [1, 2, 3])
        #expect(replies[0].errorCode == 0)
        #expect(replies[1].errorCode == 17, "EEXIST")
        #expect(replies[2].errorCode == nil)
        #expect(
            LinkDescription(body: replies[2].body)
                == LinkDescription(
                    body: RouteRequests.linkHeader(index: 7)
                        + NetlinkAttribute.string(3, "br0").bytes + NetlinkAttribute.nested(18, [.string(1, "bridge")]).bytes))
        let description = LinkDescription(body: replies[2].body)
        #expect(description?.index == 7)
        #expect(description?.name == "br0")
        #expect(description?.kind == "bridge")
    }

    @Test func truncatedRepliesAndAttributesStopInsteadOfTrapping() {
        #expect(NetlinkReply.parse([1, 2, 3]).isEmpty)
        #expect(NetlinkReply.parse(u32(200) + Array(repeating: 0, count: 12)).isEmpty, "a length beyond the datagram")
        #expect(NetlinkAttribute.parse((u16(40) + u16(3) + [1, 2])[...]).isEmpty)
        #expect(NetlinkAttribute.parse((u16(2) + u16(3))[...]).isEmpty, "a length below the attribute header")
        #expect(LinkDescription(body: [1, 2, 3]) == nil)
    }
}
