import ContainerRuntime
import ContainerState
import LaunchPlan

/// One container's part of a `start-all`, reported as it happens.
public enum StartAllEvent: Sendable {
    /// Already running (pid when verified): reported and skipped, not a failure.
    case skipped(ContainerName, pid: Int32?)
    /// Tried: started when `outcome.exitStatus` is 0, failed otherwise.
    case tried(ContainerName, StartOutcome)
}

/// The tally of a `start-all`.
public struct StartAllSummary: Sendable, Equatable {
    public var started = 0
    public var skipped = 0
    /// The containers that failed, in the order tried.
    public var failed: [ContainerName] = []
}

extension ContainerEngine {
    /// `container start-all`: start, detached, every configured container that is not running.
    /// One failure does not stop the others; `report` is called for each container as soon as
    /// it is done (before the next start forks), and the tally returned at the end. The host is
    /// probed once for all of them.
    public func startAll(report: (StartAllEvent) -> Void) throws(EngineError) -> StartAllSummary {
        let names: [ContainerName]
        do { names = try allContainerNames(state: state) } catch { throw .unreadableConfigDirectory(error) }
        let host = try lifecycleHost()
        // One listing of the parent cgroups: a name without a cgroup is not running, no need to
        // look at each of its hierarchies (the start itself checks again, under its lock).
        let withCgroups = Set(host.namesWithCgroups())
        var summary = StartAllSummary()
        for name in names {
            let status =
                withCgroups.contains(name)
                ? host.status(name, state: state) : ContainerStatus(name: name, running: false, pid: nil)
            if status.running {
                summary.skipped += 1
                report(.skipped(name, pid: status.pid))
                continue
            }
            let outcome = start(name.rawValue, mode: .detached)
            if outcome.exitStatus == 0 { summary.started += 1 } else { summary.failed.append(name) }
            report(.tried(name, outcome))
        }
        return summary
    }
}
