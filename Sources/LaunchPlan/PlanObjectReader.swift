import JSONSupport

/// Reads the members of one JSON object, checking types and shapes, and refuses members it
/// was not asked for (a misspelt or unknown field is an error, not silently ignored).
struct ObjectReader {
    let location: String
    private let members: [(String, JSONValue)]
    private var consumed: Set<String> = []

    init(_ value: JSONValue, at location: String) throws(PlanReadError) {
        guard case let .object(members) = value else {
            throw PlanReadError(at: location, "expected an object, found \(value.kindName)")
        }
        var seen = Set<String>()
        for (key, _) in members where !seen.insert(key).inserted {
            throw PlanReadError(at: Self.join(location, key), "member appears twice")
        }
        self.location = location
        self.members = members
    }

    static func join(_ location: String, _ key: String) -> String {
        location.isEmpty ? key : location + "." + key
    }

    func at(_ key: String) -> String { Self.join(location, key) }

    mutating func value(_ key: String) throws(PlanReadError) -> JSONValue {
        guard let value = members.first(where: { $0.0 == key })?.1 else {
            throw PlanReadError(at: at(key), "required member is missing")
        }
        consumed.insert(key)
        return value
    }

    mutating func string(_ key: String) throws(PlanReadError) -> String {
        let value = try value(key)
        guard case let .string(text) = value else {
            throw PlanReadError(at: at(key), "expected a string, found \(value.kindName)")
        }
        try PlanFieldRules.checkText(text, at: at(key))
        return text
    }

    mutating func absolutePath(_ key: String) throws(PlanReadError) -> String {
        let path = try string(key)
        try PlanFieldRules.checkAbsolutePath(path, at: at(key))
        return path
    }

    /// A host path kept as the user wrote it (see `PlanFieldRules.checkHostPath`).
    mutating func hostPath(_ key: String) throws(PlanReadError) -> String {
        let path = try string(key)
        try PlanFieldRules.checkHostPath(path, at: at(key))
        return path
    }

    mutating func integer(_ key: String, in range: ClosedRange<Int64>) throws(PlanReadError) -> Int64 {
        try PlanFieldRules.integer(value(key), in: range, at: at(key))
    }

    mutating func uint32(_ key: String, in range: ClosedRange<Int64> = 0...Int64(UInt32.max))
        throws(PlanReadError) -> UInt32
    {
        UInt32(try integer(key, in: range))
    }

    /// True when the member is present and `null` (consumed); false otherwise.
    mutating func isNull(_ key: String) -> Bool {
        guard let value = members.first(where: { $0.0 == key })?.1, case .null = value else { return false }
        consumed.insert(key)
        return true
    }

    mutating func bool(_ key: String) throws(PlanReadError) -> Bool {
        let value = try value(key)
        guard case let .bool(flag) = value else {
            throw PlanReadError(at: at(key), "expected true or false, found \(value.kindName)")
        }
        return flag
    }

    mutating func array(_ key: String) throws(PlanReadError) -> [JSONValue] {
        let value = try value(key)
        guard case let .array(items) = value else {
            throw PlanReadError(at: at(key), "expected an array, found \(value.kindName)")
        }
        return items
    }

    mutating func stringArray(_ key: String) throws(PlanReadError) -> [String] {
        var result: [String] = []
        for (index, item) in try array(key).enumerated() {
            guard case let .string(text) = item else {
                throw PlanReadError(at: at(key) + "[\(index)]", "expected a string, found \(item.kindName)")
            }
            try PlanFieldRules.checkText(text, at: at(key) + "[\(index)]")
            result.append(text)
        }
        return result
    }

    mutating func pathArray(_ key: String) throws(PlanReadError) -> [String] {
        let paths = try stringArray(key)
        for (index, path) in paths.enumerated() {
            try PlanFieldRules.checkAbsolutePath(path, at: at(key) + "[\(index)]")
        }
        return paths
    }

    /// One of a fixed set of strings (an enum's raw values).
    mutating func choice<T: RawRepresentable>(_ key: String, _ type: T.Type) throws(PlanReadError) -> T
    where T.RawValue == String {
        let text = try string(key)
        guard let value = T(rawValue: text) else {
            throw PlanReadError(at: at(key), "unknown value \"\(text)\"")
        }
        return value
    }

    /// Refuses members nobody asked for.
    func finish() throws(PlanReadError) {
        if let extra = members.first(where: { !consumed.contains($0.0) }) {
            throw PlanReadError(at: at(extra.0), "unknown member")
        }
    }
}
