import ConfigLanguage
import Diagnostics

/// F rules on I/O limits: `/sys/dev/block/MAJOR:MINOR` exists (`block-device-not-found`) and is
/// a whole disk, not a partition (`block-device-is-partition`: a partition's directory has a
/// `partition` file, and blkio/io.max throttling only applies to whole disks).
enum BlockDeviceFilesystemRules {
    static func apply(to context: inout CheckContext) {
        // One YAML entry `{device, iops, bps}` yields two limits at one range: report it once.
        var reportedRanges = Set<Int>()
        for setting in context.config.ioLimits {
            guard let limit = setting.value, reportedRanges.insert(limit.device.range.lowerBound).inserted
            else { continue }
            let device = limit.device.value.description
            let directory = context.options.blockDeviceDirectory + "/" + device
            if context.fileSystem.status(directory) == nil {
                context.emit(.blockDeviceNotFound(device, lookedAt: directory, at: limit.device.range))
            } else if context.fileSystem.status(directory + "/partition") != nil {
                context.emit(.blockDeviceIsPartition(device, at: limit.device.range))
            }
        }
    }
}
