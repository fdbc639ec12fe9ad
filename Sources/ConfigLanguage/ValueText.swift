import ConfigSource

/// The text of one value as bytes, with the way back to source ranges.
///
/// KEY=VALUE values are slices of the file itself (`shift == 0`: an index is a source offset).
/// YAML scalars are libyaml's decoded bytes: when they equal the source bytes (plain scalars,
/// quoted ones without escapes) `shift` maps them exactly; otherwise every sub-range maps to the
/// whole scalar, which is still the right place, only less tight.
struct ValueText {
    let bytes: [UInt8]
    let lower: Int
    let upper: Int
    /// Added to an index into `bytes` to get a source offset; nil when the text does not map.
    let shift: Int?
    /// The source range of the whole value.
    let whole: SourceRange

    /// A slice of a source file's bytes.
    init(file bytes: [UInt8], range: Range<Int>) {
        self.bytes = bytes
        self.lower = range.lowerBound
        self.upper = range.upperBound
        self.shift = 0
        self.whole = SourceRange(range.lowerBound, range.upperBound)
    }

    /// Decoded text that starts at source offset `origin` when it maps byte for byte (else nil).
    init(decoded bytes: [UInt8], origin: Int?, whole: SourceRange) {
        self.bytes = bytes
        self.lower = 0
        self.upper = bytes.count
        self.shift = origin
        self.whole = whole
    }

    private init(bytes: [UInt8], lower: Int, upper: Int, shift: Int?, whole: SourceRange) {
        self.bytes = bytes
        self.lower = lower
        self.upper = upper
        self.shift = shift
        self.whole = whole
    }

    var isEmpty: Bool { lower >= upper }
    var count: Int { upper - lower }

    /// The source range of the bytes `from..<to` (indices into `bytes`).
    func range(_ from: Int, _ to: Int) -> SourceRange {
        guard let shift else { return whole }
        return SourceRange(from + shift, to + shift)
    }

    /// The source range of this (sub-)text.
    var sourceRange: SourceRange { range(lower, upper) }

    /// The bytes `from..<to` as their own value text (same mapping).
    func slice(_ from: Int, _ to: Int) -> ValueText {
        let low = max(lower, min(from, upper))
        return ValueText(bytes: bytes, lower: low, upper: max(low, min(to, upper)), shift: shift, whole: whole)
    }

    /// The text without leading and trailing blanks (space, tab).
    var trimmed: ValueText {
        var low = lower, high = upper
        while low < high, isBlank(bytes[low]) { low += 1 }
        while high > low, isBlank(bytes[high - 1]) { high -= 1 }
        return slice(low, high)
    }

    var string: String { String(decoding: bytes[lower..<upper], as: UTF8.self) }

    /// True when the text is exactly the ASCII `literal`.
    func equals(_ literal: String) -> Bool {
        var index = lower
        for byte in literal.utf8 {
            guard index < upper, bytes[index] == byte else { return false }
            index += 1
        }
        return index == upper
    }

    /// The first index of `byte` at or after `from`, or nil.
    func firstIndex(of byte: UInt8, from: Int? = nil) -> Int? {
        var index = from ?? lower
        while index < upper {
            if bytes[index] == byte { return index }
            index += 1
        }
        return nil
    }

    /// The byte at `index`, or nil outside the text.
    subscript(safe index: Int) -> UInt8? { index >= lower && index < upper ? bytes[index] : nil }
}

/// Space or tab: the only blanks of the KEY=VALUE form.
@inline(__always) func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }

@inline(__always) func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
