import ContainerRuntime
import ContainerState
import HostCgroups
import LaunchPlan

/// The library behind every `container` command: compile (load → check → plan), start,
/// start-all, kill and list, over one state directory.
///
/// Commands parse their arguments, call one method here and print what it returns; nothing
/// about configs, cgroups or processes is decided in the CLI. Every method returns values
/// (typed outcomes and failures), never prints: the caller chooses the words' destination,
/// colour and prefix. The host's cgroups are probed at most once per engine, so `start-all`
/// over many containers pays for the probe once.
public final class ContainerEngine {
    /// The version `container --version` prints: the one place it is written.
    public static let version = "0.2.0"

    /// The state directory: configs/, logs/, pids/, locks/.
    public let state: StateDirectory
    private var probedHost: HostCgroups?
    private var parent: Result<String, CgroupLayout.InvalidParent>?

    /// An engine over `state`; nothing is read until a method needs it.
    public init(state: StateDirectory) {
        self.state = state
    }

    /// An engine over a host already probed and a given parent cgroup (tests inject both).
    public init(state: StateDirectory, host: HostCgroups, cgroupParent: String) {
        self.state = state
        self.probedHost = host
        self.parent = .success(cgroupParent)
    }

    /// The running host's cgroups: the one probe (`CgroupProbe.probeHost()`) that check, plan,
    /// start, kill and list all use, made on first use and kept, so `start-all` over many
    /// containers and a start's checker and planner see the same host.
    public func hostCgroups() -> HostCgroups {
        if let probedHost { return probedHost }
        let probed = CgroupProbe.probeHost()
        probedHost = probed
        return probed
    }

    /// The parent cgroup of every container (`$CONTAINERS_CGROUP_PARENT`, else the default),
    /// validated once.
    public func cgroupParent() throws(EngineError) -> String {
        if parent == nil {
            do { parent = .success(try CgroupLayout.parentFromEnvironment()) } catch { parent = .failure(error) }
        }
        switch parent! {
        case let .success(value): return value
        case let .failure(error): throw .invalidCgroupParent(error)
        }
    }

    /// The host as kill, list and start-all see it.
    func lifecycleHost() throws(EngineError) -> LifecycleHost {
        LifecycleHost(layout: CgroupLayout(host: hostCgroups(), parent: try cgroupParent()))
    }
}
