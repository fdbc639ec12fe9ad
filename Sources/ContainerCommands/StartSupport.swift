#if canImport(Glibc)
import Glibc
#endif
import ConfigChecker
import ContainerRuntime
import ContainerState
import Diagnostics
import HostCgroups
import LaunchPlan

/// What `container start` came to, for the CLI (and `start-all`) to report.
public struct StartResult: Sendable, Equatable {
    /// 0: started (detached) or init exited 0 (foreground, shell); init's status in the
    /// foreground modes; 1: refused or failed; 2: the config could not be read.
    public var exitStatus: Int32
    /// Text for stderr, not printed yet: the config's rendered diagnostics (warnings too) and
    /// the error, when there is one; nil when there is nothing to say.
    public var message: String?
    /// init's host pid when the start got that far.
    public var initPID: Int32?

    public init(exitStatus: Int32, message: String? = nil, initPID: Int32? = nil) {
        self.exitStatus = exitStatus
        self.message = message
        self.initPID = initPID
    }
}

/// `container start [-d|-s|-se] NAME`: load → check (refuse on any error before anything on the
/// system changes) → plan for the probed host → execute. Never exits the process; the start
/// path is synchronous and single-threaded (no Dispatch, no async) up to the fork.
public func startContainer(
    argument: String, state: StateDirectory, mode: StartMode
) -> StartResult {
    switch compilePlan(argument: argument, state: state, host: CgroupProbe.probeHost()) {
    case let .refused(result): return result
    case let .compiled(plan, message): return execute(plan, mode: mode, message: message)
    }
}

/// The outcome of load → check → plan.
enum CompiledPlan {
    /// The plan, and the rendered warnings to print with the start's outcome.
    case compiled(Plan, message: String)
    /// The config could not be read, checked or planned: what `start` returns.
    case refused(StartResult)
}

/// Loads the config `argument` names, checks it (any error: refused, exit 1) and plans it for
/// `host` (the one probe of this host: the checker and the plan see the same cgroups).
func compilePlan(argument: String, state: StateDirectory, host: HostCgroups) -> CompiledPlan {
    let loaded: LoadedConfig
    do {
        loaded = try loadConfig(argument, state: state)
    } catch {
        return .refused(StartResult(exitStatus: 2, message: "container start: error: \(visibleText(error.description))\n"))
    }
    let options: PlanOptions
    do {
        options = try PlanOptions.forHost(
            host, stateDirectory: state, configPath: loaded.path, configBytes: loaded.file.bytes)
    } catch {
        return .refused(StartResult(exitStatus: 2, message: "container start: error: \(error)\n"))
    }
    let (diagnostics, checked) = compileConfig(
        loaded, options: CheckOptions(cgroupHost: host))
    var message = ""
    if !diagnostics.diagnostics.isEmpty {
        let color = isatty(STDERR_FILENO) == 1 && getenv("NO_COLOR") == nil
        var renderer = TextDiagnosticRenderer(color: color)
        message += renderer.renderAll([diagnostics])
    }
    guard let checked, !diagnostics.diagnostics.contains(where: { $0.severity == .error }) else {
        message += "container start: \(loaded.displayName): the config has errors, nothing was started\n"
        return .refused(StartResult(exitStatus: 1, message: message))
    }
    do {
        return .compiled(try PlanGenerator.generate(checked, options: options), message: message)
    } catch {
        message += "container start: error: \(error)\n"
        return .refused(StartResult(exitStatus: 2, message: message))
    }
}

/// `container start --plan FILE`: a plan saved with `plan --format json`. The file is not
/// trusted: a hand-made plan could write any value to any path as root. It is refused when it
/// does not validate, when its config no longer hashes to the recorded hash, and unless it is
/// exactly the plan the config at `configPath` compiles to now (same cgroup version, same
/// state directory): the file only chooses *when* to run a plan `container plan` would print.
public func startSavedPlan(file: String, mode: StartMode, state: StateDirectory) -> StartResult {
    let saved: Plan
    do {
        saved = try PlanJSONReader.read(try readConfigBytes(path: file))
    } catch let error as ConfigLoadError {
        return StartResult(exitStatus: 2, message: "container start: error: \(error)\n")
    } catch {
        return StartResult(exitStatus: 1, message: "container start: error: \(file): \(error)\n")
    }
    let current: [UInt8]
    do {
        current = try readConfigBytes(path: saved.configPath)
    } catch {
        return StartResult(exitStatus: 1, message: "container start: error: the plan's config: \(error)\n")
    }
    guard ConfigHash.of(current) == saved.configHash else {
        return StartResult(exitStatus: 1, message: """
            container start: error: \(saved.configPath) changed since the plan was made \
            (plan: \(saved.configHash), now: \(ConfigHash.of(current))); run `container plan` again\n
            """)
    }
    switch compilePlan(argument: saved.configPath, state: state, host: CgroupProbe.probeHost()) {
    case let .refused(result):
        var refusal = result
        refusal.exitStatus = 1
        refusal.message = (result.message ?? "")
            + "container start: error: \(file): the plan's config no longer compiles; nothing was started\n"
        return refusal
    case let .compiled(regenerated, message):
        if let difference = firstDifference(saved: saved, regenerated: regenerated) {
            return StartResult(exitStatus: 1, message: message + """
                container start: error: \(file) is not the plan of \(saved.configPath) \
                (cgroup \(saved.cgroup.rawValue), state directory \(state.path)): \(difference); \
                refusing to run a plan that was edited or made elsewhere; run `container plan` again\n
                """)
        }
        return execute(saved, mode: mode, message: message)
    }
}

/// Where a saved plan differs from the one the config compiles to now, or nil when equal.
func firstDifference(saved: Plan, regenerated: Plan) -> String? {
    if saved == regenerated { return nil }
    if saved.container != regenerated.container {
        return "container \"\(saved.container)\", expected \"\(regenerated.container)\""
    }
    for (index, (mine, theirs)) in zip(saved.steps, regenerated.steps).enumerated() where mine != theirs {
        return "step \(index + 1) is \(mine.process.rawValue) \(mine.action.summary), expected \(theirs.process.rawValue) \(theirs.action.summary)"
    }
    if saved.steps.count != regenerated.steps.count {
        return "\(saved.steps.count) steps, expected \(regenerated.steps.count)"
    }
    if saved.notes != regenerated.notes { return "the notes differ" }
    return "the header (schema, config path or hash) differs"
}

/// Runs a plan with the options the mode takes from this process ($SHELL, the environment).
private func execute(_ plan: Plan, mode: StartMode, message: String) -> StartResult {
    let result = PlanExecutor(plan: plan, options: .fromEnvironment(mode: mode)).execute()
    var message = message
    if let error = result.error {
        message += "container start: \(plan.container): \(error.kind == .refused ? "refused" : "error"): \(error)\n"
    }
    return StartResult(exitStatus: result.exitStatus, message: message.isEmpty ? nil : message, initPID: result.initPID)
}
