#if canImport(Glibc)
import Glibc
#endif
import SystemIO
import ContainerState
import HostCgroups
import LaunchPlan

/// The running host's cgroup layout as `kill`, `list`, `stop` and `start-all` see it: the
/// engine builds it from its one probe of the host and the parent cgroup.
public struct LifecycleHost: Sendable {
    public let layout: CgroupLayout

    public init(layout: CgroupLayout) { self.layout = layout }

    /// Every cgroup that may hold a process of `name` (all hierarchies, see `CgroupLayout`).
    public func identityCgroups(_ name: ContainerName) -> [String] {
        layout.identityCgroups(for: name)
    }

    /// The status of `name`, from its cgroups (see `ContainerStatus`).
    public func status(_ name: ContainerName, state: StateDirectory) -> ContainerStatus {
        ContainerStatus.probe(name, identityCgroups: identityCgroups(name), state: state)
    }

    /// What the running container `name` uses (see `ContainerUsage`); `initPID` gives its uptime.
    public func usage(_ name: ContainerName, initPID: pid_t?) -> ContainerUsage {
        ContainerUsage.read(name, layout: layout, initPID: initPID)
    }

    /// The names of containers that have a cgroup under the parent in some hierarchy, whether
    /// or not they still have a config (a config removed while its container runs must not
    /// hide the container from `list`). Directories that are not valid names are ignored.
    public func namesWithCgroups() -> [ContainerName] {
        var directories: [String] = []
        for controller in layout.mountedV1Controllers {
            directories.append("\(layout.v1Root)/\(controller.rawValue)/\(layout.parent)")
        }
        if let v2Root = layout.v2Root { directories.append("\(v2Root)/\(layout.parent)") }
        var names = Set<ContainerName>()
        for directory in directories {
            guard let entries = try? DirectoryHandle.with(directory, { handle throws(SystemError) in try handle.entries() }) else { continue }
            for entry in entries where entry.isDirectory {
                if let name = try? ContainerName(validating: entry.name) { names.insert(name) }
            }
        }
        return names.sorted()
    }
}
