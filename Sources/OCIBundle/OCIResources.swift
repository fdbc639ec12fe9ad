import ConfigChecker
import ConfigLanguage
import JSONSupport
import LaunchPlan

/// `linux.resources`: the cgroup limits, in the OCI spec's terms (v1 semantics; runtimes
/// convert to v2 files themselves).
enum OCIResources {
    static func make(_ config: CheckedConfig, notes: inout [String]) -> JSONValue {
        var members: [(String, JSONValue)] = [("devices", .array(deviceAllowList()))]
        if let memory = memory(config, notes: &notes) { members.append(("memory", memory)) }
        if let shares = config.cpuShare { members.append(("cpu", .object([("shares", .integer(Int64(shares)))]))) }
        if let processes = config.maxProcesses {
            let limit: Int64 =
                switch processes {
                case let .count(count): count
                case .unlimited: -1
                }
            members.append(("pids", .object([("limit", .integer(limit))])))
        }
        if !config.ioLimits.isEmpty { members.append(("blockIO", blockIO(config.ioLimits))) }
        if let classID = config.netClassID {
            members.append(("network", .object([("classID", .integer(Int64(classID)))])))
        }
        return .object(members)
    }

    /// Deny everything, then allow exactly the native plan's list (`devices.deny a` and one
    /// `devices.allow` per rule): the nodes of the fresh /dev and the ptys; an absent minor is
    /// every minor, as the runtime spec says.
    static func deviceAllowList() -> [JSONValue] {
        [.object([("allow", .bool(false)), ("access", .string("rwm"))])]
            + ContainerDefaults.deviceRules.map { rule in
                .object(
                    [("allow", .bool(true)), ("type", .string(rule.kind.rawValue)), ("major", .integer(Int64(rule.major)))]
                        + (rule.minor.map { [("minor", JSONValue.integer(Int64($0)))] } ?? [])
                        + [("access", .string(rule.access.letters))])
            }
    }

    /// `memory.limit` and `memory.swap` (memory + swap, as the spec defines it), derived as
    /// the native plan derives its cgroup files (LaunchPlan's CgroupLimits): physical is
    /// min(max_physical_memory, max_memory), and max_memory alone limits physical memory too.
    static func memory(_ config: CheckedConfig, notes: inout [String]) -> JSONValue? {
        func bytes(_ limit: MemoryLimit) -> Int64? { if case let .bytes(n) = limit { n } else { nil } }
        let physical = config.maxPhysicalMemory
        let total = config.maxMemory
        let limit: MemoryLimit? =
            switch (physical, total) {
            case let (p?, t?):
                switch (bytes(p), bytes(t)) {
                case let (x?, y?): .bytes(min(x, y))
                case (_?, nil): p
                default: t
                }
            case let (p?, nil): p
            case let (nil, t?): t
            case (nil, nil): nil
            }
        guard let limit else { return nil }
        if physical == nil {
            notes.append(
                "max_memory is set without max_physical_memory: memory.limit is max_memory as "
                    + "well (as natively), so memory.swap = memory.limit allows no swap")
        }
        var members: [(String, JSONValue)] = [("limit", .integer(bytes(limit) ?? -1))]
        if let total { members.append(("swap", .integer(bytes(total) ?? -1))) }
        return .object(members)
    }

    /// One throttle entry per device and direction; the language's limits apply to reads and
    /// writes alike. Lists keep the config's order; empty lists are left out.
    static func blockIO(_ limits: [CheckedConfig.DeviceLimit]) -> JSONValue {
        func entries(_ kind: IOLimit.Kind) -> [JSONValue] {
            limits.filter { $0.kind == kind }.map { limit in
                .object([
                    ("major", .integer(Int64(limit.device.major))), ("minor", .integer(Int64(limit.device.minor))),
                    ("rate", .integer(Int64(clamping: limit.value))),
                ])
            }
        }
        var members: [(String, JSONValue)] = []
        let bps = entries(.bytesPerSecond)
        let iops = entries(.iops)
        if !bps.isEmpty { members += [("throttleReadBpsDevice", .array(bps)), ("throttleWriteBpsDevice", .array(bps))] }
        if !iops.isEmpty { members += [("throttleReadIOPSDevice", .array(iops)), ("throttleWriteIOPSDevice", .array(iops))] }
        return .object(members)
    }
}
