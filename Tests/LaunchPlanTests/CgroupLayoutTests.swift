import ContainerState
import HostCgroups
import LaunchPlan
import Testing

@Suite struct CgroupLayoutTests {
    let web = try! ContainerName(validating: "web")

    @Test func v1PathsPerController() {
        let layout = CgroupLayout(version: .v1, v1Root: "/sys/fs/cgroup/", v2Root: nil, parent: "tests-1")
        #expect(layout.v1Cgroup(.memory, for: web) == "/sys/fs/cgroup/memory/tests-1/web")
        #expect(layout.v1Cgroup(.netCls, for: web) == "/sys/fs/cgroup/net_cls/tests-1/web")
        #expect(layout.v2Cgroup(for: web) == nil)
    }

    @Test func v2PathAndAncestors() {
        let layout = CgroupLayout(version: .v2, v2Root: "/sys/fs/cgroup/unified", parent: "a/b")
        #expect(layout.v2Cgroup(for: web) == "/sys/fs/cgroup/unified/a/b/web")
        #expect(
            layout.v2Ancestors() == [
                "/sys/fs/cgroup/unified", "/sys/fs/cgroup/unified/a", "/sys/fs/cgroup/unified/a/b",
            ])
    }

    @Test func v1ControllersFollowTheConfig() {
        #expect(
            CgroupLayout.v1Controllers(memory: false, cpu: false, blockIO: false, netClass: false)
                == [.devices, .freezer, .pids])
        #expect(
            CgroupLayout.v1Controllers(memory: true, cpu: true, blockIO: true, netClass: true)
                == [.devices, .freezer, .pids, .memory, .cpu, .blkio, .netCls])
        #expect(CgroupLayout.v1Controllers(memory: false, cpu: false, blockIO: true, netClass: false).last == .blkio)
    }

    /// kill and list look at every mounted controller and at the v2 hierarchy, whatever the
    /// current config uses.
    @Test func identityCgroupsCoverEveryHierarchy() {
        let layout = CgroupLayout(
            version: .v1, v1Root: "/cg", v2Root: "/cg/unified", parent: "p",
            mountedV1Controllers: [.devices, .freezer, .memory])
        #expect(
            layout.identityCgroups(for: web) == [
                "/cg/devices/p/web", "/cg/freezer/p/web", "/cg/memory/p/web", "/cg/unified/p/web",
            ])
        let pure = CgroupLayout(version: .v2, v1Root: "/cg", v2Root: "/cg", parent: "p", mountedV1Controllers: [])
        #expect(pure.identityCgroups(for: web) == ["/cg/p/web"])
    }

    /// The layout takes everything from the one probe's model: version, roots, controllers.
    @Test func layoutOfAProbedHost() {
        let hybrid = HostCgroups(
            root: "/sys/fs/cgroup", v1Controllers: [.devices, .pids, .memory],
            v2Root: "/sys/fs/cgroup/unified", v2Controllers: [])
        let layout = CgroupLayout(host: hybrid, parent: "p")
        #expect(layout.version == .v1)
        #expect(layout.mountedV1Controllers == [.devices, .pids, .memory])
        #expect(layout.availableV2Controllers == [])
        #expect(layout.origin == .probed)
        #expect(layout.shortfall == nil)
        let pure = CgroupLayout(host: HostCgroups(root: "/sys/fs/cgroup", v2Root: "/sys/fs/cgroup"), parent: "p")
        #expect(pure.version == .v2)
        #expect(pure.v2Cgroup(for: web) == "/sys/fs/cgroup/p/web")
        #expect(pure.shortfall == nil)
    }

    @Test func layoutOfAnAssumedHostHasEveryController() {
        let v2 = CgroupLayout(host: .assumed(.v2), parent: "p")
        #expect(v2.version == .v2 && v2.origin == .assumed)
        #expect(v2.v2Root == "/sys/fs/cgroup")
        #expect(v2.availableV2Controllers == CgroupV2Controller.allCases)
        let v1 = CgroupLayout(host: .assumed(.v1), parent: "p")
        #expect(v1.version == .v1 && v1.mountedV1Controllers == CgroupV1Controller.allCases)
        #expect(v1.v2Root == nil)
    }

    /// No hierarchy, or v1 without devices: the layout says why no container can start.
    @Test func layoutsWithoutAUsableCgroupHaveAShortfall() {
        let none = CgroupLayout(host: HostCgroups(root: "/sys/fs/cgroup"), parent: "p")
        #expect(none.shortfall == .noHierarchy(root: "/sys/fs/cgroup"))
        let noDevices = CgroupLayout(
            host: HostCgroups(root: "/sys/fs/cgroup", v1Controllers: [.memory, .pids]), parent: "p")
        #expect(noDevices.shortfall == .noDevicesController(root: "/sys/fs/cgroup"))
        let v2WithoutRoot = CgroupLayout(version: .v2, v2Root: nil)
        #expect(v2WithoutRoot.shortfall == .noHierarchy(root: "/sys/fs/cgroup"))
    }

    @Test(arguments: ["minimal_containers", "tests.1/inner", "/lead/", "x-y_z"])
    func validParents(parent: String) throws {
        let validated = try CgroupLayout.validatedParent(parent)
        #expect(!validated.hasPrefix("/") && !validated.hasSuffix("/"))
    }

    @Test(arguments: ["", "/", "..", "a/../b", "a//b", "a b", "-x", "a/."])
    func invalidParents(parent: String) {
        #expect(throws: CgroupLayout.InvalidParent.self) { try CgroupLayout.validatedParent(parent) }
    }
}
