import ConfigChecker
import ConfigLanguage
import Foundation
import JSONSupport
import Testing
@testable import LaunchPlan

/// The networking steps of a plan (language.md §9) and the veth's host name rule.
@Suite struct NetworkPlanTests {
    typealias S = PlanTestSupport

    @Test func hostEndNamesFitInFifteenBytesAndNeverCollideWithAWholeName() {
        #expect(VethName.hostEnd(for: "web") == "mc-web")
        #expect(VethName.hostEnd(for: "abcdefghijkl") == "mc-abcdefghijkl", "12 bytes: whole")
        let long = VethName.hostEnd(for: "abcdefghijklm")
        #expect(long.utf8.count == 15)
        #expect(long.hasPrefix("mc-abcd~"))
        #expect(
            VethName.hostEnd(for: "abcdefghijklm") != VethName.hostEnd(for: "abcdefghijkln"),
            "two long names sharing a prefix differ by their hash")
        for length in 1...64 {
            let name = String(repeating: "x", count: length)
            #expect(VethName.hostEnd(for: name).utf8.count <= VethName.maximumLength)
        }
    }

    @Test func nAloneBringsUpLoopbackInTheChildAndNothingOnTheHost() throws {
        let plan = try S.plan(S.config(namespaces: "pn"), .v2)
        let network = plan.steps.filter {
            $0.action.name.contains("Link") || $0.action.name.contains("Address")
                || $0.action.name.contains("Route") || $0.action.name.contains("Veth") || $0.action.name.contains("Bridge")
        }
        #expect(
            network.map(\.action.summary) == [
                "netlink RTM_NEWADDR 127.0.0.1/8 on lo", "netlink RTM_NEWADDR ::1/128 on lo", "netlink RTM_NEWLINK lo up",
            ])
        #expect(network.allSatisfy { $0.process == .child })
        #expect(try S.plan(S.config(namespaces: "p"), .v2).steps.allSatisfy { !$0.action.name.contains("Address") })
    }

    @Test func aBridgedPlanCreatesThePairAfterUnshareAndConfiguresItInside() throws {
        let config = S.config(
            namespaces: "upn", netBridge: "br0",
            netAddress: InterfaceAddress(parsing: "10.0.3.5/24"), netGateway: IPAddress(parsing: "10.0.3.1"))
        let plan = try S.plan(config, .v2)
        let names = plan.steps.map(\.action.name)
        func index(_ name: String) throws -> Int { try #require(names.firstIndex(of: name), "\(name) in \(names)") }
        #expect(try index("requireBridge") < index("deleteStaleLink"))
        #expect(try index("deleteStaleLink") < index("createCgroup"), "before anything is created")
        #expect(try index("unshare") < index("createVethPair"))
        #expect(try index("writeIDMap") < index("createVethPair"))
        #expect(try index("createVethPair") < index("attachToBridge"))
        #expect(try index("attachToBridge") < index("setHostLinkUp"))
        #expect(try index("setHostLinkUp") < index("addDefaultRoute"))
        #expect(try index("addDefaultRoute") < index("forkInit"))
        #expect(plan.steps.contains(Step(.launcher, .createVethPair(hostName: "mc-web", peerName: "eth0", owner: "minimal_containers:web"))))
        #expect(plan.steps.contains(Step(.child, .addAddress(link: "eth0", address: InterfaceAddress(parsing: "10.0.3.5/24")!))))
        #expect(plan.steps.contains(Step(.child, .setLinkUp(name: "eth0"))))
        #expect(plan.steps.contains(Step(.child, .addDefaultRoute(link: "eth0", gateway: IPAddress(parsing: "10.0.3.1")!))))
        let read = try PlanJSONReader.read(Array(plan.json().utf8))
        #expect(read == plan, "the JSON reads back to the same plan")
    }

    @Test(arguments: [
        (#""name": "eth0""#, #""name": "eth/0""#, "interface name"),
        (#""address": "10.0.3.5/24""#, #""address": "10.0.3.5""#, "ADDR/PREFIX"),
        (#""gateway": "10.0.3.1""#, #""gateway": "10.0.3.300""#, "IPv4 or IPv6"),
    ])
    func theReaderRefusesBadNetworkFields(_ original: String, _ replacement: String, _ message: String) throws {
        let config = S.config(
            namespaces: "pn", netBridge: "br0",
            netAddress: InterfaceAddress(parsing: "10.0.3.5/24"), netGateway: IPAddress(parsing: "10.0.3.1"))
        let json = try S.plan(config, .v2).json()
        let edited = json.replacingOccurrences(of: original, with: replacement)
        try #require(edited != json, "nothing replaced for \(original)")
        do {
            _ = try PlanJSONReader.read(Array(edited.utf8))
            Issue.record("the reader accepted \(replacement)")
        } catch {
            #expect("\(error)".contains(message), "\(error)")
        }
    }
}

extension NetworkPlanTests {
    /// A plan file whose veth would be created before the child's unshare (so in the host's
    /// network namespace, the peer too) is refused by the reader.
    @Test func theReaderRefusesNetworkStepsBeforeUnshare() throws {
        let config = S.config(namespaces: "pn", netBridge: "br0")
        let plan = try S.plan(config, .v2)
        var steps = plan.steps
        let unshare = try #require(steps.firstIndex { $0.action.name == "unshare" })
        let create = try #require(steps.firstIndex { $0.action.name == "createVethPair" })
        steps.swapAt(unshare, create)
        var edited = plan
        edited.steps = steps
        do {
            _ = try PlanJSONReader.read(Array(edited.json().utf8))
            Issue.record("the reader accepted createVethPair before unshare")
        } catch {
            #expect("\(error)".contains("createVethPair is out of place"), "\(error)")
        }
    }
}
