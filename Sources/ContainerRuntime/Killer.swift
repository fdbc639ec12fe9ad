#if canImport(Glibc)
import Glibc
#endif
import ContainerState

/// Stops a container by its cgroups: every process in them dies, not only the pid in the pid
/// file, so a double-forked daemon of a container without a pid namespace dies too.
///
/// Each identity cgroup is stopped with the best mechanism its hierarchy offers, found by the
/// control files present (so a host mixing v1 controllers with a v2 hierarchy works):
/// - v2 with `cgroup.kill` (Linux ≥ 5.14): write `1`; the kernel kills the whole subtree,
///   forks included, then `cgroup.events` reports `populated 0`.
/// - v1 freezer (`freezer.state`): freeze, wait for FROZEN, SIGKILL every pid of
///   `cgroup.procs`, thaw. Nothing can fork while frozen, so one pass sees every process.
/// - otherwise (v2 without cgroup.kill, v1 without freezer): SIGKILL every listed pid and
///   repeat until the cgroups are empty.
/// Then it waits for every cgroup to be empty, removes them (children first) and removes the
/// pid file.
public struct Killer: Sendable {
    /// How long to wait for the freezer to report FROZEN before killing without it.
    public var freezeTimeoutMilliseconds: Int64 = 2_000
    /// How long to wait for the cgroups to empty once every process has been sent SIGKILL.
    public var emptyTimeoutMilliseconds: Int64 = 10_000

    public init() {}

    /// What a kill did.
    public struct Outcome: Sendable, Equatable {
        /// How many distinct processes the cgroups held when the kill began.
        public var signalled: Int
        /// Warnings that did not stop the kill (a freezer that did not freeze in time).
        public var warnings: [String]
    }

    /// Kills every process in `identityCgroups` (full paths) and below them, waits until they
    /// are gone, removes the cgroups and `pids/NAME`.
    public func kill(
        _ name: ContainerName, identityCgroups: [String], state: StateDirectory
    ) throws(RuntimeError) -> Outcome {
        let existing = identityCgroups.filter(LifecycleIO.isDirectory)
        var outcome = Outcome(signalled: 0, warnings: [])

        let freezers = existing.filter { LifecycleIO.isRegularFile($0 + "/freezer.state") }
        for freezer in freezers {
            do { try freeze(freezer) } catch { outcome.warnings.append(error.description) }
        }
        // A process is listed once per hierarchy it is in: count and signal it once.
        let members = Array(Set(LifecycleIO.processes(inSubtreesOf: existing)))
        outcome.signalled = members.count
        var killFailure: RuntimeError?
        for cgroup in existing where LifecycleIO.isRegularFile(cgroup + "/cgroup.kill") {
            do { try LifecycleIO.write("1", to: cgroup + "/cgroup.kill") } catch { killFailure = error }
        }
        signal(members)
        // Thaw whatever happened above: a cgroup left FROZEN would hang its processes forever,
        // and the SIGKILLs queued while frozen are delivered on thaw.
        for freezer in freezers {
            do { try LifecycleIO.write("THAWED", to: freezer + "/freezer.state") } catch {
                outcome.warnings.append(error.description)
            }
        }
        // A failed cgroup.kill write is not fatal by itself: the SIGKILLs above and the
        // re-kills while waiting still empty the cgroup; it is reported only if they do not.
        do { try waitUntilEmpty(existing) } catch { throw killFailure ?? error }
        try LifecycleIO.removeCgroups(existing)
        try LifecyclePidFile.remove(name, state: state)
        return outcome
    }

    /// Writes FROZEN and waits until the kernel reports the whole cgroup FROZEN (it passes
    /// through FREEZING while tasks are being stopped).
    private func freeze(_ cgroup: String) throws(RuntimeError) {
        let state = cgroup + "/freezer.state"
        try LifecycleIO.write("FROZEN", to: state)
        let frozen = LifecycleDeadline(milliseconds: freezeTimeoutMilliseconds).wait {
            LifecycleIO.read(state)?.hasPrefix("FROZEN") ?? false
        }
        if !frozen { throw .failed("freeze", path: state, "did not reach FROZEN in time") }
    }

    /// Waits until no process is left below `cgroups`, sending SIGKILL again to any process
    /// still listed: without a freezer or `cgroup.kill` a process may have forked between the
    /// listing and the signal.
    private func waitUntilEmpty(_ cgroups: [String]) throws(RuntimeError) {
        let deadline = LifecycleDeadline(milliseconds: emptyTimeoutMilliseconds)
        let empty = deadline.wait {
            let remaining = LifecycleIO.processes(inSubtreesOf: cgroups)
            if remaining.isEmpty { return cgroups.allSatisfy(Self.unpopulated) }
            signal(remaining)
            return false
        }
        guard empty else {
            let cgroup =
                cgroups.first { !LifecycleIO.processes(inSubtreesOf: [$0]).isEmpty }
                ?? cgroups.first ?? ""
            let pids = LifecycleIO.processes(inSubtreesOf: cgroups)
            let list = pids.prefix(10).map(String.init).joined(separator: ", ") + (pids.count > 10 ? ", …" : "")
            throw .failed(
                "wait", path: cgroup,
                "processes still there after \((emptyTimeoutMilliseconds + 999) / 1000) s: \(list) "
                    + "(a process in uninterruptible sleep dies once its I/O completes; run kill again)")
        }
    }

    /// v2: `cgroup.events` says `populated 0` (it counts the whole subtree); v1 has no such
    /// file and relies on the empty `cgroup.procs` listings.
    private static func unpopulated(_ cgroup: String) -> Bool {
        guard let events = LifecycleIO.read(cgroup + "/cgroup.events") else { return true }
        return events.split(separator: "\n").contains("populated 0")
    }

    /// SIGKILL to each pid; never to 0, negatives (process groups) or this process.
    private func signal(_ pids: [pid_t]) {
        let me = getpid()
        for pid in pids where pid > 0 && pid != me { _ = Glibc.kill(pid, SIGKILL) }
    }
}
