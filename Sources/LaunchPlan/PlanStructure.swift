extension StepAction {
    /// The process each action runs in (the runtime's PlanShape agrees). The generator places
    /// every action in this process and the reader refuses a plan file that says otherwise.
    public var process: StepProcess {
        switch self {
        case .lock, .ensureNotRunning, .createCgroup, .writeCgroup, .attachDeviceFilter, .forkChild,
            .attachChild, .writeIDMap, .writePidFile, .findInit, .makeNonDumpable, .enterCgroup,
            .joinNamespaces, .forkCommand, .requireBridge, .deleteStaleLink, .createVethPair, .attachToBridge, .setHostLinkUp, .createMountTargets,
            .prepareIDMappedMount:
            .launcher
        case .unshare, .resetTimeNamespaceClocks, .forkInit, .addAddress,
            .setLinkUp, .addDefaultRoute, .openRoot, .openMountSources:
            .child
        case .makeMountsPrivate, .bindRootToItself, .mountTmpfs, .mountProc, .populateDev,
            .bindMount, .protectProc, .pivotRoot, .setHostname, .restrictPrivileges,
            .redirectOutput, .exec, .setCredentials, .execCommand, .mountDevpts, .mountMqueue, .mountSysfs, .bindReadOnlyTree,
            .setUpConsole, .attachIDMappedMount:
            .`init`
        }
    }
}

/// The order every plan follows, checked on plans read from files so that the runtime can
/// rely on it: the lock first; one forkChild, forkInit, pivotRoot and exec, in that order;
/// launcher set-up before the fork; child steps between the two forks; the launcher's
/// attach and id-map steps between the forks too, the network steps after the child's
/// unshare; init steps after forkInit up to exec;
/// only writePidFile after exec.
enum PlanStructure {
    static func validate(_ steps: [Step]) throws(PlanReadError) {
        guard case .lock? = steps.first?.action else {
            throw PlanReadError(at: "steps[0]", "the first step must be lock")
        }
        let forkChild = try single("forkChild", in: steps)
        let forkInit = try single("forkInit", in: steps)
        let pivotRoot = try single("pivotRoot", in: steps)
        let exec = try single("exec", in: steps)
        guard forkChild < forkInit, forkInit < pivotRoot, pivotRoot < exec else {
            throw PlanReadError(at: "steps", "forkChild, forkInit, pivotRoot and exec must come in this order")
        }
        _ = try single("lock", in: steps)
        for (index, step) in steps.enumerated() {
            let allowed: Range<Int>
            switch step.action {
            case .lock: allowed = 0..<1
            case .findInit, .makeNonDumpable, .enterCgroup, .joinNamespaces, .forkCommand,
                .setCredentials, .execCommand:
                throw PlanReadError(at: "steps[\(index)]", "\(step.action.name) belongs to an exec plan, not to a start plan")
            case .forkChild, .forkInit, .exec: continue
            case .writePidFile: allowed = exec + 1..<steps.count
            case .attachChild, .writeIDMap:
                allowed = forkChild + 1..<forkInit
            case .createVethPair, .attachToBridge, .setHostLinkUp, .addAddress, .setLinkUp, .addDefaultRoute:
                // After the child's unshare: before it, its network namespace is the host's.
                let unshare = steps.firstIndex { if case .unshare = $0.action { true } else { false } } ?? forkInit
                allowed = unshare + 1..<forkInit
            default:
                switch step.process {
                case .launcher: allowed = 1..<forkChild
                case .child: allowed = forkChild + 1..<forkInit
                case .`init`: allowed = forkInit + 1..<exec
                }
            }
            guard allowed.contains(index) else {
                throw PlanReadError(at: "steps[\(index)]", "\(step.action.name) is out of place in the step order")
            }
        }
        try validateIDMappedMounts(steps)
    }

    /// Each attachIDMappedMount has its own prepareIDMappedMount of the same source (a
    /// prepared tree is attached once).
    private static func validateIDMappedMounts(_ steps: [Step]) throws(PlanReadError) {
        var prepared: [String: Int] = [:]
        for step in steps {
            if case let .prepareIDMappedMount(source, _, _, _, _) = step.action { prepared[source, default: 0] += 1 }
        }
        for (index, step) in steps.enumerated() {
            guard case let .attachIDMappedMount(mount) = step.action else { continue }
            guard let count = prepared[mount.source], count > 0 else {
                throw PlanReadError(at: "steps[\(index)]", "attachIDMappedMount of \(mount.source) has no prepareIDMappedMount")
            }
            prepared[mount.source] = count - 1
        }
    }

    private static func single(_ name: String, in steps: [Step]) throws(PlanReadError) -> Int {
        let indices = steps.indices.filter { steps[$0].action.name == name }
        guard indices.count == 1 else {
            throw PlanReadError(at: "steps", "expected exactly one \(name) step, found \(indices.count)")
        }
        return indices[0]
    }
}
