import ConfigLanguage
import ConfigSource
import Diagnostics

/// `duplicate-device-limit`: one device may have one IOPS limit and one bandwidth limit; a
/// second limit of the same kind would silently replace the first in `io.max`/blkio.
enum DeviceLimitRules {
    private struct LimitKey: Hashable {
        var device: DeviceNumber
        var kind: IOLimit.Kind
    }

    static func apply(to context: inout CheckContext) {
        var firstUse: [LimitKey: SourceRange] = [:]
        for setting in context.config.ioLimits {
            guard let limit = setting.value else { continue }
            let key = LimitKey(device: limit.device.value, kind: limit.kind)
            if let first = firstUse[key] {
                context.emit(
                    .duplicateDeviceLimit(
                        keyName(limit.kind), device: limit.device.value.description,
                        at: limit.device.range, firstAt: first))
            } else {
                firstUse[key] = limit.device.range
            }
        }
    }

    /// The KEY=VALUE key of a limit kind, for messages.
    static func keyName(_ kind: IOLimit.Kind) -> String {
        switch kind {
        case .iops: ConfigKey.iopsLimit.rawValue
        case .bytesPerSecond: ConfigKey.ioBandwidthLimit.rawValue
        }
    }
}
