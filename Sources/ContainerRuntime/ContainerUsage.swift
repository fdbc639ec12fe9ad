#if canImport(Glibc)
import Glibc
#endif
import ContainerState
import LaunchPlan

/// What a running container uses, read from its cgroup and init's /proc entry (`list`).
/// Each value is nil when the kernel does not offer it (v2 `memory.peak` before Linux 5.19, a
/// controller not mounted) or the file cannot be read: an unknown value is never shown as 0.
public struct ContainerUsage: Sendable, Equatable {
    /// Memory charged to the cgroup now, in bytes (v1 `memory.usage_in_bytes`, v2 `memory.current`).
    public var memoryCurrent: UInt64?
    /// The highest memory charge seen, in bytes (v1 `memory.max_usage_in_bytes`, v2 `memory.peak`).
    public var memoryPeak: UInt64?
    /// Tasks (threads) in the cgroup now (`pids.current`).
    public var tasks: UInt64?
    /// Seconds since init started (its start time, /proc/PID/stat field 22, on the boot clock).
    public var uptimeSeconds: UInt64?

    public init(memoryCurrent: UInt64? = nil, memoryPeak: UInt64? = nil, tasks: UInt64? = nil, uptimeSeconds: UInt64? = nil) {
        self.memoryCurrent = memoryCurrent
        self.memoryPeak = memoryPeak
        self.tasks = tasks
        self.uptimeSeconds = uptimeSeconds
    }

    /// The usage of `name` on this host's layout; `initPID` (verified to be the container's)
    /// gives the uptime.
    public static func read(_ name: ContainerName, layout: CgroupLayout, initPID: pid_t?) -> ContainerUsage {
        var usage = ContainerUsage()
        switch layout.version {
        case .v1:
            if layout.mountedV1Controllers.contains(.memory) {
                let memory = layout.v1Cgroup(.memory, for: name)
                usage.memoryCurrent = number(memory + "/memory.usage_in_bytes")
                usage.memoryPeak = number(memory + "/memory.max_usage_in_bytes")
            }
            if layout.mountedV1Controllers.contains(.pids) {
                usage.tasks = number(layout.v1Cgroup(.pids, for: name) + "/pids.current")
            }
        case .v2:
            if let cgroup = layout.v2Cgroup(for: name) {
                usage.memoryCurrent = number(cgroup + "/memory.current")
                usage.memoryPeak = number(cgroup + "/memory.peak")
                usage.tasks = number(cgroup + "/pids.current")
            }
        }
        usage.uptimeSeconds = initPID.flatMap(uptime)
        return usage
    }

    /// A control file holding one decimal number.
    static func number(_ path: String) -> UInt64? {
        LifecycleIO.read(path, limit: 64).flatMap { text in
            text.split(whereSeparator: \.isWhitespace).first.flatMap { UInt64($0) }
        }
    }

    /// Seconds since `pid` started: CLOCK_BOOTTIME now minus its start time (clock ticks since
    /// boot, the host's boot clock for a reader on the host, whatever the container's time
    /// namespace says).
    static func uptime(_ pid: pid_t) -> UInt64? {
        guard let stat = LifecycleIO.read("/proc/\(pid)/stat", limit: 4096),
            let started = startTicks(stat: stat)
        else { return nil }
        let ticksPerSecond = UInt64(sysconf(Int32(_SC_CLK_TCK)))
        var now = timespec()
        guard ticksPerSecond > 0, clock_gettime(CLOCK_BOOTTIME, &now) == 0 else { return nil }
        let startedSeconds = started / ticksPerSecond
        let nowSeconds = UInt64(now.tv_sec)
        return nowSeconds >= startedSeconds ? nowSeconds - startedSeconds : 0
    }

    /// Field 22 (starttime) of a /proc/PID/stat line. The command name (field 2) is in
    /// parentheses and may itself hold spaces and `)`: the fields are counted after the last `)`.
    static func startTicks(stat: String) -> UInt64? {
        guard let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // fields[0] is field 3 (state), so field 22 is fields[19].
        guard fields.count > 19 else { return nil }
        return UInt64(fields[19])
    }
}
