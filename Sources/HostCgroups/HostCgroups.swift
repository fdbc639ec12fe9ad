/// The cgroups of a host, as the checker, the plan generator and the lifecycle commands see
/// them: which hierarchies are mounted under the cgroup root and which controllers they offer.
///
/// A value is either probed from the running host (`CgroupProbe`, from `/proc/self/mountinfo`
/// and one `cgroup.controllers`) or assumed for another machine (`assumed(_:root:)`, what
/// `plan --cgroup v1|v2` plans for). Nothing here touches the filesystem.
public struct HostCgroups: Sendable, Equatable {
    /// Where the value came from.
    public enum Origin: Sendable, Equatable {
        /// Read from the running host.
        case probed
        /// A host of this version with every controller available (`plan --cgroup`); the
        /// running host was not looked at.
        case assumed
    }

    public var origin: Origin
    /// The directory probed (normally `/sys/fs/cgroup`), without a trailing slash.
    public var root: String
    /// The v1 controllers this project uses that are mounted directly under the root (named
    /// after the controller or after a co-mounted group reached through a symlink), in
    /// `CgroupV1Controller` order.
    public var v1Controllers: [CgroupV1Controller]
    /// The cgroup2 mount point under (or at) the root: the root on a pure v2 host,
    /// `<root>/unified` on a hybrid one; nil when there is none.
    public var v2Root: String?
    /// The controllers the v2 root's `cgroup.controllers` lists; nil when there is no v2
    /// hierarchy or the file could not be read (then nothing is known to be missing).
    public var v2Controllers: [CgroupV2Controller]?
    /// The probing process's own cgroup in the v2 hierarchy (`/proc/self/cgroup`'s `0::` line,
    /// e.g. `/system.slice/container-start-all.service`), relative to `v2Root`; nil when
    /// unknown or assumed. The launcher must leave it before it delegates controllers to a
    /// container parent inside it (cgroup v2's no-internal-processes rule).
    public var launcherV2Cgroup: String?
    /// Whether `launcherV2Cgroup` held a process other than the prober when probed (then the
    /// launcher cannot empty it by leaving: no controllers can be delegated below it).
    public var launcherCgroupIsShared = false

    public init(
        origin: Origin = .probed, root: String, v1Controllers: [CgroupV1Controller] = [],
        v2Root: String? = nil, v2Controllers: [CgroupV2Controller]? = nil, launcherV2Cgroup: String? = nil
    ) {
        self.launcherV2Cgroup = launcherV2Cgroup
        self.origin = origin
        self.root = Self.trimmingTrailingSlashes(root)
        self.v1Controllers = CgroupV1Controller.allCases.filter(v1Controllers.contains)
        self.v2Root = v2Root.map(Self.trimmingTrailingSlashes)
        self.v2Controllers = v2Controllers
    }

    /// The standard cgroup root.
    public static let defaultRoot = "/sys/fs/cgroup"

    /// A host of `version` with every controller available, for a plan made for another
    /// machine: v1 has one hierarchy per controller under `root`, v2 the unified one at `root`.
    public static func assumed(_ version: CgroupVersion, root: String = defaultRoot) -> HostCgroups {
        switch version {
        case .v1:
            HostCgroups(origin: .assumed, root: root, v1Controllers: CgroupV1Controller.allCases)
        case .v2:
            HostCgroups(origin: .assumed, root: root, v2Root: root, v2Controllers: CgroupV2Controller.allCases)
        }
    }

    /// The version containers use on this host: v2 when the root itself is a cgroup2 mount (a
    /// pure v2 host), v1 when v1 controllers are mounted under it (a v1 or hybrid host), v2
    /// when only a cgroup2 hierarchy exists somewhere under it, nil when there are no cgroups.
    public var version: CgroupVersion? {
        if v2Root == root { return .v2 }
        if !v1Controllers.isEmpty { return .v1 }
        return v2Root == nil ? nil : .v2
    }

    /// Whether the v2 root offers `controller` (true when its list could not be read).
    public func offers(_ controller: CgroupV2Controller) -> Bool {
        v2Controllers?.contains(controller) ?? true
    }

    /// Why no container can start on this host, or nil when one can: its cgroup is its
    /// identity (list and kill find it there) and the device allow-list must be enforced.
    public var shortfall: CgroupShortfall? {
        CgroupShortfall.of(version: version, root: root, v1Controllers: v1Controllers, v2Root: v2Root)
    }

    /// `path` without trailing slashes (`/` stays `/`): roots are compared as strings.
    public static func trimmingTrailingSlashes(_ path: String) -> String {
        var path = path
        while path.count > 1, path.hasSuffix("/") { path.removeLast() }
        return path
    }
}

/// What a host lacks for a container to start, with the words `check` and `start` use for it.
public enum CgroupShortfall: Sendable, Equatable, CustomStringConvertible {
    /// No cgroup hierarchy this project uses is mounted under the root: the container would have
    /// no cgroup, so `list` would not see it and `kill` could not find it.
    case noHierarchy(root: String)
    /// A v1 host without the devices controller: the device allow-list cannot be enforced.
    case noDevicesController(root: String)

    /// The shortfall of a host (or of a layout targeting `version`); nil when a container can
    /// get its own cgroup in a hierarchy list and kill use, with the device allow-list enforced
    /// (v1: the devices controller; v2: an eBPF device program, which the start step loads).
    public static func of(
        version: CgroupVersion?, root: String, v1Controllers: [CgroupV1Controller], v2Root: String?
    ) -> CgroupShortfall? {
        switch version {
        case nil: return .noHierarchy(root: root)
        case .v2: return v2Root == nil ? .noHierarchy(root: root) : nil
        case .v1:
            if v1Controllers.isEmpty { return .noHierarchy(root: root) }
            return v1Controllers.contains(.devices) ? nil : .noDevicesController(root: root)
        }
    }

    /// What is missing, as one clause.
    public var problem: String {
        switch self {
        case let .noHierarchy(root):
            "no cgroup hierarchy is mounted at \(root): the container would have no cgroup, "
                + "so `list` could not see it and `kill` could not stop it"
        case let .noDevicesController(root):
            "the devices cgroup controller is not mounted at \(root)/devices: "
                + "the device allow-list could not be enforced"
        }
    }

    /// How to mount what is missing.
    public var remedy: String {
        switch self {
        case let .noHierarchy(root):
            "mount cgroup v2 with `mount -t cgroup2 none \(root)`, or cgroup v1 controllers "
                + "(at least `mkdir -p \(root)/devices && mount -t cgroup -o devices devices \(root)/devices`)"
        case let .noDevicesController(root):
            "mount it with `mkdir -p \(root)/devices && mount -t cgroup -o devices devices \(root)/devices`"
        }
    }

    public var description: String { problem + "; " + remedy }
}
