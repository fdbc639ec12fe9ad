// TODO(helper): strict RFC 8259 parser with a nesting limit. API:
// public struct JSONParseError: Error, CustomStringConvertible { message, offset }
// extension JSONValue { public static func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue }
