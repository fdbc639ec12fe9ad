import JSONSupport

/// Why a plan file was refused: where in the document (`steps[3].target`) and what is wrong.
/// `start --plan FILE` reads files it did not write, so every field is checked and every
/// problem is an error value, never a trap.
public struct PlanReadError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The JSON location, e.g. `steps[3].nodes[0].mode`; empty for the document itself.
    public var location: String
    public var message: String

    public init(at location: String, _ message: String) {
        self.location = location
        self.message = message
    }

    public var description: String {
        location.isEmpty ? "invalid plan: \(message)" : "invalid plan: \(location): \(message)"
    }
}

/// Shape rules for the values of a plan file.
enum PlanFieldRules {
    static let maximumPathBytes = 4096

    /// No NUL (C would cut the string there) and no other control character except tab.
    static func checkText(_ text: String, at location: String) throws(PlanReadError) {
        if let bad = text.unicodeScalars.first(where: { ($0.value < 0x20 && $0 != "\t") || $0.value == 0x7f }) {
            throw PlanReadError(
                at: location, "control character U+\(String(bad.value, radix: 16, uppercase: true)) is not allowed")
        }
    }

    /// Absolute, no `.`/`..` components, no empty component, at most PATH_MAX bytes.
    /// A host path written by the user (a mount SOURCE): used verbatim, as the config says,
    /// because lexically normalising `..` is wrong across symlinks. Only absolute and bounded.
    static func checkHostPath(_ path: String, at location: String) throws(PlanReadError) {
        guard path.hasPrefix("/") else { throw PlanReadError(at: location, "expected an absolute path") }
        guard path.utf8.count <= maximumPathBytes else {
            throw PlanReadError(at: location, "path is longer than \(maximumPathBytes) bytes")
        }
    }

    static func checkAbsolutePath(_ path: String, at location: String) throws(PlanReadError) {
        guard path.hasPrefix("/") else { throw PlanReadError(at: location, "expected an absolute path") }
        guard path.utf8.count <= maximumPathBytes else {
            throw PlanReadError(at: location, "path is longer than \(maximumPathBytes) bytes")
        }
        if path == "/" { return }
        for component in path.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            if component.isEmpty { throw PlanReadError(at: location, "path has an empty component") }
            if component == "." || component == ".." {
                throw PlanReadError(at: location, "path has a '\(component)' component")
            }
        }
    }

    static func integer(_ value: JSONValue, in range: ClosedRange<Int64>, at location: String)
        throws(PlanReadError) -> Int64
    {
        guard case let .integer(number) = value else {
            throw PlanReadError(at: location, "expected an integer, found \(value.kindName)")
        }
        guard range.contains(number) else {
            throw PlanReadError(at: location, "\(number) is outside \(range.lowerBound)…\(range.upperBound)")
        }
        return number
    }
}

extension JSONValue {
    /// The JSON type of the value, for messages.
    var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .integer: "an integer"
        case .double: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
