#if canImport(Glibc)
import Glibc
#endif
import ConfigChecker
import ContainerRuntime
import ContainerState

/// What a stop did.
public struct StopOutcome: Sendable, Equatable {
    /// True when every process left before the deadline; false when SIGKILL was needed.
    public var exitedInTime: Bool
    /// The signal sent to init.
    public var signal: Int32
    /// Problems that did not stop the stop (from the kill).
    public var warnings: [String]
}

extension ContainerEngine {
    /// `container stop NAME [--time SECONDS]`: the config's `stop_signal` to init (its pid
    /// verified against the container's cgroup), up to `seconds` for the container to empty,
    /// then the cgroup-wide kill and clean-up of `kill`. Refused (exit 1) when not running.
    public func stop(_ argument: String, seconds: Int) throws(EngineError) -> StopOutcome {
        let name = try containerName(argument)
        let host = try lifecycleHost()
        let cgroups = host.identityCgroups(name)
        let status = host.status(name, state: state)
        guard status.running else {
            LifecycleCleanup.removeLeftovers(name, identityCgroups: cgroups, state: state)
            throw .notRunning(name)
        }
        let signal = stopSignal(of: name)
        do {
            let outcome = try Stopper(signal: signal, graceMilliseconds: Int64(seconds) * 1000)
                .stop(name, pid: status.pid, identityCgroups: cgroups, state: state)
            return StopOutcome(exitedInTime: outcome.exitedInTime, signal: signal, warnings: outcome.warnings)
        } catch {
            throw .killFailed(name, error)
        }
    }

    /// The checked config's `stop_signal`; SIGTERM when the config is gone or no longer
    /// checks (an edited config must not keep a running container from stopping).
    func stopSignal(of name: ContainerName) -> Int32 {
        guard let loaded = try? loadConfig(name.rawValue, state: state),
            case let (_, checked?) = compileConfig(loaded, options: CheckOptions(useFilesystem: false, cgroupHost: hostCgroups()))
        else { return SIGTERM }
        return Int32(checked.stopSignal)
    }
}
