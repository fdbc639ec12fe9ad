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

/// A mount target the launcher makes sure exists in the root before any namespace is entered.
public struct MountTarget: Sendable, Equatable {
    /// The target inside the container (`/sys`, `/data`).
    public var path: String
    /// The bind mount's source: the target is created as a directory when the source is one
    /// (or when there is no source: the plan's own mounts), else as an empty file.
    public var source: String?
    public init(path: String, source: String?) {
        self.path = path
        self.source = source
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
    // Shells, consoles, /sys, mqueue and mount targets (issue 10).
    /// launcher, before the fork: create the missing mount targets inside `root` as host root,
    /// so that a container root mapped to an unprivileged uid never has to mkdir in a
    /// root-owned directory. Every component is resolved inside the root (openat2
    /// RESOLVE_IN_ROOT|RESOLVE_NO_SYMLINKS) and created relative to its parent's fd; an
    /// existing target is left alone. A target whose source is missing, or that cannot be made
    /// (a warning), is left to its mount step, which fails or warns by its own policy.
    case createMountTargets(root: String, targets: [MountTarget])
    /// child, right after unshare and before the id maps take effect: open `root` (O_PATH) while
    /// the process still has the host's root uid, so that a root below a directory the
    /// container's uid cannot traverse still starts. bindRootToItself binds this fd.
    case openRoot(root: String)
    /// child, right after openRoot: open each bind source (O_PATH) for the same reason; a
    /// source that cannot be opened here is opened again by its bind step, which reports the
    /// failure by its policy. (plan) Only when the config has mounts.
    case openMountSources(sources: [String])
    /// init: mount a new devpts instance at `target` (full host-side path before pivot_root)
    /// with `options` (mount data; nosuid/noexec become MS_* flags), then the symlink
    /// `ptmxLink` → `ptmx` (relative: `pts/ptmx`).
    case mountDevpts(target: String, options: String, ptmxLink: String, ptmx: String)
    /// init: mount an mqueue filesystem (POSIX message queues of the new IPC namespace) at
    /// `target`, nosuid,nodev,noexec. Only with `i`.
    case mountMqueue(target: String)
    /// init, with `n`: a fresh sysfs at `target`, read-only (nosuid, nodev, noexec): it shows
    /// the container's own network namespace (its interfaces only). Without `n` the host's
    /// /sys is bound instead (`bindReadOnlyTree`).
    case mountSysfs(target: String)
    /// init: bind `source` (a host path) recursively at `target` inside the root, then make
    /// every mount of the bound tree read-only (mount_setattr AT_RECURSIVE): /sys without a
    /// network namespace of the container's own.
    case bindReadOnlyTree(source: String, target: String)
    /// init: when the start gives the container a terminal (`-s`/`-se` with a terminal on
    /// stdin), open a new pty through `ptmx` (the container's devpts, so it is /dev/pts/N
    /// inside), bind its slave onto `console` (created as an empty file) and hand the master
    /// to the launcher, which relays it to the caller's terminal. Without a terminal: nothing.
    case setUpConsole(ptmx: String, console: String)

    /// Record init's host pid in the pid file (launcher, after init reported its pid).
    /// (plan) It is the last step, after `exec`: the launcher writes it once init's exec has
    /// succeeded (the exec-status pipe closed without an error), temp file + rename.
    case writePidFile(path: String)
    /// Close every fd ≥ 3 except the exec-status pipe (close-on-exec), chdir("/"), verify the
    /// cwd is inside the root, clear the environment, then exec init.
    /// (plan) A host program (`location == .host`) is never exec'd from the host's file: the
    /// launcher copies it into a memfd sealed against writes, truncation and growth before it
    /// forks (the copy is read on the host), and init execs the copy by fd (CVE-2019-5736).
    /// The same holds for `-s`/`-se` with `$SHELL=@/path`. init is exec'd with every signal
    /// unblocked and at its default disposition (a caller's blocked or ignored SIGTERM would
    /// otherwise make a `trap` in init ineffective and `container stop` wait for nothing).
    case exec(program: InitProgram, environment: [String])

    // Exec plan (`container exec`, `plan --exec`): ExecPlanGenerator. Two processes: the
    // launcher is `container exec`, which joins the container itself (as nsenter does), and
    // "init" is the process it forks inside the container's pid namespace, which execs CMD (it is
    // never the container's init). No exec step runs in a "child".
    /// launcher: read init's pid from the pid file, open a pidfd for it (pidfd_open) and verify
    /// that the pid is a process of `cgroups` (after the pidfd is open, so a recycled pid is
    /// never joined). Refuses (exit 1) when the container is not running.
    case findInit(pidPath: String, cgroups: [String])
    /// launcher: PR_SET_DUMPABLE 0 before it enters the cgroup or any namespace, inherited by
    /// the command's process (CVE-2016-9962: no ptrace or /proc/PID access by the container's
    /// processes to a process that still holds host resources).
    case makeNonDumpable
    /// launcher: move the launcher itself into `cgroup` (its pid to `<cgroup>/cgroup.procs`),
    /// before any namespace is joined: the command's process is then born in the cgroup (one
    /// step per v1 hierarchy, one on v2).
    case enterCgroup(cgroup: String)
    /// launcher: join init's namespaces: `setns(pidfd, flags)` in one call where the kernel has
    /// it (≥ 5.8), else `setns` on `/proc/PID/ns/*`, the user namespace last. The mount
    /// namespace is always joined; the working directory becomes its root.
    case joinNamespaces(namespaces: NamespaceSet)
    /// launcher: fork the process that execs CMD, so that it is in the joined pid (and time)
    /// namespace, and wait for it.
    case forkCommand
    /// init (of an exec plan): setgroups([]), setresgid(gid), setresuid(uid): init's
    /// credentials inside the container.
    case setCredentials(uid: UInt32, gid: UInt32)
    /// init (of an exec plan): close every fd ≥ 3, chdir("/") and verify it, the standard
    /// streams (the caller's, or with `-t` a new pty opened through `ptmx`, the container's
    /// devpts, as controlling terminal), then execvp `arguments` inside the container with
    /// `environment` (`-e`: the caller's, with these for missing names), every signal unblocked
    /// and at its default. Exit 127 when not found, 126 when not executable.
    case execCommand(arguments: [String], environment: [String], ptmx: String)
    // Networking (language.md §9, docs/networking.md): one step per netlink request
    // (NETLINK_ROUTE, no `ip` binary).
    /// launcher, before the fork: refuse unless `name` is a bridge (RTM_GETLINK; its
    /// IFLA_INFO_KIND is "bridge"), so that a start on a host without it changes nothing.
    case requireBridge(name: String)
    /// launcher, before the fork: RTM_DELLINK the veth `name` when it exists and its alias is
    /// `owner` (this container's: left by a launcher that was killed; ensureNotRunning has
    /// shown the container is not running). Any other interface of that name is refused,
    /// never deleted.
    case deleteStaleLink(name: String, owner: String)
    /// launcher, after the child's unshare: RTM_NEWLINK kind "veth" named `hostName`, alias
    /// `owner`, whose peer `peerName` is created inside the child's network namespace
    /// (IFLA_NET_NS_PID in VETH_INFO_PEER). Undone (RTM_DELLINK `hostName`) when a later step
    /// fails; the pair disappears with the namespace when the container's last process exits.
    case createVethPair(hostName: String, peerName: String, owner: String)
    /// launcher: RTM_NEWLINK IFLA_MASTER: `link` joins `bridge`.
    case attachToBridge(link: String, bridge: String)
    /// launcher: RTM_NEWLINK with IFF_UP on a host interface (the veth's host end).
    case setHostLinkUp(name: String)
    /// child, in the new network namespace: RTM_NEWADDR `address` on `link`
    /// (NLM_F_REPLACE; IPv6 with IFA_F_NODAD, so the address is usable at once).
    case addAddress(link: String, address: InterfaceAddress)
    /// child, in the new network namespace: RTM_NEWLINK with IFF_UP on `name`.
    case setLinkUp(name: String)
    /// child, in the new network namespace: RTM_NEWROUTE default route via `gateway` on `link`.
    case addDefaultRoute(link: String, gateway: IPAddress)
    // Idmapped mounts (`u` with id_map_mode=idmap, language.md §12), kept as one block.
    /// launcher: a detached, recursive copy of the host tree `source` (open_tree
    /// OPEN_TREE_CLONE|AT_RECURSIVE) idmapped (mount_setattr MOUNT_ATTR_IDMAP) with the map
    /// `containerStart hostStart count` (a helper user namespace with that uid_map and gid_map),
    /// held open for init's `attachIDMappedMount` of the same source.
    /// (plan) Right after ensureNotRunning, before any cgroup exists: a filesystem that cannot
    /// be idmapped refuses the start before anything changed. The root's step aborts; a
    /// mount's has the mount's policy (`warn`: the mount is skipped).
    case prepareIDMappedMount(
        source: String, containerStart: UInt32, hostStart: UInt32, count: UInt32,
        onFailure: FailurePolicy)
    /// init: attach the tree prepared for `mount.source` on top of `mount.target` (move_mount),
    /// then remount it read-only when `readOnly`. Target `/` is the root itself: its step
    /// follows bindRootToItself and later steps resolve paths in the idmapped root.
    case attachIDMappedMount(BindMount)
}

/// uid_map or gid_map.
public enum IDMapKind: String, Sendable, Equatable { case uid, gid }
