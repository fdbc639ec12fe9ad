import Diagnostics
import HostCgroups

/// `cgroup-unusable` (error, F): no cgroup, no container. A container's cgroup is its identity
/// (`list`, `kill` find it there) and carries its device allow-list, so a host where the
/// container cannot get a cgroup of its own in a hierarchy they use (none mounted), or where
/// the allow-list cannot be enforced (v1 without the devices controller), is refused: `start`
/// runs the checker first and changes nothing. The plan generator refuses the same hosts.
enum HostCgroupRules {
    static func apply(to context: inout CheckContext) {
        guard let host = context.cgroupHost, let shortfall = host.shortfall else { return }
        context.emit(.cgroupUnusable(problem: shortfall.problem, remedy: shortfall.remedy))
    }
}
