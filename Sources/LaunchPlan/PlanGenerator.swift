import ConfigChecker
import ConfigLanguage
import ContainerState
import HostCgroups

/// What the plan generator needs besides the checked config: where things live on this host.
/// Everything machine-dependent comes in here, so the same inputs give the same plan (goldens).
public struct PlanOptions: Sendable, Equatable {
    /// The cgroup hierarchy, its mount points and the parent cgroup.
    public var cgroupLayout: CgroupLayout
    /// Where the lock, log and pid file of the container live.
    public var stateDirectory: StateDirectory
    /// The config file, as recorded in the plan.
    public var configPath: String
    /// The config file's bytes, hashed into the plan (`start --plan` compares).
    public var configBytes: [UInt8]
    /// The explicit opt-out of the v2 eBPF device filter
    /// (`CONTAINERS_ALLOW_UNFILTERED_DEVICES=1`): the plan omits the step and says so.
    public var allowUnfilteredDevices: Bool

    public init(
        cgroupLayout: CgroupLayout, stateDirectory: StateDirectory, configPath: String,
        configBytes: [UInt8], allowUnfilteredDevices: Bool = false
    ) {
        self.cgroupLayout = cgroupLayout
        self.stateDirectory = stateDirectory
        self.configPath = configPath
        self.configBytes = configBytes
        self.allowUnfilteredDevices = allowUnfilteredDevices
    }
}

/// Why no plan was made.
public enum PlanGenerationError: Error, Sendable, CustomStringConvertible {
    case invalidName(ContainerName.InvalidName)
    /// The host (or the layout) cannot give the container its cgroup or its device allow-list.
    case noUsableCgroup(CgroupShortfall)
    /// v2: the container parent is inside the launcher's own cgroup, which other processes
    /// share, so no controller can be delegated to the containers below it.
    case parentInSharedLauncherCgroup(parent: String, launcherCgroup: String)

    public var description: String {
        switch self {
        case let .invalidName(error): error.description
        case let .noUsableCgroup(shortfall): "refusing to plan a container without a cgroup: \(shortfall)"
        case let .parentInSharedLauncherCgroup(parent, own):
            "the cgroup parent \(parent) is inside this process's cgroup \(own), which other processes share: "
                + "cgroup v2 lets only a cgroup without processes give controllers to its children, so the "
                + "container's limits could not be set; run `container` from a unit with Delegate=yes whose "
                + "only process it is (contrib/systemd), or set \(CgroupLayout.parentEnvironmentVariable) "
                + "outside \(own) (docs/cgroups.md)"
        }
    }
}

/// The code generator (language.md §7): turns a checked config into the ordered steps that
/// `container start` executes. Pure: it reads nothing and touches nothing.
public enum PlanGenerator {
    /// The plan of `config`. Throws when the config's name is not a valid container name (the
    /// CLI validates names first, so this is a programming error surfaced as a message), and
    /// when the layout gives the container no cgroup of its own that `list` and `kill` use, or
    /// no device allow-list: no plan runs a container nothing could find or stop.
    public static func generate(
        _ config: CheckedConfig, options: PlanOptions
    ) throws(PlanGenerationError) -> Plan {
        let name: ContainerName
        do { name = try ContainerName(validating: config.name) } catch { throw .invalidName(error) }
        if let shortfall = options.cgroupLayout.shortfall { throw .noUsableCgroup(shortfall) }
        let state = options.stateDirectory
        var cgroups = CgroupPlan.make(for: config, name: name, layout: options.cgroupLayout)
        if cgroups.needsToLeaveSharedLauncherCgroup {
            throw .parentInSharedLauncherCgroup(
                parent: options.cgroupLayout.parent, launcherCgroup: options.cgroupLayout.launcherV2Cgroup ?? "")
        }
        if options.allowUnfilteredDevices { cgroups.omitDeviceFilter() }
        var steps: [Step] = []

        // Launcher, on the host, before the fork.
        steps.append(Step(.launcher, .lock(path: state.lockPath(name))))
        steps.append(
            Step(
                .launcher,
                .ensureNotRunning(
                    cgroups: options.cgroupLayout.identityCgroups(for: name))))
        steps += NetworkPlan.preparationSteps(config, container: name.rawValue)
        steps += idmapPreparationSteps(config)
        steps += cgroups.setup.map { Step(.launcher, $0) }
        steps.append(Step(.launcher, .createMountTargets(root: config.root, targets: mountTargets(config))))
        steps.append(Step(.launcher, .forkChild))
        steps += cgroups.attach.map { Step(.launcher, .attachChild(cgroup: $0)) }

        // Child: the new namespaces, then init is forked into them.
        steps += namespaceSteps(config, container: name.rawValue)

        // Init: build the container's mount tree, enter it, drop privileges, exec.
        steps += mountSteps(config)
        steps.append(Step(.`init`, .setUpConsole(ptmx: inRoot(config, ContainerDefaults.ptmxPath), console: inRoot(config, "/dev/console"))))
        steps.append(
            Step(
                .`init`,
                .protectProc(
                    masked: ContainerDefaults.maskedProcPaths + ContainerDefaults.maskedSysPaths,
                    readOnly: ContainerDefaults.readOnlyProcPaths)))
        steps.append(Step(.`init`, .pivotRoot(root: config.root)))
        if config.namespaces.contains(.uts) {
            steps.append(Step(.`init`, .setHostname(name.rawValue)))
        }
        steps.append(
            Step(
                .`init`,
                .restrictPrivileges(
                    keepCapabilities: ContainerDefaults.keptCapabilities)))
        steps.append(Step(.`init`, .redirectOutput(logPath: state.logPath(name))))
        steps.append(
            Step(
                .`init`,
                .exec(
                    program: config.initProgram, environment: ContainerDefaults.environment)))
        steps.append(Step(.launcher, .writePidFile(path: state.pidPath(name))))

        return Plan(
            container: name.rawValue, configPath: options.configPath,
            configHash: ConfigHash.of(options.configBytes),
            cgroup: options.cgroupLayout.version, steps: steps,
            notes: hostNote(options.cgroupLayout) + cgroups.notes)
    }

    /// A plan for a host that was assumed, not probed (`plan --cgroup v1|v2`), says so.
    private static func hostNote(_ layout: CgroupLayout) -> [String] {
        switch layout.origin {
        case .probed: []
        case .assumed:
            [
                "planned for a cgroup \(layout.version.rawValue) host with every controller available "
                    + "(--cgroup \(layout.version.rawValue)); this host was not probed"
            ]
        }
    }

    /// unshare (mount namespace always), the root and the mount sources opened while the child
    /// is still host root, id maps with `u`, the network with `n`, clock reset with `t`, then
    /// fork init (the hostname is set by init, after pivot_root).
    static func namespaceSteps(_ config: CheckedConfig, container: String) -> [Step] {
        var steps = [Step(.child, .unshare(namespaces: config.namespaces)), Step(.child, .openRoot(root: config.root))]
        if !config.mounts.isEmpty {
            steps.append(Step(.child, .openMountSources(sources: config.mounts.map(\.source))))
        }
        if config.namespaces.contains(.user) {
            for kind in [IDMapKind.uid, .gid] {
                steps.append(
                    Step(
                        .launcher,
                        .writeIDMap(
                            kind: kind, containerStart: 0, hostStart: config.idMapStart,
                            count: ContainerDefaults.idMapCount)))
            }
        }
        steps += NetworkPlan.namespaceSteps(config, container: container)
        if config.namespaces.contains(.time) {
            steps.append(Step(.child, .resetTimeNamespaceClocks))
        }
        steps.append(Step(.child, .forkInit))
        return steps
    }

    /// The mount tree, before pivot_root: private propagation first, then the root as a mount
    /// point, /proc, a fresh /dev, /dev/shm, /tmp, and the config's mounts last (so that a
    /// user mount over /tmp wins).
    static func mountSteps(_ config: CheckedConfig) -> [Step] {
        let root = config.root
        let inRoot = { (path: String) in Self.inRoot(config, path) }
        let userNamespace = config.namespaces.contains(.user)
        var steps = [
            Step(.`init`, .makeMountsPrivate),
            Step(.`init`, .bindRootToItself(root: root)),
        ]
        if config.usesIDMappedMounts {
            steps.append(
                Step(
                    .`init`,
                    .attachIDMappedMount(
                        BindMount(
                            source: root, target: "/", readOnly: false, onFailure: .abort))))
        }
        if userNamespace && !config.namespaces.contains(.pid) {
            // A new proc instance needs a pid namespace owned by the user namespace; without
            // `p` init is in the host's, so the host's /proc is bound (recursively) instead.
            steps.append(
                Step(
                    .`init`,
                    .bindMount(
                        BindMount(
                            source: "/proc", target: "/proc", readOnly: false, onFailure: .abort))))
        } else {
            steps.append(Step(.`init`, .mountProc(target: inRoot("/proc"))))
        }
        steps += [
            Step(.`init`, .mountTmpfs(target: inRoot("/dev"), options: ContainerDefaults.devTmpfsOptions)),
            Step(
                .`init`,
                .populateDev(
                    target: inRoot("/dev"), nodes: ContainerDefaults.deviceNodes,
                    bindFromHost: userNamespace)),
            Step(
                .`init`,
                .mountDevpts(
                    target: inRoot("/dev/pts"), options: ContainerDefaults.devptsOptions,
                    ptmxLink: inRoot("/dev/ptmx"), ptmx: ContainerDefaults.ptmxLinkDestination)),
            Step(.`init`, .mountTmpfs(target: inRoot("/dev/shm"), options: ContainerDefaults.shmTmpfsOptions)),
        ]
        if config.namespaces.contains(.ipc) {
            steps.append(Step(.`init`, .mountMqueue(target: inRoot("/dev/mqueue"))))
        }
        steps += [
            Step(.`init`, .mountTmpfs(target: inRoot("/tmp"), options: ContainerDefaults.tmpTmpfsOptions)),
            // sysfs shows the network namespace of its mounter: a fresh one only when the
            // container owns one (`n`); otherwise the host's /sys, read-only all the way down.
            config.namespaces.contains(.net)
                ? Step(.`init`, .mountSysfs(target: inRoot("/sys")))
                : Step(.`init`, .bindReadOnlyTree(source: "/sys", target: "/sys")),
        ]
        for mount in config.mounts {
            let bind = BindMount(
                source: mount.source, target: mount.destination, readOnly: mount.readOnly,
                onFailure: mount.readOnly ? .abort : .warn)
            let idmapped = config.usesIDMappedMounts && mount.idmap
            steps.append(Step(.`init`, idmapped ? .attachIDMappedMount(bind) : .bindMount(bind)))
        }
        return steps
    }

    /// With `u` and id_map_mode=idmap: an idmapped copy of the root and of each mount source
    /// that does not opt out, with the container's own map, so that on-disk ids 0…65535 are the
    /// container's 0…65535 (language.md §12). One copy per attach (a copy is attached once).
    static func idmapPreparationSteps(_ config: CheckedConfig) -> [Step] {
        guard config.usesIDMappedMounts else { return [] }
        func prepare(_ source: String, _ onFailure: FailurePolicy) -> Step {
            Step(
                .launcher,
                .prepareIDMappedMount(
                    source: source, containerStart: 0, hostStart: config.idMapStart,
                    count: ContainerDefaults.idMapCount, onFailure: onFailure))
        }
        var steps = [prepare(config.root, .abort)]
        for mount in config.mounts where mount.idmap {
            steps.append(prepare(mount.source, mount.readOnly ? .abort : .warn))
        }
        return steps
    }

    /// `/srv/web` + `/dev`.
    static func inRoot(_ config: CheckedConfig, _ path: String) -> String {
        config.root == "/" ? path : config.root + path
    }

    /// The plan's own mount points on the root's filesystem and the config's mount targets
    /// that are not inside one of the plan's own mounts (those live on a tmpfs, /proc or /sys
    /// that init mounts and are made there).
    static func mountTargets(_ config: CheckedConfig) -> [MountTarget] {
        let own = ["/proc", "/dev", "/tmp", "/sys"]
        var targets = own.map { MountTarget(path: $0, source: nil) }
        for mount in config.mounts {
            let destination = mount.destination
            guard !own.contains(where: { destination == $0 || destination.hasPrefix($0 + "/") }),
                !targets.contains(where: { $0.path == destination })
            else { continue }
            targets.append(MountTarget(path: destination, source: mount.source))
        }
        return targets
    }
}
