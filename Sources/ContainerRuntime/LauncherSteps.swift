#if canImport(Glibc)
import Glibc
#endif
import SystemIO
import CLinuxShim
import LaunchPlan

/// The steps that run in the launcher, on the host, as root.
extension Launcher {
    func perform(_ action: StepAction, index: Int) throws(RuntimeError) {
        switch action {
        case let .lock(path):
            try lock(path)
        case let .ensureNotRunning(cgroups):
            try ensureNotRunning(cgroups)
        case let .createCgroup(path):
            createdCgroups += try Syscall.makeDirectories(path)
        case let .writeCgroup(path, value):
            try Syscall.writeControlFile(path, value)
        case let .attachDeviceFilter(cgroup, rules):
            try DeviceFilter.attach(rules, to: cgroup)
        case .forkChild:
            try forkChild(continuingAt: index + 1)
        case let .attachChild(cgroup):
            try Syscall.writeControlFile(cgroup + "/cgroup.procs", String(try forkedChild()))
        case let .writeIDMap(kind, containerStart, hostStart, count):
            let file = "/proc/\(try forkedChild())/\(kind.rawValue)_map"
            try Syscall.writeControlFile(file, "\(containerStart) \(hostStart) \(count)\n")
        case let .writePidFile(path):
            try writePidFile(path)
        case let .requireBridge(name):
            try NetworkSteps.requireBridge(name)
        case let .deleteStaleLink(name, owner):
            try NetworkSteps.deleteStaleLink(name, owner: owner)
        case let .createVethPair(hostName, peerName, owner):
            try NetworkSteps.createVethPair(
                hostName: hostName, peerName: peerName, owner: owner,
                childPID: try forkedChild())
            createdLinks.append(hostName)
        case let .attachToBridge(link, bridge):
            try NetworkSteps.attachToBridge(link, bridge: bridge)
        case let .setHostLinkUp(name):
            try NetworkSteps.setUp(name)
        case let .createMountTargets(root, targets):
            try createMountTargets(root, targets)
        case let .prepareIDMappedMount(source, containerStart, hostStart, count, onFailure):
            let range = IDRange(containerStart: containerStart, hostStart: hostStart, count: count)
            try prepareIDMappedMount(source, range: range, onFailure: onFailure)
        default:
            throw .failed("plan", "\(action.name) cannot run in the launcher")
        }
    }

    /// As host root, before any namespace: each missing target made inside the root (see
    /// `ContainerRoot.openTarget`: resolved in the root, never through a symlink), a directory
    /// unless the source is not one. A target whose source is missing is left to its bind step;
    /// one that cannot be made (a symlink on the way, a read-only root) is a warning and is
    /// left to its mount step too, which fails or warns by its own policy (a `mount` whose
    /// target is unusable must not stop the start, as it never did).
    private func createMountTargets(_ rootPath: String, _ targets: [MountTarget]) throws(RuntimeError) {
        let root = try ContainerRoot(hostPath: rootPath)
        defer { Syscall.close(root.descriptor) }
        for target in targets {
            var kind = ContainerRoot.MissingTarget.directory
            if let source = target.source {
                guard let opened = try? Syscall.open(source, CLS_O_PATH) else { continue }
                if ContainerRoot.fileType(opened) != S_IFDIR { kind = .file }
                Syscall.close(opened)
            }
            do throws(RuntimeError) {
                Syscall.close(try root.openTarget(target.path, creating: kind))
            } catch {
                warn("createMountTargets: \(error) (left to its mount step)")
            }
        }
    }

    private func forkedChild() throws(RuntimeError) -> pid_t {
        guard let childPID else { throw .failed("plan", "a step needs the child before forkChild") }
        return childPID
    }

    /// flock(LOCK_EX|LOCK_NB) on `locks/NAME`, opened relative to the locks directory without
    /// following a symlink. Non-blocking: a start in the foreground holds the lock for the
    /// container's life, and a second start must be refused, not hang.
    private func lock(_ path: String) throws(RuntimeError) {
        _ = try Syscall.makeDirectories(Syscall.split(path).directory, mode: 0o700)
        let descriptor = try system { () throws(SystemError) in
            try DirectoryHandle.openFile(atPath: path, O_RDWR | O_CREAT, mode: 0o600).rawValue
        }
        if cls_flock(descriptor, CLS_LOCK_EX | CLS_LOCK_NB) != 0 {
            let code = errno
            Syscall.close(descriptor)
            if code == EWOULDBLOCK {
                throw RuntimeError(
                    kind: .refused, step: "lock", path: path,
                    detail: "container '\(plan.container)' is being started or supervised by another 'container start'")
            }
            throw .system("flock", path: path, errno: code)
        }
        lockDescriptor = descriptor
    }

    /// Refuses when a cgroup of the container holds a process; removes the empty leftovers of
    /// a stopped container (sub-cgroups first).
    private func ensureNotRunning(_ cgroups: [String]) throws(RuntimeError) {
        // The same reading and removal `kill` and `list` use (LifecycleIO): sub-cgroups
        // included, only positive pids, rmdir retried while the kernel releases a last task.
        for cgroup in cgroups {
            let pids = LifecycleIO.processes(inSubtreesOf: [cgroup])
            if !pids.isEmpty {
                let list = pids.prefix(5).map(String.init).joined(separator: ", ")
                throw RuntimeError(
                    kind: .refused, step: "ensureNotRunning", path: nil,
                    detail: "container '\(plan.container)' is running (pid \(list) in \(cgroup)); kill it first")
            }
        }
        try LifecycleIO.removeCgroups(cgroups)
    }

    /// Forks the child; in the child this never returns.
    private func forkChild(continuingAt next: Int) throws(RuntimeError) {
        if options.requireSingleThread {
            let threads = Syscall.threadCount()
            guard threads == 1 else {
                throw .failed("fork", "the launcher has \(threads) threads; a start must run single-threaded")
            }
        }
        // init becomes the launcher's child when the child exits: a failed start can kill and
        // reap it, and the foreground modes can wait for its status.
        guard cls_set_child_subreaper() == 0 else { throw .system("prctl(PR_SET_CHILD_SUBREAPER)") }
        let (launcherEnd, childEnd) = try LaunchChannel.pair()
        let launcherPID = getpid()
        let pid = cls_fork()
        if pid < 0 {
            let error = RuntimeError.system("fork")
            launcherEnd.close()
            childEnd.close()
            throw error
        }
        if pid == 0 {
            launcherEnd.close()
            Syscall.close(lockDescriptor)
            var child = ForkedProcess(
                plan: plan, options: options, role: .child, channel: childEnd,
                inherited: inherited, launcherPID: launcherPID)
            child.run(from: next)
        }
        childEnd.close()
        channel = launcherEnd
        childPID = pid
    }

    /// The pid file: init's host pid, written to a temporary file and renamed, relative to
    /// the pids directory and never through a symlink.
    private func writePidFile(_ path: String) throws(RuntimeError) {
        guard let initPID else { throw .failed("write", path: path, "init's pid is not known yet") }
        let (directoryPath, name) = Syscall.split(path)
        _ = try Syscall.makeDirectories(directoryPath)
        try system { () throws(SystemError) in
            try DirectoryHandle.with(directoryPath) { directory throws(SystemError) in
                try directory.replaceFile(name, contents: "\(initPID)\n")
            }
        }
        pidFile = (directoryPath, name)
    }
}
