import JSONSupport
import Testing

@Suite struct JSONParserTests {
    private func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        try JSONValue.parse(Array(text.utf8))
    }

    private func error(_ text: String) -> JSONParseError? {
        do {
            _ = try parse(text)
            return nil
        } catch { return error }
    }

    @Test func parsesEveryKindOfValue() throws {
        let value = try parse(#" {"a": [1, -0, 2.5, 1e3, true, false, null], "b": {"c": "d"}} "#)
        #expect(value["a"] == .array([.integer(1), .integer(0), .double(2.5), .double(1000), .bool(true), .bool(false), .null]))
        #expect(value["b"]?["c"]?.stringValue == "d")
    }

    @Test func integersBeyondInt64BecomeDoubles() throws {
        #expect(try parse("9223372036854775807") == .integer(.max))
        #expect(try parse("-9223372036854775808") == .integer(.min))
        #expect(try parse("9223372036854775808") == .double(9223372036854775808))
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        #expect(try parse(#""\"\\\/\b\f\n\r\t\u0041\u00e9\ud83d\ude00""#) == .string("\"\\/\u{08}\u{0C}\n\r\tAé😀"))
    }

    @Test(arguments: [
        ("", 0), ("[1,]", 3), ("{\"a\":1,}", 7), ("01", 1), ("1.", 2), ("-", 1), ("1e", 2), (".5", 0),
        ("[1] x", 4), ("\"abc", 4), ("\"a\u{01}\"", 2), (#""\x""#, 1), (#""\ud800""#, 1), (#""\udc00""#, 1),
        ("tru", 0), ("nul", 0), ("{\"a\" 1}", 5), ("{1:2}", 1), ("{\"a\":1,\"a\":2}", 7), ("1e400", 0),
        ("[", 1), ("\u{FEFF}1", 0),
    ])
    func refusesInvalidTextAtTheRightOffset(_ text: String, _ offset: Int) {
        let failure = error(text)
        #expect(failure != nil, "accepted \(text.debugDescription)")
        #expect(failure?.offset == offset, "\(failure?.description ?? "") for \(text.debugDescription)")
    }

    @Test(arguments: [[0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82], [0xFF]] as [[UInt8]])
    func refusesInvalidUTF8InStrings(_ sequence: [UInt8]) {
        let bytes = [UInt8(ascii: "\"")] + sequence + [UInt8(ascii: "\"")]
        #expect(throws: JSONParseError.self) { try JSONValue.parse(bytes) }
    }

    @Test func nestingIsBoundedWithoutCrashing() throws {
        let depth = JSONValue.defaultMaximumDepth
        let ok = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        #expect(try parse(ok).arrayValue != nil)
        let deep = String(repeating: "[", count: 100_000)
        let failure = error(deep)
        #expect(failure?.message.contains("nesting") == true)
        #expect(failure?.offset == depth)
    }

    @Test func errorDescriptionNamesTheOffset() {
        #expect(error("[1,]")?.description == "unexpected character, expected a value at byte 3")
    }
}
