import ConfigChecker
import ConfigLanguage
import ContainerState
import HostCgroups

/// The cgroup part of a plan: the launcher's create/write steps, the cgroups the child is
/// attached to, and the notes about what this cgroup version cannot express.
struct CgroupPlan {
    var setup: [StepAction] = []
    var attach: [String] = []
    var notes: [String] = []
    /// v2: controllers must be delegated below the launcher's own cgroup, which other
    /// processes share (the generator refuses: nothing could empty it).
    var needsToLeaveSharedLauncherCgroup = false

    static func make(for config: CheckedConfig, name: ContainerName, layout: CgroupLayout) -> CgroupPlan {
        var plan = CgroupPlan()
        let limits = CgroupLimits(config)
        if limits.memoryTotalWithoutPhysical {
            plan.notes.append(
                "max_memory is set without max_physical_memory: physical memory is limited to "
                    + "max_memory as well"
                    + (layout.version == .v2 ? " and swap to 0 (memory.swap.max = 0)" : ""))
        }
        switch layout.version {
        case .v1: plan.addV1(config, limits: limits, name: name, layout: layout)
        case .v2: plan.addV2(config, limits: limits, name: name, layout: layout)
        }
        return plan
    }

    private mutating func create(_ path: String) { setup.append(.createCgroup(path: path)) }
    private mutating func write(_ directory: String, _ file: String, _ value: String) {
        setup.append(.writeCgroup(path: directory + "/" + file, value: value))
    }

    /// v1: one directory per controller, each created then written, in a fixed order.
    mutating func addV1(_ config: CheckedConfig, limits: CgroupLimits, name: ContainerName, layout: CgroupLayout) {
        let wanted = CgroupLayout.v1Controllers(
            memory: limits.physical != nil, cpu: config.cpuShare != nil,
            blockIO: !config.ioLimits.isEmpty, netClass: config.netClassID != nil)
        // A controller the host has not mounted cannot be created (mkdir would only make a
        // plain directory in the tmpfs above the mounts): leave it out and say so.
        let controllers = wanted.filter(layout.mountedV1Controllers.contains)
        for missing in wanted where !controllers.contains(missing) {
            notes.append(
                "the \(missing.rawValue) cgroup controller is not mounted at "
                    + "\(layout.v1Root)/\(missing.rawValue): \(Self.purpose(of: missing)) not applied")
        }
        for controller in controllers {
            let dir = layout.v1Cgroup(controller, for: name)
            create(dir)
            attach.append(dir)
            switch controller {
            case .devices:
                write(dir, "devices.deny", "a")
                for rule in ContainerDefaults.deviceRules { write(dir, "devices.allow", rule.text) }
            case .freezer:
                break
            case .pids:
                if let count = limits.processes { write(dir, "pids.max", count) }
            case .memory:
                // Physical first: memsw may never be below limit_in_bytes.
                if let physical = limits.physical {
                    write(dir, "memory.limit_in_bytes", physical.v1Value)
                }
                if let total = limits.total {
                    write(dir, "memory.memsw.limit_in_bytes", total.v1Value)
                }
            case .cpu:
                if let shares = config.cpuShare { write(dir, "cpu.shares", String(shares)) }
            case .blkio:
                for limit in config.ioLimits {
                    let kind = limit.kind == .iops ? "iops" : "bps"
                    let value = "\(limit.device) \(limit.value)"
                    write(dir, "blkio.throttle.read_\(kind)_device", value)
                    write(dir, "blkio.throttle.write_\(kind)_device", value)
                }
            case .netCls:
                if let classID = config.netClassID { write(dir, "net_cls.classid", String(classID)) }
            }
        }
    }

    /// v2: enable the needed controllers down the ancestors, one directory, the limit files.
    mutating func addV2(_ config: CheckedConfig, limits: CgroupLimits, name: ContainerName, layout: CgroupLayout) {
        let v2Root = layout.v2Root ?? layout.v1Root
        let v2Layout = CgroupLayout(
            version: .v2, v1Root: layout.v1Root, v2Root: v2Root, parent: layout.parent,
            mountedV1Controllers: [])
        guard let dir = v2Layout.v2Cgroup(for: name) else { return }
        var wanted: [CgroupV2Controller] = []
        if limits.physical != nil { wanted.append(.memory) }
        if limits.processes != nil { wanted.append(.pids) }
        if config.cpuShare != nil { wanted.append(.cpu) }
        if !config.ioLimits.isEmpty { wanted.append(.io) }
        // A controller the v2 root does not offer cannot be enabled: leave it out, say so.
        let available = layout.availableV2Controllers
        let controllers = wanted.filter { available?.contains($0) ?? true }
        for missing in wanted where !controllers.contains(missing) {
            notes.append(
                "the \(missing.rawValue) controller is not available in \(v2Root)/cgroup.controllers: "
                    + "\(Self.purpose(ofV2: missing)) not applied")
        }

        if !controllers.isEmpty, layout.launcherCgroupIsShared, layout.parentIsInsideLauncherCgroup {
            needsToLeaveSharedLauncherCgroup = true
        } else if !controllers.isEmpty, let leaf = layout.launcherLeaf() {
            // "0" moves the writing process: the launcher, alone before it forks.
            create(leaf)
            write(leaf, "cgroup.procs", "0")
            notes.append(
                "the launcher runs in \(layout.launcherV2Cgroup ?? ""), which holds the container parent "
                    + "\(layout.parent): it moves itself to \(leaf) first (cgroup v2 lets only a cgroup without "
                    + "processes give controllers to its children)")
        }
        let ancestors = v2Layout.v2Ancestors()
        if ancestors.count > 1 { create(ancestors[ancestors.count - 1]) }
        if !controllers.isEmpty {
            let enable = controllers.map { "+" + $0.rawValue }.joined(separator: " ")
            for ancestor in ancestors { write(ancestor, "cgroup.subtree_control", enable) }
        }
        create(dir)
        // The device allow-list before anything else, so no process ever runs in the cgroup
        // unfiltered (the child is attached only after forkChild).
        setup.append(.attachDeviceFilter(cgroup: dir, rules: ContainerDefaults.deviceRules))
        attach.append(dir)
        if controllers.contains(.memory) {
            if let physical = limits.physical { write(dir, "memory.max", physical.v2Value) }
            if let swap = limits.swap { write(dir, "memory.swap.max", swap.v2Value) }
        }
        if controllers.contains(.pids), let count = limits.processes { write(dir, "pids.max", count) }
        if controllers.contains(.cpu), let shares = config.cpuShare {
            write(dir, "cpu.weight", String(CPUWeight.weight(forShares: shares)))
        }
        for limit in config.ioLimits where controllers.contains(.io) {
            let keys = limit.kind == .iops ? ("riops", "wiops") : ("rbps", "wbps")
            write(dir, "io.max", "\(limit.device) \(keys.0)=\(limit.value) \(keys.1)=\(limit.value)")
        }
        if let classID = config.netClassID {
            notes.append(
                "net_classid \(hex(classID)) is not applied: cgroup v2 has no net_cls controller "
                    + "(match the container's cgroup path in nftables instead: socket cgroupv2)")
        }
    }

    /// The explicit opt-out (`CONTAINERS_ALLOW_UNFILTERED_DEVICES=1`): drops the v2 device
    /// filter step and says so, so that an unconfined start is never silent.
    mutating func omitDeviceFilter() {
        let before = setup.count
        setup.removeAll { if case .attachDeviceFilter = $0 { true } else { false } }
        guard setup.count != before else { return }
        notes.append(
            "the device allow list is not enforced (\(ContainerDefaults.allowUnfilteredDevicesVariable)=1): "
                + "no eBPF device filter is attached; the fresh /dev holds only "
                + ContainerDefaults.deviceNodes.map(\.name).joined(separator: ", ")
                + ", but a process with CAP_MKNOD can create and open any device")
    }

    /// What a v1 controller carries, for the note when it is missing.
    static func purpose(of controller: CgroupV1Controller) -> String {
        switch controller {
        case .devices: "the device allow list is"
        case .freezer: "freezing on kill is"
        case .pids: "max_processes (and the pids cgroup) is"
        case .memory: "max_physical_memory / max_memory are"
        case .cpu: "cpu_share is"
        case .blkio: "iops_limit / io_bw_limit are"
        case .netCls: "net_classid is"
        }
    }

    /// What a v2 controller carries, for the note when it is missing.
    static func purpose(ofV2 controller: CgroupV2Controller) -> String {
        switch controller {
        case .memory: "max_physical_memory / max_memory are"
        case .pids: "max_processes is"
        case .cpu: "cpu_share is"
        case .io: "iops_limit / io_bw_limit are"
        }
    }

    private func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }
}
