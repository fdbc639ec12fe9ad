import ConfigChecker
import ConfigLanguage

/// A memory amount as written to a cgroup file.
enum CgroupAmount: Equatable {
    case bytes(Int64)
    case unlimited

    /// v1 spells unlimited `-1`.
    var v1Value: String { if case let .bytes(n) = self { String(n) } else { "-1" } }
    /// v2 spells unlimited `max`.
    var v2Value: String { if case let .bytes(n) = self { String(n) } else { "max" } }

    init(_ limit: MemoryLimit) {
        switch limit {
        case let .bytes(n): self = .bytes(n)
        case .unlimited: self = .unlimited
        }
    }

    static func min(_ a: CgroupAmount, _ b: CgroupAmount) -> CgroupAmount {
        switch (a, b) {
        case let (.bytes(x), .bytes(y)): .bytes(Swift.min(x, y))
        case (.bytes, .unlimited): a
        default: b
        }
    }
}

/// The limits of a config in cgroup terms, derived once for both versions.
///
/// Physical memory is `min(max_physical_memory, max_memory)`, and `max_memory` alone limits
/// physical memory too: physical ≤ physical + swap, and v1 refuses a memsw limit below
/// `memory.limit_in_bytes` (which is unlimited in a new cgroup).
struct CgroupLimits {
    /// memory.limit_in_bytes / memory.max; nil when neither memory key is set.
    var physical: CgroupAmount?
    /// memory.memsw.limit_in_bytes (v1); nil when max_memory is not set.
    var total: CgroupAmount?
    /// memory.swap.max (v2) = total − physical; nil when max_memory is not set.
    var swap: CgroupAmount?
    /// pids.max.
    var processes: String?
    var memoryTotalWithoutPhysical: Bool

    init(_ config: CheckedConfig) {
        let physical = config.maxPhysicalMemory.map(CgroupAmount.init)
        let total = config.maxMemory.map(CgroupAmount.init)
        memoryTotalWithoutPhysical = total != nil && physical == nil
        switch (physical, total) {
        case let (p?, t?): self.physical = CgroupAmount.min(p, t)
        case let (p?, nil): self.physical = p
        case let (nil, t?): self.physical = t
        case (nil, nil): self.physical = nil
        }
        self.total = total
        if let total, let effective = self.physical {
            switch (total, effective) {
            case let (.bytes(t), .bytes(p)): swap = .bytes(t - p)
            default: swap = .unlimited
            }
        }
        switch config.maxProcesses {
        case let .count(n)?: processes = String(n)
        case .unlimited?: processes = "max"
        case nil: processes = nil
        }
    }
}
