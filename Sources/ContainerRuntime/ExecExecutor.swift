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

/// The interpreter of an exec plan (`ExecPlanGenerator`): the launcher's steps here (it enters
/// the cgroup and the namespaces itself, then forks), then the command process's steps in the
/// forked process (`ExecCommandProcess`), in plan order. A socket replaces the start's baton:
/// the command writes one byte on it just before its exec (with `-t` after sending the pty's
/// master over it, `ExecTerminal`), so the launcher knows whether CMD ran (its status) or its
/// process failed before (1).
public struct ExecExecutor {
    public let plan: Plan
    public let options: ExecOptions

    public init(plan: Plan, options: ExecOptions) {
        self.plan = plan
        self.options = options
    }

    /// Runs the plan and waits for the command. Never exits the calling process, but leaves it
    /// in the container's cgroup and namespaces (the caller only reports and exits).
    public func execute() -> ExecResult {
        var state = ExecLaunchState(hooks: StepHooks.fromEnvironment())
        defer { state.closeAll() }
        do throws(RuntimeError) {
            if options.requireSingleThread {
                let threads = Syscall.threadCount()
                guard threads == 1 else { throw .failed("exec", "the caller has \(threads) threads; joining needs exactly one") }
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
                state.hooks.record(index, step, note: "dumpable=\(cls_get_dumpable())")
                state.hooks.launcherReached(completed: index + 1)
                index += 1
            }
            guard state.commandPID != nil else { throw .failed("plan", "the exec plan never forks the command") }
            return wait(for: &state)
        } catch {
            if let command = state.commandPID {
                kill(command, SIGKILL)
                var status: Int32 = 0
                _ = retryingInterrupts { waitpid(command, &status, 0) }
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
        case let .enterCgroup(cgroup):
            try Syscall.writeControlFile(cgroup + "/cgroup.procs", String(getpid()))
        case let .joinNamespaces(namespaces):
            guard let initProcess = state.initProcess else { throw .failed("plan", "joinNamespaces before findInit") }
            try initProcess.join(namespaces)
        case .forkCommand:
            try forkCommand(state: &state, from: index)
        default:
            throw .failed("plan", "\(action.name) cannot run in the launcher of an exec")
        }
    }

    /// Forks the command's process, born in the cgroup and the namespaces the launcher has
    /// entered (pid and time: as a child); it runs the steps after this one.
    private func forkCommand(state: inout ExecLaunchState, from index: Int) throws(RuntimeError) {
        var started: [Int32] = [-1, -1]
        // A socket, not a pipe: with `-t` the command sends the pty's master over it.
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &started) == 0 else {
            throw .system("socketpair", detail: "the exec status socket")
        }
        state.startedRead = started[0]
        let pid = cls_fork()
        if pid < 0 {
            Syscall.close(started[1])
            throw .system("fork", detail: "the command")
        }
        if pid == 0 {
            Syscall.close(started[0])
            let command = ExecCommandProcess(
                plan: plan, options: options, startedWrite: started[1], hostProgram: state.hostProgram, hooks: state.hooks)
            command.run(from: index + 1)
        }
        Syscall.close(started[1])
        state.commandPID = pid
    }

    /// Learns whether CMD reached its exec, relays the terminal, and returns the command's
    /// status.
    private func wait(for state: inout ExecLaunchState) -> ExecResult {
        guard let command = state.commandPID else { return ExecResult(exitStatus: 1) }
        // With `-t`, first the pty's master (opened inside the container); end of file when
        // the command's process failed before it.
        if options.terminal { state.terminalMaster = retryingInterrupts { cls_receive_fd(state.startedRead) } }
        // One byte when the command is about to exec; end of file when it exec'd or when its
        // process is gone.
        var byte: UInt8 = 0
        let reachedExec = retryingInterrupts { read(state.startedRead, &byte, 1) } == 1
        // Relayed even when the command failed after taking the pty: its error is written there.
        if state.terminalMaster >= 0 { TerminalRelay(master: state.terminalMaster).relay() }
        var status: Int32 = 0
        guard retryingInterrupts({ waitpid(command, &status, 0) }) == command else {
            return ExecResult(exitStatus: 1, error: .system("waitpid", detail: "the command's process"))
        }
        state.commandPID = nil
        if reachedExec { return ExecResult(exitStatus: exitCode(status: status)) }
        let code = exitCode(status: status)
        return ExecResult(
            exitStatus: 1,
            error: .failed(
                "exec",
                code == 1
                    ? "the command's process failed before its exec"
                    : "the command's process \(describe(status: status)) before its exec (the container stopped?)"))
    }
}

/// What the exec launcher holds across its steps.
struct ExecLaunchState {
    var hooks: StepHooks
    var initProcess: InitProcess?
    /// The forked command's pid (the launcher's view: the host's pid namespace).
    var commandPID: pid_t?
    var startedRead: Int32 = -1
    /// `-t`: the pty's master, received from the command's process.
    var terminalMaster: Int32 = -1
    var hostProgram: Int32 = -1

    mutating func closeAll() {
        for descriptor in [startedRead, terminalMaster, hostProgram] { Syscall.close(descriptor) }
        initProcess?.close()
        hooks.close()
    }
}

extension Plan {
    /// The host path of an exec plan's `@/path` command, run from a sealed copy.
    var hostProgram: String? {
        for step in steps {
            if case let .execCommand(arguments, _, _) = step.action, let first = arguments.first, first.hasPrefix("@") {
                return String(first.dropFirst())
            }
        }
        return nil
    }
}
