import ContainerState
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
        #expect(layout.v2Ancestors() == [
            "/sys/fs/cgroup/unified", "/sys/fs/cgroup/unified/a", "/sys/fs/cgroup/unified/a/b",
        ])
    }

    @Test func v1ControllersFollowTheConfig() {
        #expect(CgroupLayout.v1Controllers(memory: false, cpu: false, blockIO: false, netClass: false)
            == [.devices, .freezer, .pids])
        #expect(CgroupLayout.v1Controllers(memory: true, cpu: true, blockIO: true, netClass: true)
            == [.devices, .freezer, .pids, .memory, .cpu, .blkio, .netCls])
        #expect(CgroupLayout.v1Controllers(memory: false, cpu: false, blockIO: true, netClass: false).last == .blkio)
    }

    /// kill and list look at every mounted controller and at the v2 hierarchy, whatever the
    /// current config uses.
    @Test func identityCgroupsCoverEveryHierarchy() {
        let layout = CgroupLayout(
            version: .v1, v1Root: "/cg", v2Root: "/cg/unified", parent: "p",
            mountedV1Controllers: [.devices, .freezer, .memory])
        #expect(layout.identityCgroups(for: web) == [
            "/cg/devices/p/web", "/cg/freezer/p/web", "/cg/memory/p/web", "/cg/unified/p/web",
        ])
        let pure = CgroupLayout(version: .v2, v1Root: "/cg", v2Root: "/cg", parent: "p", mountedV1Controllers: [])
        #expect(pure.identityCgroups(for: web) == ["/cg/p/web"])
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

@Suite struct CgroupProbeTests {
    static let hybrid = """
        31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
        32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
        35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
        36 31 0:33 / /sys/fs/cgroup/devices rw,relatime - cgroup cgroup rw,devices
        37 31 0:34 / /sys/fs/cgroup/freezer rw,relatime - cgroup cgroup rw,freezer
        38 31 0:35 / /sys/fs/cgroup/blkio rw,relatime - cgroup cgroup rw,blkio
        39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
        40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
        41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
        """

    @Test func hybridHostIsV1WithAUnifiedHierarchy() {
        let probe = CgroupProbe.probe(mountinfo: Self.hybrid, root: "/sys/fs/cgroup")
        #expect(probe.version == .v1)
        #expect(probe.v2Root == "/sys/fs/cgroup/unified")
        #expect(probe.mountedV1Controllers == [.devices, .freezer, .pids, .memory, .cpu, .blkio])
    }

    @Test func pureV2Host() {
        let text = "30 23 0:26 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate"
        let probe = CgroupProbe.probe(mountinfo: text, root: "/sys/fs/cgroup")
        #expect(probe.version == .v2)
        #expect(probe.v2Root == "/sys/fs/cgroup")
        #expect(probe.mountedV1Controllers.isEmpty)
        let layout = probe.layout(parent: "p")
        #expect(layout.version == .v2)
        #expect(layout.v2Cgroup(for: try! ContainerName(validating: "web")) == "/sys/fs/cgroup/p/web")
    }

    /// Co-mounted controllers (`cpu,cpuacct`, `net_cls,net_prio`) count as mounted.
    @Test func coMountedControllers() {
        let text = """
            32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct
            33 31 0:30 / /sys/fs/cgroup/net_cls,net_prio rw - cgroup cgroup rw,net_cls,net_prio
            """
        let probe = CgroupProbe.probe(mountinfo: text, root: "/sys/fs/cgroup")
        #expect(probe.version == .v1)
        #expect(probe.mountedV1Controllers == [.cpu, .netCls])
    }

    @Test func mountsOutsideTheRootAreIgnored() {
        let text = """
            50 1 0:40 / /tmp/net_cls rw - cgroup net_cls rw,net_cls
            51 1 0:41 / /sys/fs/cgroupx rw - cgroup2 cgroup2 rw
            garbage line
            """
        let probe = CgroupProbe.probe(mountinfo: text, root: "/sys/fs/cgroup")
        #expect(probe.version == nil)
        #expect(probe.mountedV1Controllers.isEmpty)
        #expect(probe.layout(parent: "p").version == .v1)
    }

    @Test func overrideToV2OnAHybridHostUsesTheUnifiedMount() {
        let probe = CgroupProbe.probe(mountinfo: Self.hybrid, root: "/sys/fs/cgroup")
        let layout = probe.layout(version: .v2, parent: "p")
        #expect(layout.version == .v2)
        #expect(layout.v2Cgroup(for: try! ContainerName(validating: "web")) == "/sys/fs/cgroup/unified/p/web")
    }

    @Test func escapedMountPoints() {
        let text = #"60 1 0:50 / /sys/fs/cgroup/with\040space rw - cgroup2 cgroup2 rw"#
        #expect(CgroupProbe.probe(mountinfo: text, root: "/sys/fs/cgroup").v2Root == "/sys/fs/cgroup/with space")
    }

    /// The real host: whatever it has, the probe's answer is consistent with /proc/self/mountinfo.
    @Test func probesTheRunningHost() {
        let probe = CgroupProbe.probeHost()
        if let v2 = probe.v2Root { #expect(v2.hasPrefix("/sys/fs/cgroup")) }
        if probe.version == .v1 { #expect(!probe.mountedV1Controllers.isEmpty) }
    }
}
