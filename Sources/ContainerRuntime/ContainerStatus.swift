#if canImport(Glibc)
import Glibc
#endif
import ContainerState

/// Whether a container is running, decided by its cgroups, never by its pid file.
///
/// The container's cgroups are its identity: it is running exactly when one of its identity
/// cgroups (or a cgroup below one: a container with the cgroup namespace may create some)
/// holds a process. The pid of init is reported only when the pid file's pid is one of those
/// processes, so a stale or garbage pid file shows as "running, pid unknown" or "not running".
public struct ContainerStatus: Sendable, Equatable {
    public var name: ContainerName
    public var running: Bool
    /// init's host pid, verified to be in the container's cgroup; nil otherwise.
    public var pid: pid_t?
    /// What it uses (`list`); nil when not running or not asked for.
    public var usage: ContainerUsage?

    public init(name: ContainerName, running: Bool, pid: pid_t?, usage: ContainerUsage? = nil) {
        self.name = name
        self.running = running
        self.pid = pid
        self.usage = usage
    }

    /// Reads the status of `name` from its identity cgroups (full paths) and its pid file.
    public static func probe(
        _ name: ContainerName, identityCgroups: [String], state: StateDirectory
    ) -> ContainerStatus {
        let members = Set(LifecycleIO.processes(inSubtreesOf: identityCgroups))
        guard !members.isEmpty else { return ContainerStatus(name: name, running: false, pid: nil) }
        let recorded = LifecyclePidFile.read(name, state: state)
        let verified = recorded.flatMap { members.contains($0) ? $0 : nil }
        return ContainerStatus(name: name, running: true, pid: verified)
    }

    /// True when some identity cgroup (or a cgroup below it) exists: a stopped container
    /// leaves these behind until the next start, kill or list removes them.
    public static func hasLeftoverCgroups(identityCgroups: [String]) -> Bool {
        identityCgroups.contains(where: LifecycleIO.isDirectory)
    }
}
