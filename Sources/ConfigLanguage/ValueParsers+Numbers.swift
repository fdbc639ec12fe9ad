import ConfigSource
import Diagnostics

extension ValueParsers {
    /// The largest size: a cgroup limit is a signed 64-bit number of bytes.
    static let maximumSize = UInt64(Int64.max)

    /// A memory size (language.md §3): bytes with an optional binary suffix, or `max` / `-1`
    /// when `allowUnlimited` (memory limits; device bandwidths cannot be unlimited).
    static func size(_ text: ValueText, name: String, allowUnlimited: Bool, into bag: inout DiagnosticBag) -> MemoryLimit? {
        if text.isEmpty {
            bag.emit(.invalidSize(name, text: "", reason: "it is empty", at: text.range(text.lower, text.lower)))
            return nil
        }
        if allowUnlimited, text.equals("max") || text.equals("-1") { return .unlimited }
        var digitsEnd = text.lower
        while digitsEnd < text.upper, isDigit(text.bytes[digitsEnd]) { digitsEnd += 1 }
        if digitsEnd == text.lower {
            let reason: String
            if text.bytes[text.lower] == UInt8(ascii: "-") {
                reason = allowUnlimited ? "sizes cannot be negative ('-1' alone means no limit)" : "sizes cannot be negative"
            } else if text.equals("max") {
                reason = "this limit cannot be 'max'"
            } else {
                reason = "it does not start with a number"
            }
            bag.emit(.invalidSize(name, text: text.string, reason: reason, at: text.sourceRange))
            return nil
        }
        if let next = text[safe: digitsEnd], next == UInt8(ascii: ".") || next == UInt8(ascii: ",") {
            bag.emit(
                .invalidSize(
                    name, text: text.string,
                    reason: "fractions are not supported, use a smaller unit (1536M, not 1.5G)",
                    at: text.sourceRange))
            return nil
        }
        let suffix = text.slice(digitsEnd, text.upper)
        guard let shift = sizeSuffixShift(suffix) else {
            bag.emit(.unknownSizeSuffix(suffix.string, at: suffix.sourceRange))
            return nil
        }
        guard case .value(let number) = scanUnsigned(text.slice(text.lower, digitsEnd), allowHex: false),
            number <= maximumSize >> shift
        else {
            bag.emit(.sizeOverflow(name, text: text.string, at: text.sourceRange))
            return nil
        }
        if number == 0 {
            bag.emit(.zeroSize(name, at: text.sourceRange))
            return nil
        }
        return .bytes(Int64(number << shift))
    }

    /// The binary exponent of a size suffix: none, K/M/G/T in any case, optionally followed by `iB`.
    private static func sizeSuffixShift(_ suffix: ValueText) -> UInt64? {
        guard let letter = suffix[safe: suffix.lower] else { return 0 }
        let shift: UInt64
        switch letter | 0x20 {  // ASCII lower case
        case UInt8(ascii: "k"): shift = 10
        case UInt8(ascii: "m"): shift = 20
        case UInt8(ascii: "g"): shift = 30
        case UInt8(ascii: "t"): shift = 40
        default: return nil
        }
        switch suffix.count {
        case 1: return shift
        case 3:
            let i = suffix.bytes[suffix.lower + 1] | 0x20, b = suffix.bytes[suffix.lower + 2] | 0x20
            return i == UInt8(ascii: "i") && b == UInt8(ascii: "b") ? shift : nil
        default: return nil
        }
    }

    /// `max_processes`: a positive integer or `max`.
    static func processLimit(_ text: ValueText, name: String, into bag: inout DiagnosticBag) -> ProcessLimit? {
        if text.equals("max") { return .unlimited }
        return integer(
            text, name: name, bounds: 1...maximumSize, allowHex: false,
            expected: "a positive integer or 'max'", into: &bag
        ).map { .count(Int64($0)) }
    }

    /// An unsigned integer within `bounds`, decimal (or `0x` hex when `allowHex`).
    static func integer(
        _ text: ValueText, name: String, bounds: ClosedRange<UInt64>, allowHex: Bool,
        expected: String, into bag: inout DiagnosticBag
    ) -> UInt64? {
        let boundsText = "\(bounds.lowerBound)…\(bounds.upperBound)"
        switch scanUnsigned(text, allowHex: allowHex) {
        case .value(let value) where bounds.contains(value):
            return value
        case .value, .overflow:
            bag.emit(.numberOutOfRange(name, text: text.string, bounds: boundsText, at: text.sourceRange))
        case .notANumber:
            let negative =
                text[safe: text.lower] == UInt8(ascii: "-")
                && scanUnsigned(text.slice(text.lower + 1, text.upper), allowHex: false) != .notANumber
            if negative {
                bag.emit(.numberOutOfRange(name, text: text.string, bounds: boundsText, at: text.sourceRange))
            } else {
                let shown = text.isEmpty ? text.range(text.lower, text.lower) : text.sourceRange
                bag.emit(.invalidNumber(name, text: text.string, expected: expected, at: shown))
            }
        }
        return nil
    }

    enum IntegerScan: Equatable { case value(UInt64), notANumber, overflow }

    /// Digits only (or `0x` and hex digits), no sign, no blanks; overflow is reported, not trapped.
    static func scanUnsigned(_ text: ValueText, allowHex: Bool) -> IntegerScan {
        var index = text.lower
        var radix: UInt64 = 10
        if allowHex, text.count > 2, text.bytes[index] == UInt8(ascii: "0"), text.bytes[index + 1] | 0x20 == UInt8(ascii: "x") {
            radix = 16
            index += 2
        }
        guard index < text.upper else { return .notANumber }
        var value: UInt64 = 0
        var overflowed = false
        while index < text.upper {
            guard let digit = digitValue(text.bytes[index], radix: radix) else { return .notANumber }
            let (shifted, o1) = value.multipliedReportingOverflow(by: radix)
            let (sum, o2) = shifted.addingReportingOverflow(digit)
            if o1 || o2 { overflowed = true }
            value = sum
            index += 1
        }
        return overflowed ? .overflow : .value(value)
    }

    private static func digitValue(_ byte: UInt8, radix: UInt64) -> UInt64? {
        if isDigit(byte) { return UInt64(byte - 0x30) }
        let lower = byte | 0x20
        if radix == 16, lower >= UInt8(ascii: "a"), lower <= UInt8(ascii: "f") { return UInt64(lower - 0x61 + 10) }
        return nil
    }
}
