import JSONSupport
import Testing

@Suite struct JSONSerializationTests {
    @Test func compactOutputKeepsInsertionOrder() {
        let value = JSONValue.object([("b", .integer(1)), ("a", .array([.bool(true), .null])), ("c", .string("x"))])
        #expect(value.serialized() == #"{"b":1,"a":[true,null],"c":"x"}"#)
    }

    @Test func prettyOutputIndentsByTwoSpaces() {
        let value = JSONValue.object([("a", .array([.integer(1)])), ("e", .object([])), ("f", .array([]))])
        #expect(value.serialized(pretty: true) == "{\n  \"a\": [\n    1\n  ],\n  \"e\": {},\n  \"f\": []\n}")
    }

    @Test(arguments: [Int64.min, -1, 0, 9_007_199_254_740_993, Int64.max])
    func integersAreExact(_ number: Int64) {
        #expect(JSONValue.integer(number).serialized() == String(number))
    }

    @Test func stringsEscapeQuotesBackslashesAndControlCharacters() {
        let text = "q\"b\\n\nr\rt\tb\u{08}f\u{0C}z\u{00}u\u{1F}é😀/"
        #expect(
            JSONValue.string(text).serialized()
                == #""q\"b\\n\nr\rt\tb\bf\fz\u0000u\u001fé😀/""#)
    }

    @Test func nonFiniteDoublesBecomeNull() {
        #expect(JSONValue.double(.nan).serialized() == "null")
        #expect(JSONValue.double(-.infinity).serialized() == "null")
        #expect(JSONValue.double(0.5).serialized() == "0.5")
    }

    @Test func serializedValuesParseBackEqual() throws {
        let value = JSONValue.object([
            ("s", .string("a\"\u{01}\u{2028}😀")), ("i", .integer(-42)), ("d", .double(2.5e-8)),
            ("n", .null), ("nested", .array([.object([("k", .bool(false))]), .array([])])),
        ])
        for pretty in [false, true] {
            #expect(try JSONValue.parse(Array(value.serialized(pretty: pretty).utf8)) == value)
        }
    }
}
