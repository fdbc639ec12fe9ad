#if canImport(Glibc)
import Glibc
#endif
import LaunchPlan

/// How `container start` runs a plan: the mode and what the mode needs from the caller.
public struct ExecutionOptions: Sendable {
    public var mode: StartMode
    /// Refuse to fork unless the calling process has exactly one thread (`unshare` of a user
    /// namespace and `fork` are unsafe in a threaded process). Only tests turn this off.
    public var requireSingleThread: Bool
    /// `-s`/`-se`: the program to run instead of init (`$SHELL`; an `@` prefix = host path);
    /// nil means `/bin/bash` inside the root.
    public var shell: String?
    /// `-se`: the caller's environment, kept for the shell.
    public var callerEnvironment: [String]
    /// `-s`/`-se` with a terminal on stdin: the shell gets a pty of the container's devpts as
    /// its console (`setUpConsole`), relayed to the caller's terminal. Without one, stdio is
    /// passed straight through.
    public var attachesTerminal: Bool

    public init(
        mode: StartMode, requireSingleThread: Bool = true, shell: String? = nil, callerEnvironment: [String] = [],
        attachesTerminal: Bool = false
    ) {
        self.mode = mode
        self.requireSingleThread = requireSingleThread
        self.shell = shell
        self.callerEnvironment = callerEnvironment
        self.attachesTerminal = attachesTerminal && (mode == .shell || mode == .shellKeepEnvironment)
    }

    /// The options for `mode` taken from the calling process: `$SHELL` and the environment.
    public static func fromEnvironment(mode: StartMode) -> ExecutionOptions {
        var options = ExecutionOptions(mode: mode)
        if let shell = getenv("SHELL"), shell.pointee != 0 { options.shell = String(cString: shell) }
        if mode == .shellKeepEnvironment { options.callerEnvironment = currentEnvironment() }
        options.attachesTerminal = (mode == .shell || mode == .shellKeepEnvironment) && isatty(0) == 1
        return options
    }

    /// `environ` as strings.
    static func currentEnvironment() -> [String] {
        var result: [String] = []
        guard var cursor = environ as UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? else { return result }
        while let entry = cursor.pointee {
            result.append(String(cString: entry))
            cursor += 1
        }
        return result
    }
}

/// What a start came to.
public struct ExecutionResult: Sendable, Equatable {
    /// 0 on success (detached: init was exec'd); init's status in the foreground and shell
    /// modes; 1 when the start failed or was refused.
    public var exitStatus: Int32
    /// The error, not yet printed on stderr (it is already appended to the container's log).
    public var error: RuntimeError?
    /// init's pid on the host, once known.
    public var initPID: Int32?

    public init(exitStatus: Int32, error: RuntimeError? = nil, initPID: Int32? = nil) {
        self.exitStatus = exitStatus
        self.error = error
        self.initPID = initPID
    }
}

/// The interpreter of a launch plan: runs each step in the process the plan names, passing a
/// baton over a socketpair between the launcher (this process), the child and init, so that
/// exactly one of them runs at a time and the steps happen in plan order. It decides nothing
/// the plan does not say; the mode only chooses init's stdio and what to wait for at the end.
public struct PlanExecutor {
    public let plan: Plan
    public let options: ExecutionOptions

    public init(plan: Plan, options: ExecutionOptions) {
        self.plan = plan
        self.options = options
    }

    /// Runs the plan. Never exits the calling process (the forked processes always end in
    /// exec or `_exit`); returns once init has been exec'd (detached) or has exited
    /// (foreground, shell). On failure everything the launcher created is undone.
    public func execute() -> ExecutionResult {
        do throws(RuntimeError) {
            try PlanShape.validate(plan)
        } catch {
            return ExecutionResult(exitStatus: 1, error: error)
        }
        let launcher = Launcher(plan: plan, options: options)
        return launcher.run()
    }
}
