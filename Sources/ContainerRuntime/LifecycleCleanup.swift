#if canImport(Glibc)
import Glibc
#endif
import SystemIO
import ContainerState

/// Removes what a stopped container left behind: its empty cgroups and its stale pid file.
///
/// A container whose init exited on its own (or whose launcher was killed) leaves its cgroup
/// directories and `pids/NAME`; `start`, `kill` and `list` remove them. A concurrent `start`
/// creates the cgroups before it moves its child into them, so leftovers are only removed
/// while the container's lock (`locks/NAME`, the one `start` takes) is free: while a start
/// holds it, the empty cgroups are that start's, not leftovers. The process a stale pid file
/// names is never touched, only the file.
public enum LifecycleCleanup {
    /// Removes the identity cgroups and the pid file of `name` when no cgroup holds a process
    /// and no start is in progress. Returns true when something was removed. Failures are not
    /// errors: what cannot be removed now is retried by the next command.
    @discardableResult
    public static func removeLeftovers(
        _ name: ContainerName, identityCgroups: [String], state: StateDirectory
    ) -> Bool {
        let hasCgroups = ContainerStatus.hasLeftoverCgroups(identityCgroups: identityCgroups)
        let hasPidFile = LifecyclePidFile.exists(name, state: state)
        guard hasCgroups || hasPidFile else { return false }
        guard let lock = tryLock(name, state: state) else { return false }
        defer { close(lock) }
        // Checked again under the lock: a start may have finished between the two looks.
        guard LifecycleIO.processes(inSubtreesOf: identityCgroups).isEmpty else { return false }
        var removed = false
        if hasCgroups {
            removed = (try? LifecycleIO.removeCgroups(identityCgroups, timeoutMilliseconds: 200)) != nil
        }
        if hasPidFile, (try? LifecyclePidFile.remove(name, state: state)) != nil { removed = true }
        return removed
    }

    /// The container's lock, taken without waiting; nil when another process holds it.
    /// Returns a descriptor to close (closing releases the lock). When the state directory has
    /// no `locks/` yet, no start has ever locked anything there: the result is -1, "free, and
    /// nothing to close" (`close(-1)` is a harmless EBADF).
    static func tryLock(_ name: ContainerName, state: StateDirectory) -> Int32? {
        let lock: FileDescriptor
        do { lock = try DirectoryHandle.openFile(atPath: state.lockPath(name), O_RDWR | O_CREAT, mode: 0o600) } catch {
            // ENOENT is the locks directory (the file is created): no start ever locked here.
            return error.errno == ENOENT ? -1 : nil
        }
        guard flock(lock.rawValue, LOCK_EX | LOCK_NB) == 0 else {
            lock.close()
            return nil
        }
        return lock.rawValue
    }
}
