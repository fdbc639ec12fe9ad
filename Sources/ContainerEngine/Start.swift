import ConfigChecker
import ContainerRuntime
import ContainerState
import Diagnostics
import LaunchPlan

/// What a start came to, for the CLI (and `start-all`) to report.
public struct StartOutcome: Sendable {
    /// 0: started (detached) or init exited 0 (foreground, shell); init's status in the
    /// foreground modes; otherwise the failure's status.
    public var exitStatus: Int32
    /// The config's diagnostics (warnings of a started config, errors of a refused one), to
    /// print before the failure; nil when the config was not read.
    public var diagnostics: FileDiagnostics?
    /// Why nothing (or not everything) happened; nil on success.
    public var failure: StartFailure?
    /// init's host pid when the start got that far.
    public var initPID: Int32?
}

/// Why a start failed: before the plan ran (a compile or saved-plan refusal) or while it ran.
public enum StartFailure: Sendable, CustomStringConvertible {
    case refused(EngineError)
    /// The runtime stopped at a step; `container` is the plan's container name.
    case execution(container: String, RuntimeError)

    public var description: String {
        switch self {
        case let .refused(error): error.description
        case let .execution(container, error):
            "\(container): \(error.kind == .refused ? "refused" : "error"): \(error)"
        }
    }
}

extension ContainerEngine {
    /// `container start [-d|-s|-se] NAME`: load → check (refuse on any error before anything
    /// on the system changes) → plan for the probed host → execute. Never exits the process;
    /// the start path is synchronous and single-threaded (no Dispatch, no async) up to the fork.
    public func start(_ argument: String, mode: StartMode) -> StartOutcome {
        switch compile(argument) {
        case let .failure(failure):
            return StartOutcome(
                exitStatus: failure.error.exitStatus, diagnostics: failure.diagnostics,
                failure: .refused(failure.error))
        case let .success(compiled):
            return execute(compiled.plan, mode: mode, diagnostics: compiled.diagnostics)
        }
    }

    /// `container start --plan FILE`: a plan saved with `plan --format json`. The file is not
    /// trusted: a hand-made plan could write any value to any path as root. It is refused when
    /// it does not validate, when its config no longer hashes to the recorded hash, and unless
    /// it is exactly the plan the config at `configPath` compiles to now (same cgroup version,
    /// same state directory): the file only chooses *when* to run a plan `container plan`
    /// would print.
    public func startSavedPlan(file: String, mode: StartMode) -> StartOutcome {
        func refused(_ error: EngineError, _ diagnostics: FileDiagnostics? = nil) -> StartOutcome {
            StartOutcome(exitStatus: error.exitStatus, diagnostics: diagnostics, failure: .refused(error))
        }
        let saved: Plan
        do {
            saved = try PlanJSONReader.read(try readConfigBytes(path: file))
        } catch let error as ConfigLoadError {
            return refused(.unreadableConfig(error))
        } catch {
            return refused(.savedPlanRefused("\(file): \(error)"))
        }
        let current: [UInt8]
        do { current = try readConfigBytes(path: saved.configPath) } catch {
            return refused(.savedPlanRefused("the plan's config: \(error)"))
        }
        guard ConfigHash.of(current) == saved.configHash else {
            return refused(
                .savedPlanRefused(
                    """
                    \(saved.configPath) changed since the plan was made \
                    (plan: \(saved.configHash), now: \(ConfigHash.of(current))); run `container plan` again
                    """))
        }
        // Against this host's probe, never the version the file names: a plan made for
        // another machine (`plan --cgroup v2` here) does not start here.
        switch compile(saved.configPath) {
        case let .failure(failure):
            return refused(
                .savedPlanRefused("\(file): the plan's config no longer compiles (\(failure.error)); nothing was started"),
                failure.diagnostics)
        case let .success(compiled):
            if let difference = firstDifference(saved: saved, regenerated: compiled.plan) {
                return refused(
                    .savedPlanRefused(
                        """
                        \(file) is not the plan of \(saved.configPath) \
                        (cgroup \(saved.cgroup.rawValue), state directory \(state.path)): \(difference); \
                        refusing to run a plan that was edited or made elsewhere; run `container plan` again
                        """), compiled.diagnostics)
            }
            return execute(saved, mode: mode, diagnostics: compiled.diagnostics)
        }
    }

    /// Runs a plan with the options the mode takes from this process ($SHELL, the environment).
    private func execute(_ plan: Plan, mode: StartMode, diagnostics: FileDiagnostics) -> StartOutcome {
        let result = PlanExecutor(plan: plan, options: .fromEnvironment(mode: mode)).execute()
        return StartOutcome(
            exitStatus: result.exitStatus, diagnostics: diagnostics,
            failure: result.error.map { .execution(container: plan.container, $0) },
            initPID: result.initPID)
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
