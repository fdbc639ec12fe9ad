#if canImport(Glibc)
import Glibc
#endif
import ConfigChecker
import ContainerRuntime
import ContainerState
import Diagnostics
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
    argument: String, state: StateDirectory, mode: StartMode, cgroupVersion: CgroupVersion? = nil
) -> StartResult {
    let loaded: LoadedConfig
    do {
        loaded = try loadConfig(argument, state: state)
    } catch {
        return StartResult(exitStatus: 2, message: "container start: error: \(visibleText(error.description))\n")
    }
    let options: PlanOptions
    do {
        options = try PlanOptions.forHost(
            stateDirectory: state, configPath: loaded.path, configBytes: loaded.file.bytes,
            cgroupVersion: cgroupVersion)
    } catch {
        return StartResult(exitStatus: 2, message: "container start: error: \(error)\n")
    }
    let (diagnostics, checked) = compileConfig(
        loaded, options: CheckOptions(cgroupVersion: options.cgroupLayout.version.rawValue))
    var message = ""
    if !diagnostics.diagnostics.isEmpty {
        let color = isatty(STDERR_FILENO) == 1 && getenv("NO_COLOR") == nil
        var renderer = TextDiagnosticRenderer(color: color)
        message += renderer.renderAll([diagnostics])
    }
    guard let checked, !diagnostics.diagnostics.contains(where: { $0.severity == .error }) else {
        message += "container start: \(loaded.displayName): the config has errors, nothing was started\n"
        return StartResult(exitStatus: 1, message: message)
    }
    let plan: Plan
    do {
        plan = try PlanGenerator.generate(checked, options: options)
    } catch {
        message += "container start: error: \(error)\n"
        return StartResult(exitStatus: 2, message: message)
    }
    return execute(plan, mode: mode, message: message)
}

/// `container start --plan FILE`: a plan saved with `plan --format json`, refused when it does
/// not validate or when its config no longer hashes to the recorded hash.
public func startSavedPlan(file: String, mode: StartMode) -> StartResult {
    let plan: Plan
    do {
        plan = try PlanJSONReader.read(try readConfigBytes(path: file))
    } catch let error as ConfigLoadError {
        return StartResult(exitStatus: 2, message: "container start: error: \(error)\n")
    } catch {
        return StartResult(exitStatus: 1, message: "container start: error: \(file): \(error)\n")
    }
    let current: [UInt8]
    do {
        current = try readConfigBytes(path: plan.configPath)
    } catch {
        return StartResult(exitStatus: 1, message: "container start: error: the plan's config: \(error)\n")
    }
    guard ConfigHash.of(current) == plan.configHash else {
        return StartResult(exitStatus: 1, message: """
            container start: error: \(plan.configPath) changed since the plan was made \
            (plan: \(plan.configHash), now: \(ConfigHash.of(current))); run `container plan` again\n
            """)
    }
    return execute(plan, mode: mode, message: "")
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
