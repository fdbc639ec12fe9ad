#if canImport(Glibc)
import Glibc
#endif
import HostCgroups
import Testing

/// The one probe, from mountinfo texts (text in, model out).
@Suite struct CgroupProbeTests {
    /// This machine: v1 controllers, each its own mount, and cgroup2 at `unified`.
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
    static let pureV2 = "30 23 0:26 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate"

    @Test func hybridHostIsV1WithAUnifiedHierarchy() {
        let host = CgroupProbe.parse(mountinfo: Self.hybrid, root: "/sys/fs/cgroup")
        #expect(host.version == .v1)
        #expect(host.origin == .probed)
        #expect(host.v2Root == "/sys/fs/cgroup/unified")
        #expect(host.v1Controllers == [.devices, .freezer, .pids, .memory, .cpu, .blkio])
        #expect(host.shortfall == nil)
    }

    @Test func pureV2Host() {
        let host = CgroupProbe.parse(mountinfo: Self.pureV2, root: "/sys/fs/cgroup/")
        #expect(host.version == .v2)
        #expect(host.root == "/sys/fs/cgroup")
        #expect(host.v2Root == "/sys/fs/cgroup")
        #expect(host.v1Controllers.isEmpty)
        #expect(host.shortfall == nil)
    }

    @Test func v1OnlyHost() {
        let text = """
            31 23 0:28 / /sys/fs/cgroup rw - tmpfs tmpfs rw,mode=755
            36 31 0:33 / /sys/fs/cgroup/devices rw - cgroup cgroup rw,devices
            39 31 0:36 / /sys/fs/cgroup/pids rw - cgroup cgroup rw,pids
            """
        let host = CgroupProbe.parse(mountinfo: text, root: "/sys/fs/cgroup")
        #expect(host.version == .v1)
        #expect(host.v2Root == nil)
        #expect(host.v1Controllers == [.devices, .pids])
        #expect(host.shortfall == nil)
    }

    /// A v1 host whose devices controller is not mounted cannot enforce the allow-list.
    @Test func v1HostWithoutDevices() {
        let text = """
            35 31 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory
            39 31 0:36 / /sys/fs/cgroup/pids rw - cgroup cgroup rw,pids
            """
        let host = CgroupProbe.parse(mountinfo: text, root: "/sys/fs/cgroup")
        #expect(host.version == .v1)
        #expect(host.shortfall == .noDevicesController(root: "/sys/fs/cgroup"))
        #expect(host.shortfall?.problem.contains("devices") == true)
        #expect(host.shortfall?.remedy.contains("mount -t cgroup -o devices devices /sys/fs/cgroup/devices") == true)
    }

    /// No cgroup at all (a tmpfs, or `ip netns exec`'s fresh /sys): no version, no container.
    @Test func noCgroupsMounted() {
        let text = """
            22 1 0:20 / /sys rw - sysfs sysfs rw
            31 22 0:28 / /sys/fs/cgroup rw - tmpfs tmpfs rw,mode=755
            """
        let host = CgroupProbe.parse(mountinfo: text, root: "/sys/fs/cgroup")
        #expect(host.version == nil)
        #expect(host.shortfall == .noHierarchy(root: "/sys/fs/cgroup"))
        #expect(host.shortfall?.remedy.contains("mount -t cgroup2 none /sys/fs/cgroup") == true)
        #expect(CgroupProbe.parse(mountinfo: "", root: "/sys/fs/cgroup").version == nil)
    }

    /// cgroup2 below the root only: a v2 host there; the root itself wins over a nested one.
    @Test func nestedCgroup2() {
        let nested = "41 31 0:38 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw"
        let host = CgroupProbe.parse(mountinfo: nested, root: "/sys/fs/cgroup")
        #expect(host.version == .v2)
        #expect(host.v2Root == "/sys/fs/cgroup/unified")
        #expect(host.shortfall == nil)
        let both = CgroupProbe.parse(mountinfo: nested + "\n" + Self.pureV2, root: "/sys/fs/cgroup")
        #expect(both.v2Root == "/sys/fs/cgroup")
        #expect(both.version == .v2)
    }

    /// Co-mounted controllers (`cpu,cpuacct`, `net_cls,net_prio`) count as mounted.
    @Test func coMountedControllers() {
        let text = """
            32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct
            33 31 0:30 / /sys/fs/cgroup/net_cls,net_prio rw - cgroup cgroup rw,net_cls,net_prio
            """
        let host = CgroupProbe.parse(mountinfo: text, root: "/sys/fs/cgroup")
        #expect(host.version == .v1)
        #expect(host.v1Controllers == [.cpu, .netCls])
    }

    @Test func mountsOutsideTheRootAreIgnored() {
        let text = """
            50 1 0:40 / /tmp/net_cls rw - cgroup net_cls rw,net_cls
            51 1 0:41 / /sys/fs/cgroupx rw - cgroup2 cgroup2 rw
            52 31 0:42 / /sys/fs/cgroup/deep/devices rw - cgroup cgroup rw,devices
            garbage line
            """
        let host = CgroupProbe.parse(mountinfo: text, root: "/sys/fs/cgroup")
        #expect(host.version == nil)
        #expect(host.v1Controllers.isEmpty)
    }

    /// A tmpfs mounted over the root hides the hierarchies below it, though mountinfo still
    /// lists them (`unshare -m sh -c 'mount -t tmpfs none /sys/fs/cgroup; …'`).
    @Test func overmountedHierarchiesAreHidden() {
        let tmpfs: String = Self.hybrid + "\n900 31 0:99 / /sys/fs/cgroup rw - tmpfs none rw"
        let host = CgroupProbe.parse(mountinfo: tmpfs, root: "/sys/fs/cgroup")
        #expect(host.version == nil)
        #expect(host.v1Controllers.isEmpty)
        #expect(host.v2Root == nil)
        // Re-mounted on the new tmpfs: only those count.
        let remounted: String =
            tmpfs
            + "\n901 900 0:36 / /sys/fs/cgroup/pids rw - cgroup cgroup rw,pids"
            + "\n902 900 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory"
        let partial = CgroupProbe.parse(mountinfo: remounted, root: "/sys/fs/cgroup")
        #expect(partial.v1Controllers == [.pids, .memory])
        #expect(partial.shortfall == .noDevicesController(root: "/sys/fs/cgroup"))
        // cgroup2 stacked on the root: a pure v2 host.
        let stacked: String = Self.hybrid + "\n903 31 0:38 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw"
        let v2 = CgroupProbe.parse(mountinfo: stacked, root: "/sys/fs/cgroup")
        #expect(v2.version == .v2)
        #expect(v2.v2Root == "/sys/fs/cgroup")
        #expect(v2.v1Controllers.isEmpty)
    }

    /// `ip netns exec` mounts a fresh sysfs on /sys: everything under it is hidden, and a
    /// mount made on a hidden mount is hidden too. The root listed after its children (as on
    /// this machine) still resolves.
    @Test func aFreshSysHidesEveryHierarchy() {
        let sys = "23 27 0:20 / /sys rw - sysfs sysfs rw"
        let root = "27 1 0:1 / / rw - ext4 /dev/root rw"
        let before: String = sys + "\n" + Self.hybrid + "\n" + root
        #expect(CgroupProbe.parse(mountinfo: before, root: "/sys/fs/cgroup").version == .v1)
        let fresh: String =
            before
            + "\n950 23 0:80 / /sys rw - sysfs sysfs rw"
            + "\n951 36 0:81 / /sys/fs/cgroup/devices/x rw - tmpfs tmpfs rw"
        let host = CgroupProbe.parse(mountinfo: fresh, root: "/sys/fs/cgroup")
        #expect(host.version == nil)
        #expect(host.shortfall == .noHierarchy(root: "/sys/fs/cgroup"))
    }

    /// mountinfo escapes space, tab, newline and backslash as octal.
    @Test func escapedMountPoints() {
        let text = #"60 1 0:50 / /sys/fs/cgroup/with\040space\134x rw - cgroup2 cgroup2 rw"#
        #expect(CgroupProbe.parse(mountinfo: text, root: "/sys/fs/cgroup").v2Root == #"/sys/fs/cgroup/with space\x"#)
        let root = #"60 1 0:50 / /srv/my\040cgroups rw - cgroup2 cgroup2 rw"#
        #expect(CgroupProbe.parse(mountinfo: root, root: "/srv/my cgroups").version == .v2)
    }

    /// The probe reads mountinfo, then the v2 root's cgroup.controllers and this process's own
    /// cgroup, and nothing else.
    @Test func probeReadsMountinfoThenTheV2RootsControllers() {
        var read: [String] = []
        let host = CgroupProbe.probe(root: "/sys/fs/cgroup") { path in
            read.append(path)
            switch path {
            case "/proc/self/mountinfo": return Self.hybrid
            case "/sys/fs/cgroup/unified/cgroup.controllers": return "\n"
            default: return nil
            }
        }
        #expect(read == ["/proc/self/mountinfo", "/sys/fs/cgroup/unified/cgroup.controllers", "/proc/self/cgroup"])
        #expect(host.v2Controllers == [])
        #expect(!host.offers(.memory))
        let pure = CgroupProbe.probe(root: "/sys/fs/cgroup") { path in
            path == "/proc/self/mountinfo" ? Self.pureV2 : "cpuset cpu io memory hugetlb pids rdma misc\n"
        }
        #expect(pure.v2Controllers == [.memory, .pids, .cpu, .io])
        let unreadable = CgroupProbe.probe(root: "/sys/fs/cgroup") { path in
            path == "/proc/self/mountinfo" ? Self.pureV2 : nil
        }
        #expect(unreadable.v2Controllers == nil)
        #expect(unreadable.offers(.io), "an unreadable list hides nothing")
    }

    /// The launcher's own v2 cgroup comes from `/proc/self/cgroup`'s `0::` line, and whether
    /// another process shares it from that cgroup's `cgroup.procs`.
    @Test func theLaunchersOwnCgroupAndWhetherItIsShared() {
        func probe(procs: String) -> HostCgroups {
            CgroupProbe.probe(root: "/sys/fs/cgroup") { path in
                switch path {
                case "/proc/self/mountinfo": return Self.pureV2
                case "/sys/fs/cgroup/cgroup.controllers": return "memory pids\n"
                case "/proc/self/cgroup": return "0::/system.slice/web.service\n"
                case "/sys/fs/cgroup/system.slice/web.service/cgroup.procs": return procs
                default: return nil
                }
            }
        }
        let alone = probe(procs: "\(getpid())\n")
        #expect(alone.launcherV2Cgroup == "/system.slice/web.service")
        #expect(!alone.launcherCgroupIsShared)
        #expect(probe(procs: "\(getpid())\n1234\n").launcherCgroupIsShared)
        #expect(CgroupProbe.v2Cgroup(fromProcCgroup: "12:pids:/x\n0::/user.slice/session-2.scope\n") == "/user.slice/session-2.scope")
        #expect(CgroupProbe.v2Cgroup(fromProcCgroup: "12:pids:/x\n1:name=systemd:/y\n") == nil, "a v1-only host")
        #expect(CgroupProbe.v2Cgroup(fromProcCgroup: "0::/\n") == "/")
    }

    /// The real host: whatever it has, the probe's answer is consistent.
    @Test func probesTheRunningHost() {
        let host = CgroupProbe.probeHost()
        if let v2 = host.v2Root { #expect(v2.hasPrefix("/sys/fs/cgroup")) }
        if host.version == .v1 { #expect(!host.v1Controllers.isEmpty) }
        if host.version == nil { #expect(host.shortfall != nil) }
    }
}

@Suite struct HostCgroupsModelTests {
    @Test func parseListKeepsKnownControllersInOrder() {
        #expect(CgroupV2Controller.parseList("io  pids\tmemory\nrdma") == [.memory, .pids, .io])
        #expect(CgroupV2Controller.parseList("").isEmpty)
        #expect(CgroupV2Controller.parseList("iox cpus") == [])
    }

    @Test(arguments: CgroupVersion.allCases)
    func assumedHostsHaveEveryControllerAndNoShortfall(version: CgroupVersion) {
        let host = HostCgroups.assumed(version)
        #expect(host.origin == .assumed)
        #expect(host.version == version)
        #expect(host.shortfall == nil)
        for controller in CgroupV2Controller.allCases where version == .v2 { #expect(host.offers(controller)) }
        if version == .v1 { #expect(host.v1Controllers == CgroupV1Controller.allCases) }
    }

    @Test func v1ControllersAreKeptInEnumOrder() {
        let host = HostCgroups(root: "/cg/", v1Controllers: [.netCls, .devices, .memory])
        #expect(host.v1Controllers == [.devices, .memory, .netCls])
        #expect(host.root == "/cg")
    }
}
