import ContainerRuntime
import ContainerState
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
    /// The state directory: configs/, logs/, pids/, locks/.
    public let state: StateDirectory
    private var probedHost: Result<HostCgroups, CgroupLayout.InvalidParent>?

    /// An engine over `state`; nothing is read until a method needs it.
    public init(state: StateDirectory) {
        self.state = state
    }

    /// An engine over a host already probed (tests inject a probe and a parent).
    public init(state: StateDirectory, host: HostCgroups) {
        self.state = state
        self.probedHost = .success(host)
    }

    /// The running host's cgroups with the parent from `$CONTAINERS_CGROUP_PARENT`, probed on
    /// first use and kept.
    public func hostCgroups() throws(EngineError) -> HostCgroups {
        if probedHost == nil {
            do {
                probedHost = .success(HostCgroups(probe: CgroupProbe.probeHost(), parent: try CgroupLayout.parentFromEnvironment()))
            } catch { probedHost = .failure(error) }
        }
        switch probedHost! {
        case let .success(host): return host
        case let .failure(error): throw .invalidCgroupParent(error)
        }
    }

    /// The host as kill, list and start-all see it (the probed layout).
    func lifecycleHost() throws(EngineError) -> LifecycleHost {
        LifecycleHost(layout: try hostCgroups().layout())
    }
}

/// What the engine knows of the host's cgroups: the probe and the parent cgroup.
public struct HostCgroups: Sendable {
    public var probe: CgroupProbe
    /// The validated parent cgroup path (`$CONTAINERS_CGROUP_PARENT`, else the default).
    public var parent: String

    public init(probe: CgroupProbe, parent: String) {
        self.probe = probe
        self.parent = parent
    }

    /// The layout plans and lifecycle commands use: the probed version unless `version` forces one.
    public func layout(version: CgroupVersion? = nil) -> CgroupLayout {
        probe.layout(version: version, parent: parent)
    }
}
