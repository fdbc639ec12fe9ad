import ConfigChecker
import ConfigLanguage
import ContainerState
import HostCgroups
import LaunchPlan
import Testing

private typealias S = PlanTestSupport

@Suite struct PlanGeneratorCgroupV1Tests {
    /// The seed swaps these two; the plan must not.
    @Test func memoryGoesToTheRightFilesPhysicalFirst() throws {
        let plan = try S.plan(S.config(maxPhysicalMemory: .bytes(512 << 20), maxMemory: .bytes(1 << 30)), .v1)
        let memory = S.writes(plan).filter { $0.0.contains("/memory/") }
        #expect(
            memory.map(\.0) == [
                "/sys/fs/cgroup/memory/minimal_containers/web/memory.limit_in_bytes",
                "/sys/fs/cgroup/memory/minimal_containers/web/memory.memsw.limit_in_bytes",
            ])
        #expect(memory.map(\.1) == [String(512 << 20), String(1 << 30)])
    }

    @Test func totalWithoutPhysicalLimitsBothAndSaysSo() throws {
        let plan = try S.plan(S.config(maxMemory: .bytes(1 << 30)), .v1)
        #expect(S.written(plan, "memory.limit_in_bytes") == String(1 << 30))
        #expect(S.written(plan, "memory.memsw.limit_in_bytes") == String(1 << 30))
        #expect(plan.notes.contains { $0.contains("max_memory") })
    }

    @Test func unlimitedIsMinusOne() throws {
        let plan = try S.plan(S.config(maxPhysicalMemory: .bytes(64 << 20), maxMemory: .unlimited), .v1)
        #expect(S.written(plan, "memory.limit_in_bytes") == String(64 << 20))
        #expect(S.written(plan, "memory.memsw.limit_in_bytes") == "-1")
    }

    @Test func physicalOnlyLeavesSwapAlone() throws {
        let plan = try S.plan(S.config(maxPhysicalMemory: .bytes(64 << 20)), .v1)
        #expect(S.written(plan, "memory.memsw.limit_in_bytes") == nil)
        #expect(plan.notes.isEmpty)
    }

    @Test func controllersOnlyWhenConfigured() throws {
        let bare = try S.plan(S.config(), .v1)
        let created = bare.steps.compactMap { if case let .createCgroup(path) = $0.action { path } else { nil } }
        #expect(
            created == [
                "/sys/fs/cgroup/devices/minimal_containers/web",
                "/sys/fs/cgroup/freezer/minimal_containers/web",
                "/sys/fs/cgroup/pids/minimal_containers/web",
            ])
        let attached = bare.steps.compactMap { if case let .attachChild(path) = $0.action { path } else { nil } }
        #expect(attached == created)
    }

    @Test func limitsOfEveryController() throws {
        let plan = try S.plan(
            S.config(
                maxProcesses: .count(100), cpuShare: 512, netClassID: 0x0010_0001,
                ioLimits: [
                    .init(device: DeviceNumber(major: 8, minor: 0), kind: .iops, value: 1000),
                    .init(device: DeviceNumber(major: 8, minor: 16), kind: .bytesPerSecond, value: 10_485_760),
                ]), .v1)
        #expect(S.written(plan, "pids.max") == "100")
        #expect(S.written(plan, "cpu.shares") == "512")
        #expect(S.written(plan, "net_cls.classid") == String(0x0010_0001))
        #expect(S.written(plan, "blkio.throttle.read_iops_device") == "8:0 1000")
        #expect(S.written(plan, "blkio.throttle.write_iops_device") == "8:0 1000")
        #expect(S.written(plan, "blkio.throttle.read_bps_device") == "8:16 10485760")
        #expect(S.written(plan, "blkio.throttle.write_bps_device") == "8:16 10485760")
        #expect(S.writes(plan).allSatisfy { !$0.0.contains("cgroup.subtree_control") })
    }

    /// Deny everything, then allow exactly the nodes /dev gets and the container's ptys.
    @Test func deviceAllowListMatchesTheNodesOfDev() throws {
        let plan = try S.plan(S.config(), .v1)
        let devices = S.writes(plan).filter { $0.0.contains("/devices/") }
        #expect(devices.first?.0.hasSuffix("devices.deny") == true)
        #expect(devices.first?.1 == "a")
        let nodes =
            plan.steps.compactMap { step -> [DeviceNode]? in
                if case let .populateDev(_, nodes, _) = step.action { nodes } else { nil }
            }.first ?? []
        #expect(!nodes.isEmpty)
        #expect(devices.dropFirst().map(\.1) == nodes.map { "c \($0.major):\($0.minor) rwm" } + ["c 5:2 rwm", "c 136:* rwm"])
    }
}

@Suite struct PlanGeneratorCgroupV2Tests {
    @Test func swapIsTotalMinusPhysical() throws {
        let plan = try S.plan(S.config(maxPhysicalMemory: .bytes(256 << 20), maxMemory: .bytes(768 << 20)), .v2)
        #expect(S.written(plan, "memory.max") == String(256 << 20))
        #expect(S.written(plan, "memory.swap.max") == String(512 << 20))
    }

    @Test func totalWithoutPhysicalMeansNoSwap() throws {
        let plan = try S.plan(S.config(maxMemory: .bytes(1 << 30)), .v2)
        #expect(S.written(plan, "memory.max") == String(1 << 30))
        #expect(S.written(plan, "memory.swap.max") == "0")
        #expect(plan.notes.contains { $0.contains("memory.swap.max = 0") })
    }

    @Test func unlimitedIsMax() throws {
        let plan = try S.plan(S.config(maxPhysicalMemory: .unlimited, maxMemory: .unlimited, maxProcesses: .unlimited), .v2)
        #expect(S.written(plan, "memory.max") == "max")
        #expect(S.written(plan, "memory.swap.max") == "max")
        #expect(S.written(plan, "pids.max") == "max")
    }

    @Test func controllersEnabledInEveryAncestorBeforeTheCgroupIsCreated() throws {
        let plan = try S.plan(
            S.config(
                maxPhysicalMemory: .bytes(1 << 26), maxProcesses: .count(10), cpuShare: 1024,
                ioLimits: [.init(device: DeviceNumber(major: 8, minor: 0), kind: .iops, value: 5)]), .v2)
        let subtree = S.writes(plan).filter { $0.0.hasSuffix("cgroup.subtree_control") }
        #expect(
            subtree.map(\.0) == [
                "/sys/fs/cgroup/cgroup.subtree_control", "/sys/fs/cgroup/minimal_containers/cgroup.subtree_control",
            ])
        #expect(subtree.allSatisfy { $0.1 == "+memory +pids +cpu +io" })
        let names = S.actions(plan)
        let lastSubtree = plan.steps.lastIndex { if case let .writeCgroup(path, _) = $0.action { path.hasSuffix("subtree_control") } else { false } }!
        let createContainer = plan.steps.firstIndex { $0.action == .createCgroup(path: "/sys/fs/cgroup/minimal_containers/web") }!
        #expect(lastSubtree < createContainer)
        #expect(names.filter { $0 == "attachChild" }.count == 1)
        #expect(S.written(plan, "cpu.weight") == "100")
        #expect(S.written(plan, "io.max") == "8:0 riops=5 wiops=5")
    }

    @Test func onlyTheNeededControllers() throws {
        let plan = try S.plan(S.config(maxProcesses: .count(10)), .v2)
        #expect(S.written(plan, "cgroup.subtree_control") == "+pids")
        let bare = try S.plan(S.config(), .v2)
        #expect(S.written(bare, "cgroup.subtree_control") == nil)
    }

    @Test func bandwidthLimitsUseBps() throws {
        let plan = try S.plan(
            S.config(ioLimits: [
                .init(device: DeviceNumber(major: 259, minor: 1), kind: .bytesPerSecond, value: 1_000_000)
            ]), .v2)
        #expect(S.written(plan, "io.max") == "259:1 rbps=1000000 wbps=1000000")
    }

    /// Not silently dropped: a note says net_classid is not applied. The device list has no
    /// file on v2: it is the eBPF filter step (DeviceFilterPlanTests), with no note.
    @Test func netClassIDIsNotedNotWrittenAndDevicesAreFiltered() throws {
        let plan = try S.plan(S.config(netClassID: 0x0010_0001), .v2)
        #expect(S.writes(plan).allSatisfy { !$0.0.contains("net_cls") && !$0.0.contains("devices") })
        #expect(
            plan.notes == [
                "net_classid 0x00100001 is not applied: cgroup v2 has no net_cls controller "
                    + "(match the container's cgroup path in nftables instead: socket cgroupv2)"
            ])
        #expect(S.actions(plan).contains("attachDeviceFilter"))
        let v1 = try S.plan(S.config(netClassID: 0x0010_0001), .v1)
        #expect(!v1.notes.contains { $0.contains("net_classid") })
    }
}

@Suite struct PlanGeneratorProcessTests {
    @Test func statePathsAndHash() throws {
        let config = S.config()
        let bytes = Array("root=/srv/web\n".utf8)
        let plan = try PlanGenerator.generate(config, options: S.options(.v1, name: "web", bytes: bytes))
        #expect(plan.steps.first == Step(.launcher, .lock(path: "/containers/locks/web")))
        #expect(plan.steps.last == Step(.launcher, .writePidFile(path: "/containers/pids/web")))
        #expect(plan.steps.contains(Step(.`init`, .redirectOutput(logPath: "/containers/logs/web"))))
        #expect(plan.configHash == ConfigHash.of(bytes))
        #expect(plan.configPath == "/containers/configs/web")
        #expect(
            plan.steps[1]
                == Step(
                    .launcher,
                    .ensureNotRunning(
                        cgroups: S.v1Layout.identityCgroups(for: try ContainerName(validating: "web")))))
    }

    @Test func everyStepRunsInItsProcess() throws {
        for version in CgroupVersion.allCases {
            let plan = try S.plan(S.config(namespaces: "uphtic"), version)
            #expect(plan.steps.allSatisfy { $0.process == $0.action.process })
        }
    }

    @Test func userNamespaceMapsIDsAndBindsDevices() throws {
        let plan = try S.plan(S.config(namespaces: "up", idMapStart: 300_000), .v1)
        let maps = plan.steps.filter { $0.action.name == "writeIDMap" }
        #expect(
            maps == [
                Step(.launcher, .writeIDMap(kind: .uid, containerStart: 0, hostStart: 300_000, count: 65_536)),
                Step(.launcher, .writeIDMap(kind: .gid, containerStart: 0, hostStart: 300_000, count: 65_536)),
            ])
        let names = S.actions(plan)
        #expect(names.firstIndex(of: "unshare")! < names.firstIndex(of: "writeIDMap")!)
        #expect(names.firstIndex(of: "writeIDMap")! < names.firstIndex(of: "forkInit")!)
        #expect(plan.steps.contains { if case .populateDev(_, _, true) = $0.action { true } else { false } })
        #expect(names.contains("mountProc"))
    }

    @Test func withoutUserNamespaceDevicesAreCreated() throws {
        let plan = try S.plan(S.config(namespaces: "p"), .v1)
        #expect(plan.steps.contains { if case .populateDev("/srv/web/dev", _, false) = $0.action { true } else { false } })
        #expect(!S.actions(plan).contains("writeIDMap"))
    }

    /// A new proc needs a pid namespace owned by the user namespace: without `p`, bind /proc.
    @Test func userWithoutPidBindsTheHostProc() throws {
        let plan = try S.plan(S.config(namespaces: "u"), .v1)
        #expect(!S.actions(plan).contains("mountProc"))
        #expect(
            plan.steps.contains(
                Step(
                    .`init`,
                    .bindMount(
                        BindMount(
                            source: "/proc", target: "/proc", readOnly: false, onFailure: .abort)))))
    }

    @Test func namespaceDependentSteps() throws {
        let none = try S.plan(S.config(namespaces: ""), .v1)
        #expect(none.steps.contains(Step(.child, .unshare(namespaces: []))))
        #expect(!S.actions(none).contains("setHostname"))
        #expect(!S.actions(none).contains("resetTimeNamespaceClocks"))
        let all = try S.plan(S.config(namespaces: "uphtic"), .v1)
        #expect(all.steps.contains(Step(.child, .unshare(namespaces: .all))))
        #expect(all.steps.contains(Step(.child, .resetTimeNamespaceClocks)))
        let names = S.actions(all)
        #expect(names.firstIndex(of: "setHostname")! == names.firstIndex(of: "pivotRoot")! + 1)
        #expect(all.steps.contains(Step(.`init`, .setHostname("web"))))
    }

    @Test func attachBeforeUnshare() throws {
        let plan = try S.plan(S.config(namespaces: "c"), .v1)
        let names = S.actions(plan)
        #expect(names.lastIndex(of: "attachChild")! < names.firstIndex(of: "unshare")!)
        #expect(names.firstIndex(of: "forkChild")! < names.firstIndex(of: "attachChild")!)
    }

    /// mount warns (the seed's rule), mount_ro aborts; both after the standard mounts.
    @Test func configMountsAndTheirFailurePolicy() throws {
        let plan = try S.plan(
            S.config(mounts: [
                .init(source: "/srv/a", destination: "/a", readOnly: false),
                .init(source: "/srv/b", destination: "/b", readOnly: true),
            ]), .v1)
        let binds = plan.steps.compactMap { if case let .bindMount(m) = $0.action { m } else { nil } }
        #expect(
            binds == [
                BindMount(source: "/srv/a", target: "/a", readOnly: false, onFailure: .warn),
                BindMount(source: "/srv/b", target: "/b", readOnly: true, onFailure: .abort),
            ])
        let names = S.actions(plan)
        #expect(names.lastIndex(of: "mountTmpfs")! < names.firstIndex(of: "bindMount")!)
        #expect(names.lastIndex(of: "bindMount")! < names.firstIndex(of: "pivotRoot")!)
    }

    @Test func initMountOrder() throws {
        let plan = try S.plan(S.config(namespaces: "p"), .v1)
        let initSteps = plan.steps.filter { $0.process == .`init` }.map(\.action)
        #expect(
            initSteps.prefix(10) == [
                .makeMountsPrivate, .bindRootToItself(root: "/srv/web"), .mountProc(target: "/srv/web/proc"),
                .mountTmpfs(target: "/srv/web/dev", options: ContainerDefaults.devTmpfsOptions),
                .populateDev(target: "/srv/web/dev", nodes: ContainerDefaults.deviceNodes, bindFromHost: false),
                .mountDevpts(
                    target: "/srv/web/dev/pts", options: "nosuid,noexec,newinstance,ptmxmode=0666,mode=0620,gid=5",
                    ptmxLink: "/srv/web/dev/ptmx", ptmx: "pts/ptmx"),
                .mountTmpfs(target: "/srv/web/dev/shm", options: ContainerDefaults.shmTmpfsOptions),
                .mountTmpfs(target: "/srv/web/tmp", options: ContainerDefaults.tmpTmpfsOptions),
                .bindReadOnlyTree(source: "/sys", target: "/sys"),
                .setUpConsole(ptmx: "/srv/web/dev/pts/ptmx", console: "/srv/web/dev/console"),
            ])
        // mqueue only with `i` (this config has `p` alone).
        #expect(!initSteps.contains(.mountMqueue(target: "/srv/web/dev/mqueue")))
        let withIPC = try S.plan(S.config(namespaces: "pi"), .v1).steps.map(\.action)
        let mqueue = try #require(withIPC.firstIndex(of: .mountMqueue(target: "/srv/web/dev/mqueue")))
        #expect(withIPC[mqueue - 1] == .mountTmpfs(target: "/srv/web/dev/shm", options: ContainerDefaults.shmTmpfsOptions))
        // /sys/firmware is masked with the /proc paths.
        #expect(withIPC.contains { if case let .protectProc(masked, _) = $0 { masked.contains("/sys/firmware") } else { false } })
        #expect(
            initSteps.last
                == .exec(
                    program: InitProgram(path: "/sbin/init", location: .insideRoot), environment: ContainerDefaults.environment))
    }

    @Test func invalidNameIsRefused() {
        #expect {
            try S.plan(S.config(name: "../x"), .v1)
        } throws: { error in
            guard case .invalidName? = error as? PlanGenerationError else { return false }
            return true
        }
    }

    /// No cgroup, no container: a layout without a hierarchy list and kill use, or v1 without
    /// the devices controller, gives no plan at all (`start --plan` regenerates through this).
    @Test(arguments: [
        (CgroupLayout(version: .v1, v2Root: nil, mountedV1Controllers: []), CgroupShortfall.noHierarchy(root: "/sys/fs/cgroup")),
        (CgroupLayout(version: .v2, v2Root: nil, mountedV1Controllers: []), .noHierarchy(root: "/sys/fs/cgroup")),
        (
            CgroupLayout(version: .v1, v2Root: "/sys/fs/cgroup/unified", mountedV1Controllers: [.freezer, .pids, .memory]),
            .noDevicesController(root: "/sys/fs/cgroup")
        ),
    ])
    func aLayoutWithoutAUsableCgroupGivesNoPlan(layout: CgroupLayout, shortfall: CgroupShortfall) {
        let options = PlanOptions(cgroupLayout: layout, stateDirectory: S.state, configPath: "/c/web", configBytes: [])
        #expect {
            try PlanGenerator.generate(S.config(maxProcesses: .count(5)), options: options)
        } throws: { error in
            guard case let .noUsableCgroup(found)? = error as? PlanGenerationError else { return false }
            return found == shortfall && "\(error)".contains("refusing to plan a container without a cgroup")
        }
    }

    /// `plan --cgroup v1|v2` plans for a host of that kind with every controller, and says so.
    @Test(arguments: CgroupVersion.allCases)
    func anAssumedHostPlansEveryLimitAndSaysSo(version: CgroupVersion) throws {
        let layout = CgroupLayout(host: .assumed(version), parent: "minimal_containers")
        let config = S.config(maxPhysicalMemory: .bytes(1 << 28), maxProcesses: .count(5), cpuShare: 100)
        let plan = try PlanGenerator.generate(
            config,
            options: PlanOptions(
                cgroupLayout: layout, stateDirectory: S.state, configPath: "/c/web", configBytes: []))
        #expect(plan.cgroup == version)
        #expect(
            plan.notes.first == "planned for a cgroup \(version.rawValue) host with every controller available "
                + "(--cgroup \(version.rawValue)); this host was not probed")
        #expect(!plan.notes.contains { $0.contains("not available") || $0.contains("not mounted") })
        #expect(S.written(plan, version == .v1 ? "memory.limit_in_bytes" : "memory.max") == String(1 << 28))
        #expect(S.written(plan, "pids.max") == "5")
    }
}
