import ConfigSource

/// Why a JSON text was refused, and where.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    /// 0-based byte offset of the problem in the input.
    public var offset: Int
    public init(_ message: String, at offset: Int) {
        self.message = message
        self.offset = offset
    }
    public var description: String { "\(message) at byte \(offset)" }
}

extension JSONValue {
    /// How deeply arrays and objects may nest before `parse` refuses the input. The parser
    /// recurses once per level, so this bound is what keeps hostile input from exhausting the stack.
    public static let defaultMaximumDepth = 256

    /// Parses one JSON text strictly (RFC 8259): no comments, no trailing commas, no leading
    /// zeros, no lone surrogates, no invalid UTF-8, no duplicate keys, nothing after the value.
    /// Integers that fit `Int64` become `.integer`, every other number `.double`.
    public static func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        try parse(bytes, maximumDepth: defaultMaximumDepth)
    }

    /// `parse(_:)` with an explicit nesting limit.
    public static func parse(_ bytes: [UInt8], maximumDepth: Int) throws(JSONParseError) -> JSONValue {
        var parser = JSONTextParser(bytes: bytes, maximumDepth: maximumDepth)
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        guard parser.position == bytes.count else {
            throw JSONParseError("unexpected text after the JSON value", at: parser.position)
        }
        return value
    }
}

/// The recursive-descent parser behind `JSONValue.parse`; recursion depth is bounded by `maximumDepth`.
struct JSONTextParser {
    let bytes: [UInt8]
    let maximumDepth: Int
    var position = 0

    init(bytes: [UInt8], maximumDepth: Int) {
        self.bytes = bytes
        self.maximumDepth = maximumDepth
    }

    private var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    mutating func skipWhitespace() {
        while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
            position += 1
        }
    }

    mutating func parseValue(depth: Int) throws(JSONParseError) -> JSONValue {
        guard let byte = current else { throw JSONParseError("unexpected end of input, expected a value", at: position) }
        switch byte {
        case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw JSONParseError("unexpected character, expected a value", at: position)
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let start = position
        let count = literal.utf8CodeUnitCount
        let matches = literal.withUTF8Buffer { expected in
            bytes.count - position >= count && (0..<count).allSatisfy { bytes[position + $0] == expected[$0] }
        }
        guard matches else { throw JSONParseError("invalid literal, expected '\(literal)'", at: start) }
        position += count
    }

    private mutating func checkDepth(_ depth: Int) throws(JSONParseError) {
        if depth > maximumDepth {
            throw JSONParseError("nesting deeper than \(maximumDepth) levels", at: position)
        }
    }

    private mutating func parseArray(depth: Int) throws(JSONParseError) -> JSONValue {
        try checkDepth(depth)
        position += 1  // [
        var elements: [JSONValue] = []
        skipWhitespace()
        if current == UInt8(ascii: "]") {
            position += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue(depth: depth))
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "]"):
                position += 1
                return .array(elements)
            case nil: throw JSONParseError("unexpected end of input in an array", at: position)
            default: throw JSONParseError("expected ',' or ']' in an array", at: position)
            }
        }
    }

    private mutating func parseObject(depth: Int) throws(JSONParseError) -> JSONValue {
        try checkDepth(depth)
        position += 1  // {
        var members: [(String, JSONValue)] = []
        var keys = Set<String>()
        skipWhitespace()
        if current == UInt8(ascii: "}") {
            position += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            let keyOffset = position
            guard current == UInt8(ascii: "\"") else {
                throw JSONParseError(current == nil ? "unexpected end of input in an object" : "expected a string key", at: position)
            }
            let key = try parseString()
            guard keys.insert(key).inserted else { throw JSONParseError("duplicate key '\(key)'", at: keyOffset) }
            skipWhitespace()
            guard current == UInt8(ascii: ":") else { throw JSONParseError("expected ':' after a key", at: position) }
            position += 1
            skipWhitespace()
            members.append((key, try parseValue(depth: depth)))
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "}"):
                position += 1
                return .object(members)
            case nil: throw JSONParseError("unexpected end of input in an object", at: position)
            default: throw JSONParseError("expected ',' or '}' in an object", at: position)
            }
        }
    }

    private mutating func parseNumber() throws(JSONParseError) -> JSONValue {
        let start = position
        var isInteger = true
        if current == UInt8(ascii: "-") { position += 1 }
        guard let first = current, isDigit(first) else { throw JSONParseError("expected a digit", at: position) }
        if first == UInt8(ascii: "0") {
            position += 1
            if let next = current, isDigit(next) { throw JSONParseError("leading zeros are not allowed", at: position) }
        } else {
            skipDigits()
        }
        if current == UInt8(ascii: ".") {
            isInteger = false
            position += 1
            guard let digit = current, isDigit(digit) else { throw JSONParseError("expected a digit after '.'", at: position) }
            skipDigits()
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            isInteger = false
            position += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
            guard let digit = current, isDigit(digit) else { throw JSONParseError("expected a digit in the exponent", at: position) }
            skipDigits()
        }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        if isInteger, let value = Int64(text) { return .integer(value) }
        guard let value = Double(text), value.isFinite else {
            throw JSONParseError("number out of range", at: start)
        }
        return .double(value)
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
    private mutating func skipDigits() { while let byte = current, isDigit(byte) { position += 1 } }

    /// Parses a string literal starting at its opening quote; validates UTF-8 and escapes.
    mutating func parseString() throws(JSONParseError) -> String {
        position += 1  // "
        var scalars: [UInt8] = []
        var runStart = position
        while true {
            guard let byte = current else { throw JSONParseError("unterminated string", at: position) }
            switch byte {
            case UInt8(ascii: "\""):
                scalars.append(contentsOf: bytes[runStart..<position])
                position += 1
                return String(decoding: scalars, as: UTF8.self)
            case UInt8(ascii: "\\"):
                scalars.append(contentsOf: bytes[runStart..<position])
                try parseEscape(into: &scalars)
                runStart = position
            case 0x00..<0x20:
                throw JSONParseError("control character in a string must be escaped", at: position)
            case 0x20..<0x80:
                position += 1
            default:
                try skipUTF8Sequence()
            }
        }
    }

    private mutating func parseEscape(into output: inout [UInt8]) throws(JSONParseError) {
        let start = position
        position += 1  // backslash
        guard let byte = current else { throw JSONParseError("unterminated escape", at: start) }
        position += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): output.append(byte)
        case UInt8(ascii: "b"): output.append(0x08)
        case UInt8(ascii: "f"): output.append(0x0C)
        case UInt8(ascii: "n"): output.append(0x0A)
        case UInt8(ascii: "r"): output.append(0x0D)
        case UInt8(ascii: "t"): output.append(0x09)
        case UInt8(ascii: "u"):
            var value = try parseHex4(escapeStart: start)
            if (0xD800...0xDBFF).contains(value) {
                guard bytes.count - position >= 2, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") else {
                    throw JSONParseError("high surrogate without a low surrogate", at: start)
                }
                position += 2
                let low = try parseHex4(escapeStart: start)
                guard (0xDC00...0xDFFF).contains(low) else { throw JSONParseError("invalid low surrogate", at: start) }
                value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(value) {
                throw JSONParseError("low surrogate without a high surrogate", at: start)
            }
            output.append(contentsOf: Array(String(Character(Unicode.Scalar(value)!)).utf8))
        default:
            throw JSONParseError("invalid escape", at: start)
        }
    }

    private mutating func parseHex4(escapeStart: Int) throws(JSONParseError) -> UInt32 {
        guard bytes.count - position >= 4 else { throw JSONParseError("truncated \\u escape", at: escapeStart) }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw JSONParseError("invalid hex digit in \\u escape", at: position)
            }
            value = value << 4 | UInt32(digit)
            position += 1
        }
        return value
    }

    /// Advances over one well-formed multi-byte UTF-8 sequence (no overlongs, no surrogates,
    /// nothing above U+10FFFF), or throws at its first byte.
    private mutating func skipUTF8Sequence() throws(JSONParseError) {
        let width = UTF8Validation.sequenceWidth(bytes, at: position)
        guard width > 0 else { throw JSONParseError("invalid UTF-8", at: position) }
        position += width
    }
}
