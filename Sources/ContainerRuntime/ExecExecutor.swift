#if canImport(Glibc)
import Glibc
#endif
import CLinuxShim
import SystemIO
import LaunchPlan

/// How `container exec` runs an exec plan: the streams and the environment policy chosen by
/// its flags (not part of the plan: the same plan runs either way).
public struct ExecOptions: Sendable {
    /// A pseudo-terminal for the command (stdin is a terminal, or `-t`), opened inside the
    /// container's devpts (`ExecTerminal`); else the caller's stdin, stdout and stderr are
    /// passed straight through.
    public var terminal: Bool
    /// `-e`: the caller's environment, with the plan's values for names it lacks.
    public var keepCallerEnvironment: Bool
    /// Refuse to fork unless the calling process has exactly one thread (setns of a user or
    /// mount namespace fails in a threaded process; clone3 skips glibc's fork handlers).
    public var requireSingleThread: Bool

    public init(terminal: Bool, keepCallerEnvironment: Bool = false, requireSingleThread: Bool = true) {
        self.terminal = terminal
        self.keepCallerEnvironment = keepCallerEnvironment
        self.requireSingleThread = requireSingleThread
    }
}

/// What an exec came to.
public struct ExecResult: Sendable, Equatable {
    /// The command's exit status (128 + signal when killed; 126/127 when it could not be
    /// executed or found inside); 1 when the container was not running or joining failed.
    public var exitStatus: Int32
    /// Why the command never ran (joining failed, not running); nil when it ran.
    public var error: RuntimeError?
}

/// The interpreter of an exec plan (`ExecPlanGenerator`): the launcher's steps here, then the
/// child's and the command's in the forked processes (`ExecJoinSteps`), in plan order. A pipe
/// and a socket replace the start's baton: the child waits for one byte on the pipe before its
/// first step (so the launcher's attach steps after the fork come first), and the command writes
/// one byte on the socket just before its exec (with `-t` after sending the pty's master over
/// it, `ExecTerminal`), so the launcher knows whether CMD ran (its status) or joining failed (1).
public struct ExecExecutor {
    public let plan: Plan
    public let options: ExecOptions

    public init(plan: Plan, options: ExecOptions) {
        self.plan = plan
        self.options = options
    }

    /// Runs the plan and waits for the command. Never exits the calling process.
    public func execute() -> ExecResult {
        var state = ExecLaunchState(hooks: StepHooks.fromEnvironment())
        defer { state.closeAll() }
        do throws(RuntimeError) {
            if options.requireSingleThread, cls_thread_count() != 1 {
                throw .failed("exec", "the caller has \(cls_thread_count()) threads; joining needs exactly one")
            }
            if let program = plan.hostProgram { state.hostProgram = try SealedHostProgram.copy(path: program) }
            var index = 0
            while index < plan.steps.count, plan.steps[index].process == .launcher {
                let step = plan.steps[index]
                do throws(RuntimeError) {
                    try perform(step.action, state: &state, from: index)
                } catch {
                    throw error.at(index, step)
                }
                state.hooks.record(index, step)
                index += 1
            }
            guard state.childPID != nil else { throw .failed("plan", "the exec plan never forks the child") }
            return wait(for: &state)
        } catch {
            if let child = state.childPID {
                kill(child, SIGKILL)
                var status: Int32 = 0
                _ = retryingInterrupts { waitpid(child, &status, 0) }
            }
            return ExecResult(exitStatus: 1, error: error)
        }
    }

    private func perform(_ action: StepAction, state: inout ExecLaunchState, from index: Int) throws(RuntimeError) {
        switch action {
        case let .findInit(pidPath, cgroups):
            state.initProcess = try InitProcess.find(pidPath: pidPath, cgroups: cgroups)
        case .makeNonDumpable:
            guard cls_set_dumpable(0) == 0 else { throw .system("prctl(PR_SET_DUMPABLE)", detail: "0") }
        case let .forkIntoCgroup(cgroup):
            try fork(state: &state, from: index, intoCgroup: cgroup)
        case .forkChild:
            try fork(state: &state, from: index, intoCgroup: nil)
        case let .attachChild(cgroup):
            guard let child = state.childPID else { throw .failed("plan", "attachChild before the fork") }
            try Syscall.writeControlFile(cgroup + "/cgroup.procs", String(child))
        default:
            throw .failed("plan", "\(action.name) cannot run in the launcher of an exec")
        }
    }

    /// Forks the child (into `cgroup` with clone3 where the kernel can), which waits on the
    /// release pipe and then runs the steps after the launcher's.
    private func fork(state: inout ExecLaunchState, from index: Int, intoCgroup cgroup: String?) throws(RuntimeError) {
        guard let initProcess = state.initProcess else { throw .failed("plan", "fork before findInit") }
        var release: [Int32] = [-1, -1], started: [Int32] = [-1, -1]
        guard cls_pipe2(&release, O_CLOEXEC) == 0 else { throw .system("pipe2") }
        state.releaseWrite = release[1]
        // A socket, not a pipe: with `-t` the command sends the pty's master over it.
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &started) == 0 else {
            Syscall.close(release[0])
            throw .system("socketpair", detail: "the exec status socket")
        }
        state.startedRead = started[0]
        var pid: pid_t = -1
        var attachAfterFork: String?
        if let cgroup {
            let directory = try Syscall.open(cgroup, O_RDONLY | O_DIRECTORY)
            pid = cls_clone3_into_cgroup(directory)
            if pid < 0, errno == ENOSYS || errno == E2BIG || errno == EINVAL {
                // A kernel before 5.7: attach through cgroup.procs before the child runs a step.
                attachAfterFork = cgroup
                pid = cls_fork()
            }
            if pid != 0 { Syscall.close(directory) }
        } else {
            pid = cls_fork()
        }
        if pid < 0 {
            Syscall.close(release[0])
            Syscall.close(started[1])
            throw .system(cgroup == nil ? "fork" : "clone3", path: cgroup, detail: "CLONE_INTO_CGROUP")
        }
        if pid == 0 {
            Syscall.close(release[1])
            Syscall.close(started[0])
            var byte: UInt8 = 0
            guard retryingInterrupts({ read(release[0], &byte, 1) }) == 1 else { _exit(1) }
            Syscall.close(release[0])
            var joiner = ExecJoiner(
                plan: plan, options: options, initProcess: initProcess, startedWrite: started[1],
                hostProgram: state.hostProgram, hooks: state.hooks)
            // The launcher's attach steps after the fork ran before the release byte.
            joiner.run(from: plan.steps[(index + 1)...].firstIndex { $0.process != .launcher } ?? plan.steps.count)
        }
        Syscall.close(release[0])
        Syscall.close(started[1])
        state.childPID = pid
        if let attachAfterFork { try Syscall.writeControlFile(attachAfterFork + "/cgroup.procs", String(pid)) }
    }

    /// Releases the child, learns whether CMD reached its exec, relays the terminal, and
    /// returns the command's status (the child exits with it).
    private func wait(for state: inout ExecLaunchState) -> ExecResult {
        guard let child = state.childPID else { return ExecResult(exitStatus: 1) }
        var go: UInt8 = 1
        _ = write(state.releaseWrite, &go, 1)
        Syscall.close(state.releaseWrite)
        state.releaseWrite = -1
        // With `-t`, first the pty's master (opened inside the container); end of file when
        // joining failed before it.
        if options.terminal { state.terminalMaster = retryingInterrupts { cls_receive_fd(state.startedRead) } }
        // One byte when the command is about to exec; end of file when it exec'd or when the
        // child and the command are gone.
        var byte: UInt8 = 0
        let reachedExec = retryingInterrupts { read(state.startedRead, &byte, 1) } == 1
        // Relayed even when the command failed after taking the pty: its error is written there.
        if state.terminalMaster >= 0 { TerminalRelay(master: state.terminalMaster).relay() }
        var status: Int32 = 0
        guard retryingInterrupts({ waitpid(child, &status, 0) }) == child else {
            return ExecResult(exitStatus: 1, error: .system("waitpid", detail: "the joining process"))
        }
        state.childPID = nil
        if reachedExec { return ExecResult(exitStatus: exitCode(status: status)) }
        let code = exitCode(status: status)
        return ExecResult(
            exitStatus: 1,
            error: .failed(
                "exec", code == 1 ? "joining the container failed" : "the joining process \(describe(status: status)) (the container stopped?)"))
    }
}

/// What the exec launcher holds across its steps.
struct ExecLaunchState {
    var hooks: StepHooks
    var initProcess: InitProcess?
    var childPID: pid_t?
    var releaseWrite: Int32 = -1
    var startedRead: Int32 = -1
    /// `-t`: the pty's master, received from the command's process.
    var terminalMaster: Int32 = -1
    var hostProgram: Int32 = -1

    mutating func closeAll() {
        for descriptor in [releaseWrite, startedRead, terminalMaster, hostProgram] { Syscall.close(descriptor) }
        initProcess?.close()
        hooks.close()
    }
}

extension Plan {
    /// The host path of an exec plan's `@/path` command, run from a sealed copy.
    var hostProgram: String? {
        for step in steps {
            if case let .execCommand(arguments, _) = step.action, let first = arguments.first, first.hasPrefix("@") {
                return String(first.dropFirst())
            }
        }
        return nil
    }
}
