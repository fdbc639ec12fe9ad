import ContainerRuntime
import ContainerState
import Diagnostics
import LaunchPlan

/// What an exec came to, for the CLI to report.
public struct ExecOutcome: Sendable {
    /// The command's status; 1 when the container was not running or joining failed; 2 for
    /// an invalid name or an unreadable config.
    public var exitStatus: Int32
    /// The config's diagnostics when it had errors (nothing was run).
    public var diagnostics: FileDiagnostics?
    /// Why the command did not run; nil when it ran (whatever its status).
    public var failure: String?
}

extension ContainerEngine {
    /// `container exec [-t|-T] [-e] NAME CMD [ARG…]`: refuse an invalid NAME (2) and a
    /// container that is not running (1, decided by its cgroups), compile NAME's config into
    /// the exec plan of `arguments` and run it (see `ExecPlanGenerator`, `ExecExecutor`).
    public func exec(_ argument: String, arguments: [String], options: ExecOptions) -> ExecOutcome {
        func refused(_ error: EngineError, _ diagnostics: FileDiagnostics? = nil) -> ExecOutcome {
            ExecOutcome(exitStatus: error.exitStatus, diagnostics: diagnostics, failure: error.description)
        }
        let name: ContainerName
        do throws(EngineError) {
            name = try containerName(argument)
            guard try lifecycleHost().status(name, state: state).running else { throw .notRunning(name) }
        } catch {
            return refused(error)
        }
        // Without the filesystem rules: the container is running, its root was checked at its
        // start, and a mount source removed since must not keep an operator out.
        switch compile(name.rawValue, useFilesystem: false, execArguments: arguments) {
        case let .failure(failure):
            return refused(failure.error, failure.diagnostics)
        case let .success(compiled):
            let result = ExecExecutor(plan: compiled.plan, options: options).execute()
            return ExecOutcome(exitStatus: result.exitStatus, failure: result.error.map { "\(name): error: \($0)" })
        }
    }
}
