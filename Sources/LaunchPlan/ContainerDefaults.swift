/// The fixed parts of every plan: what a container gets regardless of its config. They are
/// decided here, once, so that the runtime never has to (docs/plan.md explains each choice).
public enum ContainerDefaults {
    /// The nodes of the container's fresh /dev, the same short list runc and Docker create.
    /// The v1 devices cgroup allows exactly these (plus nothing else).
    public static let deviceNodes: [DeviceNode] = [
        DeviceNode(name: "null", major: 1, minor: 3, mode: 0o666),
        DeviceNode(name: "zero", major: 1, minor: 5, mode: 0o666),
        DeviceNode(name: "full", major: 1, minor: 7, mode: 0o666),
        DeviceNode(name: "random", major: 1, minor: 8, mode: 0o666),
        DeviceNode(name: "urandom", major: 1, minor: 9, mode: 0o666),
        DeviceNode(name: "tty", major: 5, minor: 0, mode: 0o666),
    ]

    /// The ids a user namespace maps (container 0…65535).
    public static let idMapCount: UInt32 = 65_536

    /// tmpfs mount data for /dev (holds only nodes and symlinks: small, no exec).
    public static let devTmpfsOptions = "nosuid,noexec,mode=755,size=65536k"
    /// tmpfs mount data for /dev/shm (POSIX shared memory).
    public static let shmTmpfsOptions = "nosuid,nodev,noexec,mode=1777,size=65536k"
    /// tmpfs mount data for /tmp (sticky, world-writable like a normal /tmp).
    public static let tmpTmpfsOptions = "nosuid,nodev,mode=1777"

    /// devpts mount data for /dev/pts: a new instance of its own (the host's ptys stay
    /// invisible), ptmx usable by everyone, slaves `crw--w---- root:tty` as on a host.
    public static let devptsOptions = "nosuid,noexec,newinstance,ptmxmode=0666,mode=0620,gid=5"
    /// The devpts instance's ptmx inside the container: where `start -s` (`setUpConsole`) and
    /// `exec -t` (`execCommand`) open their pty.
    public static let ptmxPath = "/dev/pts/ptmx"
    /// /dev/ptmx is a symlink to the instance's ptmx (what devpts(5) asks for with newinstance).
    public static let ptmxLinkDestination = "pts/ptmx"

    /// /sys paths hidden from the container (Docker's default): firmware tables (ACPI, EFI
    /// variables, DMI) are host facts and, for efivars, writable.
    public static let maskedSysPaths = ["/sys/firmware"]

    /// /proc paths hidden from the container (Docker's default masked paths that live in
    /// /proc).
    public static let maskedProcPaths = [
        "/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
        "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi",
    ]
    /// /proc paths made read-only (Docker's default read-only paths).
    public static let readOnlyProcPaths = [
        "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger",
    ]

    /// The capability bounding set init keeps: Docker's default set. Everything else
    /// (CAP_SYS_ADMIN, CAP_SYS_MODULE, CAP_SYS_PTRACE, CAP_NET_ADMIN, …) is dropped.
    public static let keptCapabilities: [UInt32] = [
        Capability.chown, Capability.dacOverride, Capability.fowner, Capability.fsetid,
        Capability.kill, Capability.setgid, Capability.setuid, Capability.setpcap,
        Capability.netBindService, Capability.netRaw, Capability.sysChroot, Capability.mknod,
        Capability.auditWrite, Capability.setfcap,
    ]

    /// init's environment (the caller's environment is never passed, except with `-se`).
    /// `container=` is how systemd and other inits recognise that they run in a container.
    public static let environment = [
        "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        "HOME=/root",
        "container=minimal_containers",
    ]
}

/// Capability numbers (linux/capability.h) the plan names, and their names for the text form.
public enum Capability {
    public static let chown: UInt32 = 0
    public static let dacOverride: UInt32 = 1
    public static let fowner: UInt32 = 3
    public static let fsetid: UInt32 = 4
    public static let kill: UInt32 = 5
    public static let setgid: UInt32 = 6
    public static let setuid: UInt32 = 7
    public static let setpcap: UInt32 = 8
    public static let netBindService: UInt32 = 10
    public static let netRaw: UInt32 = 13
    public static let sysChroot: UInt32 = 18
    public static let mknod: UInt32 = 27
    public static let auditWrite: UInt32 = 29
    public static let setfcap: UInt32 = 31
    /// The highest capability number known to current kernels (CAP_CHECKPOINT_RESTORE).
    public static let last: UInt32 = 40

    private static let names = [
        "chown", "dac_override", "dac_read_search", "fowner", "fsetid", "kill", "setgid",
        "setuid", "setpcap", "linux_immutable", "net_bind_service", "net_broadcast",
        "net_admin", "net_raw", "ipc_lock", "ipc_owner", "sys_module", "sys_rawio",
        "sys_chroot", "sys_ptrace", "sys_pacct", "sys_admin", "sys_boot", "sys_nice",
        "sys_resource", "sys_time", "sys_tty_config", "mknod", "lease", "audit_write",
        "audit_control", "setfcap", "mac_override", "mac_admin", "syslog", "wake_alarm",
        "block_suspend", "audit_read", "perfmon", "bpf", "checkpoint_restore",
    ]

    /// `cap_chown` for 0; `cap_42` for numbers newer than this table.
    public static func name(_ number: UInt32) -> String {
        number < names.count ? "cap_" + names[Int(number)] : "cap_\(number)"
    }
}
