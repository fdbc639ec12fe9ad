import ConfigSource
import Diagnostics

extension ValueParsers {
    static let majorRange: ClosedRange<UInt64> = 0...4095
    static let minorRange: ClosedRange<UInt64> = 0...1_048_575

    /// `iops_limit` / `io_bw_limit`: `MAJOR:MINOR VALUE`.
    static func deviceLimit(_ text: ValueText, name: String, kind: IOLimit.Kind, into bag: inout DiagnosticBag) -> IOLimit? {
        var blank = text.lower
        while blank < text.upper, !isBlank(text.bytes[blank]) { blank += 1 }
        var valueStart = blank
        while valueStart < text.upper, isBlank(text.bytes[valueStart]) { valueStart += 1 }
        guard blank < text.upper, valueStart < text.upper else {
            let reason = text.isEmpty ? "it is empty" : "the VALUE after the device is missing"
            let at = text.isEmpty ? text.range(text.lower, text.lower) : text.sourceRange
            bag.emit(.invalidDeviceLimit(name, text: text.string, reason: reason, at: at))
            return nil
        }
        let valueText = text.slice(valueStart, text.upper)
        if let extra = valueText.firstIndex(of: 0x20) ?? valueText.firstIndex(of: 0x09) {
            bag.emit(
                .invalidDeviceLimit(
                    name, text: text.string, reason: "there is more than one VALUE",
                    at: text.range(extra, text.upper)))
            return nil
        }
        let device = deviceNumber(text.slice(text.lower, blank), name: name, into: &bag)
        let value: UInt64?
        switch kind {
        case .iops:
            value = integer(
                valueText, name: name, bounds: 1...maximumSize, allowHex: false,
                expected: "a positive number of I/O operations per second", into: &bag)
        case .bytesPerSecond:
            value = bandwidth(valueText, name: name, into: &bag)
        }
        guard let device, let value else { return nil }
        return IOLimit(device: device, kind: kind, value: Located(value, at: valueText.sourceRange))
    }

    /// A bandwidth in bytes per second: a size without `max`.
    static func bandwidth(_ text: ValueText, name: String, into bag: inout DiagnosticBag) -> UInt64? {
        guard case .bytes(let bytes) = size(text, name: name, allowUnlimited: false, into: &bag) else { return nil }
        return UInt64(bytes)
    }

    /// `MAJOR:MINOR`, each in the kernel's range.
    static func deviceNumber(_ text: ValueText, name: String, into bag: inout DiagnosticBag) -> Located<DeviceNumber>? {
        guard let colon = text.firstIndex(of: UInt8(ascii: ":")) else {
            bag.emit(
                .invalidDeviceLimit(
                    name, text: text.string, reason: "the device has no ':' between MAJOR and MINOR",
                    at: text.sourceRange))
            return nil
        }
        let majorText = text.slice(text.lower, colon), minorText = text.slice(colon + 1, text.upper)
        var numbers: [UInt64] = []
        for (part, bounds) in [(majorText, majorRange), (minorText, minorRange)] {
            switch scanUnsigned(part, allowHex: false) {
            case .notANumber:
                let at = part.isEmpty ? part.range(part.lower, part.lower) : part.sourceRange
                bag.emit(
                    .invalidDeviceLimit(
                        name, text: text.string,
                        reason: "'\(part.string)' is not a device number", at: at))
            case .value(let value) where bounds.contains(value):
                numbers.append(value)
            case .value, .overflow:
                bag.emit(
                    bounds == majorRange
                        ? .deviceMajorOutOfRange(part.string, at: part.sourceRange)
                        : .deviceMinorOutOfRange(part.string, at: part.sourceRange))
            }
        }
        guard numbers.count == 2 else { return nil }
        return Located(DeviceNumber(major: UInt32(numbers[0]), minor: UInt32(numbers[1])), at: text.sourceRange)
    }
}
