#if canImport(Glibc)
import Glibc
#endif
import ContainerState

/// A graceful stop: the stop signal to init, a bounded wait for the container's cgroups to
/// empty, then the cgroup-wide kill of `Killer` for whatever is left (and its clean-up).
public struct Stopper: Sendable {
    public var signal: Int32
    public var graceMilliseconds: Int64

    public init(signal: Int32, graceMilliseconds: Int64) {
        self.signal = signal
        self.graceMilliseconds = graceMilliseconds
    }

    /// What a stop did.
    public struct Outcome: Sendable, Equatable {
        /// True when every process left within the grace period (no SIGKILL was needed).
        public var exitedInTime: Bool
        public var warnings: [String]
    }

    /// Signals init (`pid`, already verified to be in `identityCgroups`; nil when the pid file
    /// names no process of the container: then only the kill stops it), waits until no process
    /// is left below the cgroups or the grace period ends (polled with a deadline: v1 has no
    /// notification for an empty cgroup), then kills and cleans up as `kill` does.
    public func stop(
        _ name: ContainerName, pid: pid_t?, identityCgroups: [String], state: StateDirectory
    ) throws(RuntimeError) -> Outcome {
        if let pid, pid > 1 { _ = Glibc.kill(pid, signal) }
        let emptied =
            pid != nil
            && LifecycleDeadline(milliseconds: graceMilliseconds).wait {
                LifecycleIO.processes(inSubtreesOf: identityCgroups).isEmpty
            }
        let killed = try Killer().kill(name, identityCgroups: identityCgroups, state: state)
        return Outcome(exitedInTime: emptied, warnings: killed.warnings)
    }
}
