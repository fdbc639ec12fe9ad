import ConfigChecker
import ConfigLanguage
import JSONSupport
import LaunchPlan

/// What the OCI generator needs besides the checked config. Everything host-dependent comes in
/// here, so the same inputs give the same bytes (goldens, bundles committed to a repository).
public struct OCIOptions: Sendable, Equatable {
    /// `linux.cgroupsPath`, e.g. `/minimal_containers/web`: the container's identity cgroup, so
    /// that `container list` and `kill` see a bundle started by crun or runc. nil leaves the
    /// choice to the runtime (containerd under Kubernetes sets its own).
    public var cgroupsPath: String?

    public init(cgroupsPath: String? = nil) {
        self.cgroupsPath = cgroupsPath
    }
}

/// An OCI runtime-spec config.json and the notes about what it cannot say.
public struct OCIBundleSpec: Sendable, Equatable {
    /// The config.json document, keys in a fixed order.
    public var config: JSONValue
    /// What the native start does that the bundle does not (or does differently), one sentence
    /// each; printed on stderr as `container plan: note: …`, never dropped.
    public var notes: [String]

    /// The config.json text: two-space indented, one final newline. The same config always
    /// gives the same bytes.
    public var text: String { config.serialized(pretty: true) + "\n" }
}

/// The second back end (language.md §10): the checked config as an OCI runtime-spec 1.x
/// config.json, beside `PlanGenerator`. Both read the same `CheckedConfig` and the same
/// `ContainerDefaults` (/dev nodes, masked paths, capabilities, environment, tmpfs options),
/// so a container gets the same view whichever back end starts it. Pure: reads nothing.
public enum OCISpec {
    /// The runtime-spec version written: 1.1.0 is the first with the time namespace and
    /// `timeOffsets`.
    public static let ociVersion = "1.1.0"

    /// Where an `@` init (a host program) appears inside the container: bind-mounted read-only
    /// from the host, so the container cannot write to the host's binary through
    /// /proc/self/exe, and run from there.
    public static let hostInitPath = "/.container-init"

    /// The config.json of `config`, and the notes.
    public static func generate(_ config: CheckedConfig, options: OCIOptions = OCIOptions()) -> OCIBundleSpec {
        var notes = OCINotes.general(config)
        let resources = OCIResources.make(config, notes: &notes)
        var members: [(String, JSONValue)] = [
            ("ociVersion", .string(ociVersion)),
            ("process", process(config)),
            ("root", .object([("path", .string(config.root)), ("readonly", .bool(false))])),
        ]
        if config.namespaces.contains(.uts) { members.append(("hostname", .string(config.name))) }
        members.append(("mounts", .array(OCIMounts.make(config))))
        members.append(("linux", linux(config, resources: resources, options: options)))
        return OCIBundleSpec(config: .object(members), notes: notes)
    }

    /// The path init is exec'd from inside the container.
    public static func initPath(_ program: InitProgram) -> String {
        program.location == .host ? hostInitPath : program.path
    }

    /// init as the native start runs it: root in the container, the fixed environment, cwd
    /// `/`, the kept capabilities in the bounding, effective and permitted sets (what root
    /// gets by exec with that bounding set; inheritable and ambient stay empty), no_new_privs.
    static func process(_ config: CheckedConfig) -> JSONValue {
        let capabilities = JSONValue.array(
            ContainerDefaults.keptCapabilities.map { .string(Capability.name($0).uppercased()) })
        return .object([
            ("terminal", .bool(false)),
            ("user", .object([("uid", .integer(0)), ("gid", .integer(0))])),
            ("args", .array([.string(initPath(config.initProgram))])),
            ("env", .array(ContainerDefaults.environment.map(JSONValue.string))),
            ("cwd", .string("/")),
            (
                "capabilities",
                .object([
                    ("bounding", capabilities), ("effective", capabilities), ("permitted", capabilities),
                ])
            ),
            ("noNewPrivileges", .bool(true)),
        ])
    }

    static func linux(_ config: CheckedConfig, resources: JSONValue, options: OCIOptions) -> JSONValue {
        var members: [(String, JSONValue)] = []
        if config.namespaces.contains(.user) {
            let mapping = JSONValue.array([
                .object([
                    ("containerID", .integer(0)), ("hostID", .integer(Int64(config.idMapStart))),
                    ("size", .integer(Int64(ContainerDefaults.idMapCount))),
                ])
            ])
            members += [("uidMappings", mapping), ("gidMappings", mapping)]
        }
        members.append(("resources", resources))
        if let cgroupsPath = options.cgroupsPath { members.append(("cgroupsPath", .string(cgroupsPath))) }
        members.append(
            (
                "namespaces",
                .array(
                    namespaceTypes(config.namespaces).map {
                        .object([("type", .string($0))])
                    })
            ))
        if config.namespaces.contains(.time) {
            // Static offsets of 0: see OCINotes.timeNamespace for why not "uptime 0".
            let zero = JSONValue.object([("secs", .integer(0)), ("nanosecs", .integer(0))])
            members.append(("timeOffsets", .object([("monotonic", zero), ("boottime", zero)])))
        }
        members.append(
            (
                "devices",
                .array(
                    ContainerDefaults.deviceNodes.map { node in
                        .object([
                            ("path", .string("/dev/" + node.name)), ("type", .string("c")),
                            ("major", .integer(Int64(node.major))), ("minor", .integer(Int64(node.minor))),
                            ("fileMode", .integer(Int64(node.mode))), ("uid", .integer(0)), ("gid", .integer(0)),
                        ])
                    })
            ))
        members.append(("maskedPaths", .array((ContainerDefaults.maskedProcPaths + ContainerDefaults.maskedSysPaths).map(JSONValue.string))))
        members.append(("readonlyPaths", .array(ContainerDefaults.readOnlyProcPaths.map(JSONValue.string))))
        // The native start makes every mount private first (nothing propagates either way);
        // runc's default would be rslave.
        members.append(("rootfsPropagation", .string("rprivate")))
        return .object(members)
    }

    /// The OCI namespace types of a set, the mount namespace always included, in the order
    /// `runc spec` writes them.
    static func namespaceTypes(_ set: NamespaceSet) -> [String] {
        var types: [String] = []
        if set.contains(.pid) { types.append("pid") }
        if set.contains(.net) { types.append("network") }
        if set.contains(.ipc) { types.append("ipc") }
        if set.contains(.uts) { types.append("uts") }
        types.append("mount")
        if set.contains(.user) { types.append("user") }
        if set.contains(.cgroup) { types.append("cgroup") }
        if set.contains(.time) { types.append("time") }
        return types
    }
}
