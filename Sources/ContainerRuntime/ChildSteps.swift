#if canImport(Glibc)
import Glibc
#endif
import CLinuxShim
import ConfigLanguage
import LaunchPlan

/// The steps of the child: it enters the new namespaces and forks init.
extension ForkedProcess {
    mutating func performChildStep(_ action: StepAction) throws(RuntimeError) {
        switch action {
        case let .openRoot(root):
            // Still the host's root uid here (the id maps are not written yet): the owner's
            // bits of root-owned directories above the root grant the traversal.
            heldRoot = try ContainerRoot.openHostPath(root)
        case let .openMountSources(sources):
            for source in sources where !heldSources.contains(where: { $0.path == source }) {
                guard let descriptor = try? Syscall.open(source, CLS_O_PATH, step: "open mount source") else { continue }
                heldSources.append((source, descriptor))
            }
        case let .unshare(namespaces):
            let (flags, names) = Self.cloneFlags(namespaces)
            guard cls_unshare(flags) == 0 else { throw .system("unshare", detail: names) }
        case .resetTimeNamespaceClocks:
            try resetTimeNamespaceClocks()
        case let .addAddress(link, address):
            try NetworkSteps.addAddress(address, link: link)
        case let .setLinkUp(name):
            try NetworkSteps.setUp(name)
        case let .addDefaultRoute(link, gateway):
            try NetworkSteps.addDefaultRoute(gateway, link: link)
        default:
            throw .failed("plan", "\(action.name) cannot run in the child")
        }
    }

    /// The unshare(2) flags for a namespace set, the mount namespace always included, and
    /// their names for messages.
    ///
    /// Plain appends, not an array of tuples and `joined`: this runs in the child, a fresh
    /// process where those instantiate generic metadata at run time (perf: ~0.2 ms a start).
    static func cloneFlags(_ namespaces: NamespaceSet) -> (Int32, String) {
        var flags = CLS_CLONE_NEWNS
        var names = "CLONE_NEWNS"
        func add(_ namespace: Namespace, _ flag: Int32, _ name: String) {
            guard namespaces.contains(namespace) else { return }
            flags |= flag
            names += "|" + name
        }
        add(.user, CLS_CLONE_NEWUSER, "CLONE_NEWUSER")
        add(.pid, CLS_CLONE_NEWPID, "CLONE_NEWPID")
        add(.uts, CLS_CLONE_NEWUTS, "CLONE_NEWUTS")
        add(.time, CLS_CLONE_NEWTIME, "CLONE_NEWTIME")
        add(.ipc, CLS_CLONE_NEWIPC, "CLONE_NEWIPC")
        add(.cgroup, CLS_CLONE_NEWCGROUP, "CLONE_NEWCGROUP")
        add(.net, CLS_CLONE_NEWNET, "CLONE_NEWNET")
        return (flags, names)
    }

    /// Sets the offsets of the time namespace the child's children will live in to minus the
    /// current CLOCK_MONOTONIC and CLOCK_BOOTTIME, so that both read ~0 when init starts
    /// (uptime restarts). Allowed only before any process entered the namespace, which is why
    /// this runs in the child, before forkInit. The kernel reads the clocks after us, so the
    /// resulting values are ≥ 0 as it requires.
    private func resetTimeNamespaceClocks() throws(RuntimeError) {
        func offset(_ clock: clockid_t, _ name: String) -> String {
            var now = timespec()
            clock_gettime(clock, &now)
            var seconds = -Int64(now.tv_sec)
            var nanoseconds = Int64(0)
            if now.tv_nsec > 0 {
                seconds -= 1
                nanoseconds = 1_000_000_000 - Int64(now.tv_nsec)
            }
            return "\(name) \(seconds) \(nanoseconds)\n"
        }
        let value = offset(CLOCK_MONOTONIC, "monotonic") + offset(CLOCK_BOOTTIME, "boottime")
        try Syscall.writeControlFile("/proc/self/timens_offsets", value)
    }
}
