/// JSON text from a `JSONValue` (RFC 8259): keys in insertion order, integers exact, strings
/// escaped so the output is always valid UTF-8 JSON.
extension JSONValue {
    /// The JSON text of this value. `pretty` indents by two spaces, one member per line;
    /// otherwise the output is compact (`{"a":1,"b":[true,null]}`).
    public func serialized(pretty: Bool = false) -> String {
        var output = ""
        write(to: &output, pretty: pretty, indent: 0)
        return output
    }

    /// Appends the JSON text of this value to `output` (renderers stream many values into one buffer).
    public func write(to output: inout String, pretty: Bool = false, indent: Int = 0) {
        switch self {
        case .null: output += "null"
        case let .bool(value): output += value ? "true" : "false"
        case let .integer(value): output += String(value)
        case let .double(value): output += JSONValue.numberText(value)
        case let .string(value): JSONValue.writeString(value, to: &output)
        case let .array(elements):
            guard !elements.isEmpty else {
                output += "[]"
                return
            }
            output += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { output += "," }
                if pretty { JSONValue.newline(&output, indent: indent + 1) }
                element.write(to: &output, pretty: pretty, indent: indent + 1)
            }
            if pretty { JSONValue.newline(&output, indent: indent) }
            output += "]"
        case let .object(members):
            guard !members.isEmpty else {
                output += "{}"
                return
            }
            output += "{"
            for (index, (key, value)) in members.enumerated() {
                if index > 0 { output += "," }
                if pretty { JSONValue.newline(&output, indent: indent + 1) }
                JSONValue.writeString(key, to: &output)
                output += pretty ? ": " : ":"
                value.write(to: &output, pretty: pretty, indent: indent + 1)
            }
            if pretty { JSONValue.newline(&output, indent: indent) }
            output += "}"
        }
    }

    private static func newline(_ output: inout String, indent: Int) {
        output += "\n"
        for _ in 0..<indent { output += "  " }
    }

    /// JSON has no NaN or infinity: they are written as `null` rather than producing invalid JSON.
    static func numberText(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        // Swift prints the shortest text that reads back to the same double, and keeps a
        // fraction on whole values ("2.0"), so a double stays a double when parsed again.
        return String(describing: value)
    }

    /// Writes `"text"` with the escapes RFC 8259 requires: `"`, `\` and every control character.
    public static func writeString(_ text: String, to output: inout String) {
        output += "\""
        var pendingStart = text.utf8.startIndex
        let utf8 = text.utf8
        var index = utf8.startIndex
        // Copy runs of bytes that need no escape in one append; only escape what must be.
        while index != utf8.endIndex {
            let byte = utf8[index]
            if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                output += String(text.utf8[pendingStart..<index])!
                output += escape(byte)
                pendingStart = utf8.index(after: index)
            }
            index = utf8.index(after: index)
        }
        output += String(text.utf8[pendingStart..<utf8.endIndex])!
        output += "\""
    }

    private static func escape(_ byte: UInt8) -> String {
        switch byte {
        case UInt8(ascii: "\""): return "\\\""
        case UInt8(ascii: "\\"): return "\\\\"
        case 0x08: return "\\b"
        case 0x0C: return "\\f"
        case 0x0A: return "\\n"
        case 0x0D: return "\\r"
        case 0x09: return "\\t"
        default:
            let hex: [Character] = Array("0123456789abcdef")
            return "\\u00" + String(hex[Int(byte >> 4)]) + String(hex[Int(byte & 0xF)])
        }
    }
}
