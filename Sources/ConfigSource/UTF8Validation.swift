/// The one definition of well-formed UTF-8 in the project (Unicode Table 3-7: no overlongs, no
/// surrogates, nothing above U+10FFFF). The lexer's `invalid-utf8` check, column counting and
/// the JSON reader all use it, so a byte that one calls invalid is invalid for all of them.
public enum UTF8Validation {
    /// The length of the well-formed sequence starting at `index`, or 0 when none starts there.
    public static func sequenceWidth(_ bytes: [UInt8], at index: Int) -> Int {
        let lead = bytes[index]
        let width: Int
        var secondLow: UInt8 = 0x80, secondHigh: UInt8 = 0xBF
        switch lead {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: width = 2
        case 0xE0:
            width = 3
            secondLow = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: width = 3
        case 0xED:
            width = 3
            secondHigh = 0x9F
        case 0xF0:
            width = 4
            secondLow = 0x90
        case 0xF1...0xF3: width = 4
        case 0xF4:
            width = 4
            secondHigh = 0x8F
        default: return 0
        }
        guard index + width <= bytes.count else { return 0 }
        let second = bytes[index + 1]
        guard second >= secondLow, second <= secondHigh else { return 0 }
        for offset in 2..<max(2, width) where bytes[index + offset] & 0xC0 != 0x80 { return 0 }
        return width
    }
}
