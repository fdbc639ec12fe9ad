#if canImport(Glibc)
import Glibc
#endif
import SystemIO
import CLinuxShim
import LaunchPlan

/// The launcher process: `container start` itself. It runs the launcher's steps, forks the
/// child, waits for the baton while the child and init run theirs, and undoes what it created
/// when any step fails.
final class Launcher {
    let plan: Plan
    let options: ExecutionOptions
    var log: ContainerLog
    /// Open file descriptions the forked processes inherit (all close-on-exec).
    var inherited = InheritedDescriptors()

    // What has been done, for undo and for later steps.
    var lockDescriptor: Int32 = -1
    var createdCgroups: [String] = []
    /// Host ends of veth pairs this start created (createVethPair), deleted by undo.
    var createdLinks: [String] = []
    var childPID: pid_t?
    var childReaped = false
    var initPID: pid_t?
    var pidFile: (directory: String, name: String)?
    var channel: LaunchChannel?
    /// The index of init's exec step once init announced it.
    var execAnnounced: Int?
    var execConfirmed = false
    /// The console's pty master, handed over by init (`setUpConsole`), relayed in the
    /// terminal modes.
    var consoleMaster: Int32 = -1

    init(plan: Plan, options: ExecutionOptions) {
        self.plan = plan
        self.options = options
        self.log = ContainerLog(container: plan.container)
    }

    func run() -> ExecutionResult {
        defer { releaseResources(keepLock: false) }
        do throws(RuntimeError) {
            try prepare()
            try runSteps()
            if !execConfirmed { try waitForExec() }
        } catch {
            undo()
            log.append("error: \(error)")
            return ExecutionResult(exitStatus: 1, error: error, initPID: nil)
        }
        return finish()
    }

    /// Opens what the forked processes need and cannot open later: the log (before
    /// pivot_root the host path is reachable, after it is not), /dev/null, and the sealed copy
    /// of a host program (`@`) the exec step runs. (The console's pty is init's to open, in
    /// the container's devpts.)
    private func prepare() throws(RuntimeError) {
        defer { for note in plan.notes { report("note: \(note)") } }
        for step in plan.steps {
            if case let .redirectOutput(logPath) = step.action {
                try log.open(path: logPath)
                break
            }
        }
        inherited.log = log.descriptor
        inherited.hooks = StepHooks.fromEnvironment()
        inherited.devNull = try Syscall.open("/dev/null", O_RDWR)
        try sealHostProgram()
    }

    /// The exec step's host program (the plan's `@` init, or `$SHELL` with `@` for `-s`/`-se`)
    /// is copied into a sealed memfd here, as root on the host and before any fork, so that
    /// nothing in the container ever holds the host's file (CVE-2019-5736's class). A failure
    /// is the exec step's: nothing has been created yet.
    private func sealHostProgram() throws(RuntimeError) {
        for (index, step) in plan.steps.enumerated() {
            guard case let .exec(planned, _) = step.action else { continue }
            let program = options.program(replacing: planned)
            guard program.location == .host else { continue }
            do throws(RuntimeError) {
                inherited.hostProgram = try SealedHostProgram.copy(path: program.path)
            } catch {
                throw error.at(index, step)
            }
        }
    }

    /// The launcher's loop over the plan: its own steps, and a wait for the baton whenever
    /// the next step belongs to the child or init.
    private func runSteps() throws(RuntimeError) {
        var index = 0
        while index < plan.steps.count {
            let step = plan.steps[index]
            guard step.process == .launcher else {
                index = try waitForBaton()
                inherited.hooks.launcherReached(completed: index)
                continue
            }
            do throws(RuntimeError) {
                try perform(step.action, index: index)
            } catch {
                throw error.at(index, step)
            }
            inherited.hooks.record(index, step)
            inherited.hooks.launcherReached(completed: index + 1)
            let next = index + 1
            if case .forkChild = step.action {
                // The child starts at `next` by itself.
            } else if next < plan.steps.count, plan.steps[next].process != .launcher {
                guard channel?.send(.baton(next)) == true else {
                    throw .system("send", detail: "baton to the \(plan.steps[next].process.rawValue)")
                }
            }
            index = next
        }
    }

    /// Reads messages until the baton comes back; returns the step index to go on from.
    func waitForBaton() throws(RuntimeError) -> Int {
        guard let channel else { throw .failed("plan", "waiting for a process that was never forked") }
        while true {
            guard let message = channel.receive() else {
                if let announced = execAnnounced {
                    execConfirmed = true
                    return announced + 1
                }
                throw RuntimeError(kind: .failed, step: peerExitDescription())
            }
            switch message {
            case let .baton(index):
                return index
            case let .initPID(pid):
                initPID = pid
                reapChild()
            case let .warning(text):
                warn(text)
            case let .failure(text):
                throw RuntimeError(kind: .failed, step: text)
            case let .execNext(index):
                execAnnounced = index
            case .console:
                guard let master = channel.receiveDescriptor() else {
                    throw .system("recvmsg", detail: "the console's master from init")
                }
                Syscall.close(consoleMaster)
                consoleMaster = master
                TerminalRelay.copyWindowSize(to: master)
            }
        }
    }

    /// After the last launcher step: wait until init has exec'd (end of file on the channel).
    private func waitForExec() throws(RuntimeError) {
        let resumed = try waitForBaton()
        guard execConfirmed else {
            throw .failed("plan", "a baton for step \(resumed + 1) after the launcher's last step")
        }
    }

    /// What to say when the channel closed without an exec announcement.
    private func peerExitDescription() -> String {
        if let childPID, !childReaped {
            var status: Int32 = 0
            if waitpid(childPID, &status, 0) == childPID {
                childReaped = true
                return "the child process \(describe(status: status)) before init was exec'd"
            }
        }
        return "init exited before exec without reporting why"
    }

    func reapChild() {
        guard let childPID, !childReaped else { return }
        var status: Int32 = 0
        _ = retryingInterrupts { waitpid(childPID, &status, 0) }
        childReaped = true
    }

    func warn(_ text: String) { report("warning: \(text)") }

    /// A line on stderr and in the log.
    func report(_ line: String) {
        log.append(line)
        ContainerLog.printError("container: \(plan.container): \(line)")
    }

    /// The end of a successful start: nothing more (detached), or wait for init.
    private func finish() -> ExecutionResult {
        guard let initPID else { return ExecutionResult(exitStatus: 0) }
        switch options.mode {
        case .detached:
            return ExecutionResult(exitStatus: 0, initPID: initPID)
        case .foreground:
            releaseResources(keepLock: true)
            return ExecutionResult(exitStatus: waitForInit(initPID), initPID: initPID)
        case .shell, .shellKeepEnvironment:
            // Without a terminal init has the caller's stdio itself: nothing to relay.
            if consoleMaster >= 0 { TerminalRelay(master: consoleMaster).relay() }
            releaseResources(keepLock: true)
            return ExecutionResult(exitStatus: waitForInit(initPID), initPID: initPID)
        }
    }

    /// init's exit status as a shell reports it (128 + signal when killed). The launcher is a
    /// child subreaper, so init became its child when the child process exited.
    private func waitForInit(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        guard retryingInterrupts({ waitpid(pid, &status, 0) }) >= 0 else { return 1 }
        log.append("init (pid \(pid)) \(describe(status: status))")
        return exitCode(status: status)
    }

    /// Undo after a failure: kill what was forked, remove the pid file and the cgroups this
    /// start created (in reverse order).
    private func undo() {
        if let initPID { kill(initPID, SIGKILL) }
        if let childPID, !childReaped {
            kill(childPID, SIGKILL)
            reapChild()
        }
        if let initPID {
            var status: Int32 = 0
            _ = retryingInterrupts { waitpid(initPID, &status, 0) }
        }
        for link in createdLinks.reversed() {
            if let error = NetworkSteps.deleteCreatedLink(link) { log.append("warning: \(error)") }
        }
        if let pidFile {
            try? DirectoryHandle.with(pidFile.directory) { directory throws(SystemError) in try directory.unlink(pidFile.name) }
        }
        for cgroup in createdCgroups.reversed() where rmdir(cgroup) != 0 && errno != ENOENT {
            log.append("warning: " + RuntimeError.system("rmdir", path: cgroup).description)
        }
    }

    /// Closes the launcher's descriptors; the lock stays held in the foreground modes until
    /// init exits (one supervisor per container).
    private func releaseResources(keepLock: Bool) {
        channel?.close()
        channel = nil
        Syscall.close(consoleMaster)
        consoleMaster = -1
        inherited.closeAll()
        if !keepLock {
            Syscall.close(lockDescriptor)
            lockDescriptor = -1
            log.close()
        }
    }
}

/// `exited with status 3`, `was killed by signal 9`.
func describe(status: Int32) -> String {
    let signal = status & 0x7F
    if signal == 0 { return "exited with status \((status >> 8) & 0xFF)" }
    return "was killed by signal \(signal)"
}

/// A wait status as an exit code: the status, or 128 + the signal.
func exitCode(status: Int32) -> Int32 {
    let signal = status & 0x7F
    return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
}

/// Descriptors the launcher opens before forking for the processes it forks.
struct InheritedDescriptors {
    var log: Int32 = -1
    var devNull: Int32 = -1
    /// Read-only fd of the sealed memfd copy of a host program (`SealedHostProgram`), or -1.
    var hostProgram: Int32 = -1
    /// The step trace and the fault hook (test hooks, off by default).
    var hooks = StepHooks()
    /// Detached idmapped trees for init to attach (prepareIDMappedMount).
    var idmappedTrees = IDMappedTrees()

    mutating func closeAll() {
        idmappedTrees.closeAll()
        Syscall.close(devNull)
        devNull = -1
        Syscall.close(hostProgram)
        hostProgram = -1
        hooks.close()
    }
}
