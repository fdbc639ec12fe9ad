import ConfigChecker
import ContainerState
import HostCgroups

#if canImport(Glibc)
import Glibc
#endif

/// Where a container's cgroups live: the path of every cgroup directory of a container, for
/// the plan generator (which ones to create and write) and for `kill`/`list` (which ones to
/// look at).
///
/// v1: one directory per controller, `<v1Root>/<controller>/<parent>/<name>`.
/// v2: one directory, `<v2Root>/<parent>/<name>`.
/// Nothing here touches the filesystem; `init(host:version:parent:)` takes the values from
/// the one probe of the host (`HostCgroups`).
public struct CgroupLayout: Sendable, Equatable {
    /// Where cgroup hierarchies are mounted on a standard host.
    public static let defaultRoot = HostCgroups.defaultRoot
    /// The cgroup that holds every container's cgroup, under each hierarchy.
    public static let defaultParent = "minimal_containers"
    /// Overrides `defaultParent` (tests use a unique one so they never meet real containers).
    public static let parentEnvironmentVariable = "CONTAINERS_CGROUP_PARENT"

    /// The hierarchy plans target.
    public var version: CgroupVersion
    /// The directory holding one mount per v1 controller (`/sys/fs/cgroup`).
    public var v1Root: String
    /// The cgroup2 mount: `/sys/fs/cgroup` on a pure v2 host, `/sys/fs/cgroup/unified` on a
    /// hybrid one; nil when the host has no cgroup2 hierarchy.
    public var v2Root: String?
    /// Relative path of the parent cgroup, e.g. `minimal_containers` (validated: one or more
    /// `/`-separated components that are valid container names).
    public var parent: String
    /// The v1 controllers mounted on the host (all of them when the layout is not probed).
    /// `identityCgroups` looks at these.
    public var mountedV1Controllers: [CgroupV1Controller]
    /// The controllers the v2 root offers (its `cgroup.controllers`); nil when unknown,
    /// meaning all of them. The plan does not ask for one the host lacks: it says so in a note
    /// instead (the checker warns about it too).
    public var availableV2Controllers: [CgroupV2Controller]?
    /// Whether the values were probed on this host or assumed for another (`plan --cgroup`).
    public var origin: HostCgroups.Origin = .probed
    /// The launcher's own v2 cgroup (see `HostCgroups.launcherV2Cgroup`).
    public var launcherV2Cgroup: String?
    /// Whether other processes share the launcher's v2 cgroup (see `HostCgroups`).
    public var launcherCgroupIsShared = false
    /// The leaf the launcher moves itself into when the container parent is inside its own
    /// cgroup. Not a valid container name (it starts with `_`), so `list` never takes it for
    /// a container when the parent is the launcher's cgroup itself.
    public static let launcherLeafName = "_launcher"

    public init(
        version: CgroupVersion, v1Root: String = CgroupLayout.defaultRoot, v2Root: String?,
        parent: String = CgroupLayout.defaultParent,
        mountedV1Controllers: [CgroupV1Controller] = CgroupV1Controller.allCases,
        availableV2Controllers: [CgroupV2Controller]? = nil
    ) {
        self.version = version
        self.v1Root = HostCgroups.trimmingTrailingSlashes(v1Root)
        self.v2Root = v2Root.map(HostCgroups.trimmingTrailingSlashes)
        self.parent = parent
        self.mountedV1Controllers = mountedV1Controllers
        self.availableV2Controllers = availableV2Controllers
    }

    /// The layout of `host` (probed or assumed), targeting its version; v1 when it has no
    /// cgroups at all (`shortfall` then says so, and the plan generator refuses).
    public init(host: HostCgroups, parent: String) {
        self.init(
            version: host.version ?? .v1, v1Root: host.root, v2Root: host.v2Root, parent: parent,
            mountedV1Controllers: host.v1Controllers, availableV2Controllers: host.v2Controllers)
        origin = host.origin
        launcherV2Cgroup = host.launcherV2Cgroup
        launcherCgroupIsShared = host.launcherCgroupIsShared
    }

    /// The leaf cgroup (full path) the launcher must move into before it enables controllers
    /// for the containers, or nil when it need not: on cgroup v2 a cgroup that holds a process
    /// cannot delegate controllers to children (EBUSY, or worse a switch to "threaded" mode), so
    /// when the parent is the launcher's own cgroup or below it (a systemd service with
    /// `Delegate=yes` whose containers live in its subtree) the launcher leaves it first.
    public func launcherLeaf() -> String? {
        guard let v2Root, parentIsInsideLauncherCgroup, let own = launcherV2Cgroup else { return nil }
        return v2Root + own + "/" + Self.launcherLeafName
    }

    /// Whether the container parent is the launcher's own v2 cgroup or below it.
    public var parentIsInsideLauncherCgroup: Bool {
        guard let own = launcherV2Cgroup, own != "/" else { return false }
        let parentPath = "/" + parent
        return parentPath == own || parentPath.hasPrefix(own + "/")
    }

    /// Why a container planned with this layout would have no cgroup of its own in a hierarchy
    /// `list` and `kill` use, or no device allow-list; nil when it has both.
    public var shortfall: CgroupShortfall? {
        CgroupShortfall.of(version: version, root: v1Root, v1Controllers: mountedV1Controllers, v2Root: v2Root)
    }

    /// The cgroup directory of `name` for one v1 controller.
    public func v1Cgroup(_ controller: CgroupV1Controller, for name: ContainerName) -> String {
        "\(v1Root)/\(controller.rawValue)/\(parent)/\(name.rawValue)"
    }

    /// The cgroup directory of `name` in the v2 hierarchy (nil when there is none).
    public func v2Cgroup(for name: ContainerName) -> String? {
        v2Root.map { "\($0)/\(parent)/\(name.rawValue)" }
    }

    /// The v1 controllers a container with these settings uses, in the order the plan creates
    /// them: devices, freezer, pids always, then memory, cpu, blkio, net_cls as needed.
    public static func v1Controllers(
        memory: Bool, cpu: Bool, blockIO: Bool, netClass: Bool
    ) -> [CgroupV1Controller] {
        var controllers = CgroupV1Controller.alwaysUsed
        if memory { controllers.append(.memory) }
        if cpu { controllers.append(.cpu) }
        if blockIO { controllers.append(.blkio) }
        if netClass { controllers.append(.netCls) }
        return controllers
    }

    /// The cgroup directories from the hierarchy root down to (excluding) the container's
    /// cgroup in v2: the root and every component of `parent`. Controllers must be enabled in
    /// each one's `cgroup.subtree_control` for the container's cgroup to have them.
    public func v2Ancestors() -> [String] {
        guard let v2Root else { return [] }
        var paths = [v2Root]
        var current = v2Root
        for component in parent.split(separator: "/") {
            current += "/" + component
            paths.append(current)
        }
        return paths
    }

    /// Every cgroup directory that may hold a process of `name`, whatever config it was started
    /// with: each mounted v1 controller's directory, then the v2 one when the host has a cgroup2
    /// hierarchy. `kill` and `list` look at all of them, because the config (and so the set of
    /// controllers) may have changed since the container started, and a plan for the other
    /// version may have been started with `start --plan`.
    public func identityCgroups(for name: ContainerName) -> [String] {
        var paths = mountedV1Controllers.map { v1Cgroup($0, for: name) }
        if let v2 = v2Cgroup(for: name) { paths.append(v2) }
        return paths
    }

    /// Why a cgroup parent is refused.
    public struct InvalidParent: Error, Sendable, Equatable, CustomStringConvertible {
        public let parent: String
        public var description: String {
            "invalid cgroup parent '\(parent)' (\(CgroupLayout.parentEnvironmentVariable)): "
                + "expected '/'-separated names of letters, digits, '_', '.', '-'"
        }
    }

    /// Checks a parent cgroup path: relative, each component a valid name (so no `..`, no
    /// empty component); a leading or trailing `/` is dropped.
    public static func validatedParent(_ parent: String) throws(InvalidParent) -> String {
        let components = parent.split(separator: "/", omittingEmptySubsequences: false)
        var kept = components[...]
        if kept.first == "" { kept = kept.dropFirst() }
        if kept.last == "" { kept = kept.dropLast() }
        guard !kept.isEmpty, kept.allSatisfy({ ContainerName.isValid(String($0)) }) else {
            throw InvalidParent(parent: parent)
        }
        return PathNormalization.joined(kept, separator: "/")
    }

    /// `$CONTAINERS_CGROUP_PARENT` when set and not empty, else `minimal_containers`.
    public static func parentFromEnvironment() throws(InvalidParent) -> String {
        guard let value = getenv(parentEnvironmentVariable), value.pointee != 0 else {
            return defaultParent
        }
        return try validatedParent(String(cString: value))
    }
}
