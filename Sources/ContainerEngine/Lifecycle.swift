import ContainerRuntime
import ContainerState
import SystemIO

/// What a kill did.
public struct KillOutcome: Sendable, Equatable {
    /// How many distinct processes the container's cgroups held when the kill began.
    public var signalled: Int
    /// Problems that did not stop the kill (a freezer that did not freeze in time).
    public var warnings: [String]
}

extension ContainerEngine {
    /// `container kill NAME`: SIGKILL every process of the container (found by its cgroups,
    /// not by its pid file), wait until none is left, remove its cgroups and pid file. A
    /// container that is not running is refused, after its leftovers are cleaned up.
    public func kill(_ argument: String) throws(EngineError) -> KillOutcome {
        let name = try containerName(argument)
        let host = try lifecycleHost()
        let cgroups = host.identityCgroups(name)
        guard host.status(name, state: state).running else {
            LifecycleCleanup.removeLeftovers(name, identityCgroups: cgroups, state: state)
            throw .notRunning(name)
        }
        do {
            let outcome = try Killer().kill(name, identityCgroups: cgroups, state: state)
            return KillOutcome(signalled: outcome.signalled, warnings: outcome.warnings)
        } catch {
            throw .killFailed(name, error)
        }
    }

    /// `container list`: every configured container, plus the running ones whose config is
    /// gone (a config deleted while its container runs must not hide the container), sorted by
    /// name. Running is decided by the cgroups. Leftovers of stopped containers (empty cgroups,
    /// stale pid files) are removed on the way; a stopped container without a config is not
    /// listed. A running container comes with its usage (memory, tasks, uptime).
    public func list(runningOnly: Bool = false) throws(EngineError) -> [ContainerStatus] {
        let configured: [ContainerName]
        do { configured = try allContainerNames(state: state) } catch { throw .unreadableConfigDirectory(error) }
        let host = try lifecycleHost()
        // One listing of the parent cgroup in each hierarchy and one of pids/, instead of a
        // stat of every hierarchy and a look in pids/ for each container: a name in neither
        // listing has no cgroup (so it is not running) and nothing to clean up. 1,000 stopped
        // containers: 17,000 syscalls → under 100. A container started after the listing
        // shows as stopped, as it would had `list` run a moment earlier.
        let withCgroups = Set(host.namesWithCgroups())
        let withPidFile = namesWithPidFile()
        let configuredNames = Set(configured)
        var statuses: [ContainerStatus] = []
        for name in configuredNames.union(withCgroups).sorted() {
            guard withCgroups.contains(name) || withPidFile.contains(name) else {
                if !runningOnly { statuses.append(ContainerStatus(name: name, running: false, pid: nil)) }
                continue
            }
            var status = host.status(name, state: state)
            if !status.running {
                LifecycleCleanup.removeLeftovers(name, identityCgroups: host.identityCgroups(name), state: state)
                if !configuredNames.contains(name) { continue }
            }
            if status.running { status.usage = host.usage(name, initPID: status.pid) }
            if status.running || !runningOnly { statuses.append(status) }
        }
        return statuses
    }

    /// The names that have an entry (of any type) in pids/; empty when there is no pids/.
    private func namesWithPidFile() -> Set<ContainerName> {
        let entries = (try? DirectoryHandle.with(state.pidsDirectory) { handle throws(SystemError) in try handle.entries() }) ?? []
        return Set(entries.compactMap { try? ContainerName(validating: $0.name) })
    }

    /// The status of one container.
    public func status(_ name: ContainerName) throws(EngineError) -> ContainerStatus {
        try lifecycleHost().status(name, state: state)
    }

    /// Validates NAME before any path is formed from it.
    func containerName(_ argument: String) throws(EngineError) -> ContainerName {
        do { return try ContainerName(validating: argument) } catch { throw .invalidName(error) }
    }
}
