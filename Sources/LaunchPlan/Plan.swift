import ConfigLanguage
import HostCgroups

/// The process a step runs in. The runtime forks exactly these three, in this order.
public enum StepProcess: String, Sendable, Equatable, CaseIterable {
    /// `container start` itself, on the host, as root, before and around the fork.
    case launcher
    /// The first child: it unshares the namespaces and forks init (so that init is pid 1 of a
    /// new pid namespace and lives in the new time namespace, which only children enter).
    case child
    /// The container's init: it builds the mount tree, pivots into the root and execs.
    case `init`
}

/// The launch plan: every effect `container start` has, in order (language.md §7).
///
/// The runtime interprets these steps one by one and decides nothing the plan does not say;
/// `container plan` prints exactly this value.
public struct Plan: Sendable, Equatable {
    /// Bumped whenever the JSON shape changes incompatibly.
    public static let currentSchemaVersion = 1

    public var schemaVersion: Int
    /// The container's name (also its hostname with `h`).
    public var container: String
    /// The config file the plan was compiled from.
    public var configPath: String
    /// `sha256:` + hex digest of the config file's bytes; `start --plan` refuses a plan whose
    /// config no longer hashes to this.
    public var configHash: String
    public var cgroup: CgroupVersion
    public var steps: [Step]
    /// Added by plan: what the plan cannot do on this cgroup version and says so instead of
    /// failing silently (net_classid on v2), and defaults it chose.
    /// Informational: the runtime prints them (stderr and log) when it starts the plan and
    /// executes nothing for them.
    public var notes: [String]

    public init(
        schemaVersion: Int = Plan.currentSchemaVersion, container: String, configPath: String,
        configHash: String, cgroup: CgroupVersion, steps: [Step], notes: [String] = []
    ) {
        self.schemaVersion = schemaVersion
        self.container = container
        self.configPath = configPath
        self.configHash = configHash
        self.cgroup = cgroup
        self.steps = steps
        self.notes = notes
    }
}

/// One step: the process it runs in and the action, with every path and value it uses.
public struct Step: Sendable, Equatable {
    public var process: StepProcess
    public var action: StepAction
    public init(_ process: StepProcess, _ action: StepAction) {
        self.process = process
        self.action = action
    }
}

/// What to do when a step fails.
public enum FailurePolicy: String, Sendable, Equatable {
    /// Stop the start, undo what was done (the default).
    case abort
    /// Print a warning (stderr and log) and go on: the seed's rule for `mount`.
    case warn
}

/// A bind mount as the init process performs it; `target` is inside the new root.
public struct BindMount: Sendable, Equatable {
    public var source: String
    /// Absolute path inside the container (resolved inside the root, never following symlinks).
    public var target: String
    public var readOnly: Bool
    public var onFailure: FailurePolicy
    public init(source: String, target: String, readOnly: Bool, onFailure: FailurePolicy) {
        self.source = source
        self.target = target
        self.readOnly = readOnly
        self.onFailure = onFailure
    }
}

/// A device node made available in the container's fresh /dev.
public struct DeviceNode: Sendable, Equatable {
    /// Name under /dev, e.g. `null`.
    public var name: String
    public var major: UInt32
    public var minor: UInt32
    /// Permission bits, e.g. 0o666.
    public var mode: UInt32
    public init(name: String, major: UInt32, minor: UInt32, mode: UInt32) {
        self.name = name
        self.major = major
        self.minor = minor
        self.mode = mode
    }
}

/// How init's standard streams and life are tied to the caller, chosen by `start`'s flags.
/// Not part of the compiled plan (the same plan starts in any mode); the runtime gets it
/// beside the plan.
public enum StartMode: String, Sendable, Equatable {
    /// Default: return once init has been exec'd; stdio to the log.
    case detached
    /// `-d`: stay in the foreground, stdio to the log, exit with init's status.
    case foreground
    /// `-s`: run `$SHELL` instead of init on the caller's terminal, environment cleared.
    case shell
    /// `-se`: as `-s`, keeping the caller's environment.
    case shellKeepEnvironment
}

/// Every kind of step (language.md §7). Paths are absolute; cgroup paths are full paths under
/// the cgroup mount, so the runtime never composes a path itself.
public enum StepAction: Sendable, Equatable {
    // launcher, before the fork
    /// Take the per-container exclusive lock (flock) held until the launcher exits.
    case lock(path: String)
    /// Refuse if any of these cgroups holds a process (the container is running); remove the
    /// ones that exist and are empty (left by a stopped container).
    case ensureNotRunning(cgroups: [String])
    /// mkdir a cgroup directory (parents included).
    case createCgroup(path: String)
    /// Write a value into a cgroup control file (limits, device rules, subtree_control).
    case writeCgroup(path: String, value: String)
    /// cgroup v2: load an eBPF program (BPF_PROG_TYPE_CGROUP_DEVICE) that allows exactly
    /// `rules` and denies every other device, and attach it to `cgroup` (BPF_CGROUP_DEVICE).
    /// (plan) Right after the container's cgroup is created, before any process is in it;
    /// the same list as v1's `devices.allow`. A kernel that refuses it fails the start.
    case attachDeviceFilter(cgroup: String, rules: [DeviceRule])
    /// Fork the child process.
    case forkChild

    // child
    /// unshare(2) the mount namespace and these namespaces.
    case unshare(namespaces: NamespaceSet)
    /// launcher: move the child into the cgroup by writing its pid to `<cgroup>/cgroup.procs`.
    /// (plan) One step per cgroup directory (v1: one per controller), right after `forkChild`
    /// and before the child's `unshare`, so a cgroup namespace (`c`) is rooted at the
    /// container's cgroup and init is born inside it.
    case attachChild(cgroup: String)
    /// launcher: write the child's `/proc/PID/uid_map` (or gid_map) as `0 <hostStart> <count>`.
    case writeIDMap(kind: IDMapKind, containerStart: UInt32, hostStart: UInt32, count: UInt32)
    /// child: set the time namespace's offsets so that CLOCK_MONOTONIC and CLOCK_BOOTTIME
    /// read 0 at init's start (the offsets are minus their host values, read at this step).
    case resetTimeNamespaceClocks
    /// child: fork init (pid 1 of a new pid namespace).
    case forkInit

    // init
    /// Make every mount in the new namespace private, recursively, before any other mount.
    case makeMountsPrivate
    /// Bind-mount the root onto itself so that it is a mount point pivot_root accepts.
    case bindRootToItself(root: String)
    /// Mount a fresh tmpfs at a path inside the root.
    /// (plan) `target` is the full host-side path before pivot_root (`/srv/web/dev`,
    /// `/srv/web/dev/shm`, `/srv/web/tmp`), resolved inside the root without following
    /// symlinks; the directory is created (mode 0755) when missing. `options` is the mount(2)
    /// data string; `nosuid`, `nodev`, `noexec` in it are turned into MS_* flags.
    case mountTmpfs(target: String, options: String)
    /// Mount procfs for the new pid namespace at `<root>/proc`.
    /// (plan) `target` is the full host-side path, e.g. `/srv/web/proc`; flags nosuid,nodev,noexec.
    case mountProc(target: String)
    /// Populate the fresh /dev: nodes (mknod, or bind from the host's node inside a user
    /// namespace, where mknod is not allowed), and the standard symlinks.
    /// (plan) `target` is the full host-side path of the tmpfs mounted by the previous step
    /// (`/srv/web/dev`); nodes are created (or bound from `/dev/<name>`) as `<target>/<name>`,
    /// with exactly `mode`; symlinks: `fd`→`/proc/self/fd`, `stdin`, `stdout`,
    /// `stderr`→`/proc/self/fd/0…2`. The plan allows the same nodes, and only them, in the
    /// devices cgroup (v1) or the eBPF device filter (v2).
    case populateDev(target: String, nodes: [DeviceNode], bindFromHost: Bool)
    /// Bind-mount a host path into the container.
    case bindMount(BindMount)
    /// Hide and protect /proc paths: masked ones get /dev/null (files) or an empty ro tmpfs
    /// (directories) mounted over them; read-only ones are rebound read-only.
    /// (plan) Runs just before pivotRoot, after the config's mounts; the paths are the
    /// container's (`/proc/kcore`), resolved inside the root; a path that does not exist on
    /// this kernel is skipped (there is nothing to hide).
    case protectProc(masked: [String], readOnly: [String])
    /// pivot_root into `root`, detach and remove the old root.
    case pivotRoot(root: String)
    /// sethostname(2), in the new UTS namespace.
    /// (plan) An `init` step, right after pivotRoot; only with `h`.
    case setHostname(String)
    /// Drop privileges that the container must not gain back: PR_SET_NO_NEW_PRIVS and the
    /// capability bounding set reduced to `keepCapabilities` (numbers, see capabilities(7)).
    case restrictPrivileges(keepCapabilities: [UInt32])
    /// Redirect init's stdin to /dev/null and stdout/stderr to the log (detached, foreground).
    /// (plan) An `init` step, just before exec. `logPath` is a host path: the launcher opens
    /// it before forking (O_APPEND|O_CLOEXEC|O_NOFOLLOW, 0640) and the fd is inherited, since
    /// init cannot open it after pivot_root or as a mapped user.
    case redirectOutput(logPath: String)
    /// Record init's host pid in the pid file (launcher, after init reported its pid).
    /// (plan) It is the last step, after `exec`: the launcher writes it once init's exec has
    /// succeeded (the exec-status pipe closed without an error), temp file + rename.
    case writePidFile(path: String)
    /// Close every fd ≥ 3 except the exec-status pipe (close-on-exec), chdir("/"), verify the
    /// cwd is inside the root, clear the environment, then exec init.
    /// (plan) A host program (`location == .host`) is never exec'd from the host's file: the
    /// launcher copies it into a memfd sealed against writes, truncation and growth before it
    /// forks (the copy is read on the host), and init execs the copy by fd (CVE-2019-5736).
    /// The same holds for `-s`/`-se` with `$SHELL=@/path`.
    case exec(program: InitProgram, environment: [String])

    // Idmapped mounts (`u` with id_map_mode=idmap, language.md §12), kept as one block.
    /// launcher: a detached, recursive copy of the host tree `source` (open_tree
    /// OPEN_TREE_CLONE|AT_RECURSIVE) idmapped (mount_setattr MOUNT_ATTR_IDMAP) with the map
    /// `containerStart hostStart count` (a helper user namespace with that uid_map and gid_map),
    /// held open for init's `attachIDMappedMount` of the same source.
    /// (plan) Right after ensureNotRunning, before any cgroup exists: a filesystem that cannot
    /// be idmapped refuses the start before anything changed. The root's step aborts; a
    /// mount's has the mount's policy (`warn`: the mount is skipped).
    case prepareIDMappedMount(source: String, containerStart: UInt32, hostStart: UInt32, count: UInt32,
                              onFailure: FailurePolicy)
    /// init: attach the tree prepared for `mount.source` on top of `mount.target` (move_mount),
    /// then remount it read-only when `readOnly`. Target `/` is the root itself: its step
    /// follows bindRootToItself and later steps resolve paths in the idmapped root.
    case attachIDMappedMount(BindMount)
}

/// uid_map or gid_map.
public enum IDMapKind: String, Sendable, Equatable { case uid, gid }
