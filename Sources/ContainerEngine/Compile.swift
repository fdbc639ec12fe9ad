#if canImport(Glibc)
import Glibc
#endif
import ConfigChecker
import ContainerState
import HostCgroups
import Diagnostics
import LaunchPlan

/// A config compiled for this host: what it was loaded from, its diagnostics (warnings only:
/// a config with an error has no plan) and the plan `start` executes.
public struct CompiledConfig: Sendable {
    public var loaded: LoadedConfig
    /// Every diagnostic of the file, in source order; no error among them.
    public var diagnostics: FileDiagnostics
    public var plan: Plan
}

/// A compile that produced no plan, with the diagnostics found before it stopped (empty when
/// the config could not even be read), so that the caller can print them before the failure.
public struct CompileFailure: Error, Sendable {
    public var error: EngineError
    public var diagnostics: FileDiagnostics?
}

extension ContainerEngine {
    /// load → check → plan: the config `argument` names (a NAME, or a FILE when it contains
    /// `/`), checked (refused on any error, before anything on the system changes) and planned
    /// for this host (its one probe, for the checker and the planner alike), or for
    /// `cgroupHost` when given (`plan --cgroup v1|v2`: a host assumed for a dry run).
    /// `outcome` words what a refusal means for the caller ("nothing was started", "no plan").
    /// With `execArguments` (CMD ARG…) the plan is the exec plan of that command
    /// (`container exec`, `plan --exec`) instead of the start plan.
    public func compile(
        _ argument: String, cgroupHost: HostCgroups? = nil, useFilesystem: Bool = true,
        refusal outcome: String = "nothing was started", execArguments: [String]? = nil
    ) -> Result<CompiledConfig, CompileFailure> {
        let loaded: LoadedConfig
        do { loaded = try loadConfig(argument, state: state) } catch {
            return .failure(CompileFailure(error: .unreadableConfig(error)))
        }
        let host = cgroupHost ?? hostCgroups()
        let options: PlanOptions
        do { options = try planOptions(for: loaded, host: host) } catch {
            return .failure(CompileFailure(error: error))
        }
        let (diagnostics, checked) = compileConfig(
            loaded, options: CheckOptions(useFilesystem: useFilesystem, cgroupHost: host))
        guard let checked, !diagnostics.diagnostics.contains(where: { $0.severity == .error }) else {
            return .failure(
                CompileFailure(
                    error: .configHasErrors(displayName: loaded.displayName, outcome: outcome),
                    diagnostics: diagnostics))
        }
        do {
            let plan =
                try execArguments.map { arguments throws(PlanGenerationError) in
                    try ExecPlanGenerator.generate(checked, arguments: arguments, options: options)
                } ?? PlanGenerator.generate(checked, options: options)
            return .success(CompiledConfig(loaded: loaded, diagnostics: diagnostics, plan: plan))
        } catch {
            return .failure(CompileFailure(error: .planning(String(describing: error)), diagnostics: diagnostics))
        }
    }

    /// The plan options for `loaded` on `host`: its cgroup layout under the parent, absolute
    /// state and config paths, the device-filter opt-out.
    func planOptions(for loaded: LoadedConfig, host: HostCgroups) throws(EngineError) -> PlanOptions {
        PlanOptions.forHost(
            host, parent: try cgroupParent(), stateDirectory: state, configPath: loaded.path,
            configBytes: loaded.file.bytes)
    }
}
