import ConfigLanguage
import Diagnostics

/// Rules on the memory limits: `size-too-small` and `memory-total-below-physical`.
enum MemoryRules {
    /// Below this a limit is almost certainly a forgotten suffix (language.md §3: 4 MiB).
    static let smallestSensibleLimit: Int64 = 4 << 20

    static func apply(to context: inout CheckContext) {
        let config = context.config
        for (key, setting) in [
            (ConfigKey.maxPhysicalMemory, config.maxPhysicalMemory),
            (ConfigKey.maxMemory, config.maxMemory),
        ] {
            // Zero and negative sizes are the parser's (`zero-size`); this is only "tiny".
            if let setting, case .bytes(let bytes)? = setting.value, bytes > 0, bytes < smallestSensibleLimit {
                context.emit(.sizeTooSmall(key.rawValue, bytes: bytes, at: setting.valueRange))
            }
        }
        checkTotalAgainstPhysical(&context)
    }

    /// `max_memory` counts physical memory plus swap, so it cannot be below the physical limit.
    /// An unlimited physical limit with a finite total is below it too (v1 refuses a memsw
    /// limit under the memory limit; v2's swap.max = total − physical would be negative).
    private static func checkTotalAgainstPhysical(_ context: inout CheckContext) {
        guard let physicalSetting = context.config.maxPhysicalMemory,
            let totalSetting = context.config.maxMemory,
            let physical = physicalSetting.value, case .bytes(let total)? = totalSetting.value
        else { return }
        let isBelow: Bool
        switch physical {
        case .unlimited: isBelow = true
        case .bytes(let physicalBytes): isBelow = total < physicalBytes
        }
        guard isBelow else { return }
        context.emit(
            .memoryTotalBelowPhysical(
                total: context.text(totalSetting.valueRange), physical: context.text(physicalSetting.valueRange),
                at: totalSetting.valueRange, physicalAt: physicalSetting.valueRange))
    }
}
