import HostCgroups

/// One inline expectation of a fixture: `# expect-error@+1:6 [unknown-key]`.
///
/// Grammar (one or more per comment line, or per line of a `.expect` sidecar):
///     expect-SEVERITY@LINE[:COLUMN] [CODE]
/// SEVERITY is error, warning or note; LINE is absolute (`7`) or relative to the comment's own
/// line (`+1`, `-2`; not allowed in a sidecar); COLUMN is 1-based in Unicode scalars and may be
/// left out to accept any column. A note's CODE is the code of the diagnostic it belongs to.
struct FixtureExpectation: Equatable, CustomStringConvertible {
    var severity: String
    var code: String
    var line: Int
    var column: Int?
    /// Where the expectation was written (for messages), `file:line`.
    var writtenAt: String

    /// `LINE:COLUMN`, or `LINE:` when any column is accepted.
    var place: String { "\(line):\(column.map(String.init) ?? "")" }

    var description: String {
        "\(severity) [\(code)] at \(line)\(column.map { ":\($0)" } ?? "")"
    }

    enum ParseError: Error, CustomStringConvertible {
        case malformed(String, at: String)
        var description: String {
            switch self {
            case .malformed(let text, let place): "\(place): malformed expectation '\(text)'"
            }
        }
    }

    /// The expectations on one line of text. `lineNumber` is the line's own number (for relative
    /// lines); `allowRelative` is false in sidecars, whose lines are not next to the config's.
    static func parse(line text: Substring, lineNumber: Int, allowRelative: Bool, place: String) throws -> [FixtureExpectation] {
        let trimmed = text.drop { $0 == " " || $0 == "\t" }
        guard trimmed.first == "#" || !allowRelative else { return [] }
        var results: [FixtureExpectation] = []
        var rest = trimmed[...]
        while let start = rest.range(of: "expect-") {
            var cursor = rest[start.upperBound...]
            let severity = String(cursor.prefix { $0.isLetter })
            cursor = cursor.dropFirst(severity.count)
            guard ["error", "warning", "note"].contains(severity), cursor.first == "@" else {
                throw ParseError.malformed(String(rest[start.lowerBound...]), at: place)
            }
            cursor = cursor.dropFirst()
            let sign = cursor.first == "+" || cursor.first == "-" ? cursor.first : nil
            if sign != nil { cursor = cursor.dropFirst() }
            let lineDigits = cursor.prefix { $0.isASCII && $0.isNumber }
            cursor = cursor.dropFirst(lineDigits.count)
            var column: Int?
            if cursor.first == ":" {
                let columnDigits = cursor.dropFirst().prefix { $0.isASCII && $0.isNumber }
                column = Int(columnDigits)
                cursor = cursor.dropFirst(1 + columnDigits.count)
                if column == nil { throw ParseError.malformed(String(rest[start.lowerBound...]), at: place) }
            }
            cursor = cursor.drop { $0 == " " }
            guard let lineValue = Int(lineDigits), cursor.first == "[",
                  let close = cursor.firstIndex(of: "]"), sign == nil || allowRelative
            else { throw ParseError.malformed(String(rest[start.lowerBound...]), at: place) }
            let code = String(cursor[cursor.index(after: cursor.startIndex)..<close])
            let line = switch sign {
            case "+": lineNumber + lineValue
            case "-": lineNumber - lineValue
            default: lineValue
            }
            results.append(FixtureExpectation(severity: severity, code: code, line: line, column: column,
                                              writtenAt: place))
            rest = cursor[cursor.index(after: close)...]
        }
        return results
    }
}

/// How a fixture is checked, from a `# check-options:` directive in its leading comments:
/// `filesystem` runs the F rules against the fixture world, `cgroup=v1|v2` sets the target,
/// `cgroup-host=NAME` makes the world's cgroups those of `/proc/NAME/mountinfo` in the world
/// (default: `/proc/self/mountinfo`, a v1 host; see `FixtureWorld`).
struct FixtureOptions: Equatable {
    var useFilesystem = false
    var cgroupVersion: CgroupVersion?
    var cgroupHost: String?

    static func parse(leadingLines: [Substring]) -> FixtureOptions {
        var options = FixtureOptions()
        for line in leadingLines {
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            guard trimmed.hasPrefix("#") else { break }
            guard let marker = trimmed.range(of: "check-options:") else { continue }
            for word in trimmed[marker.upperBound...].split(separator: " ") {
                if word == "filesystem" { options.useFilesystem = true }
                if word.hasPrefix("cgroup=") { options.cgroupVersion = CgroupVersion(rawValue: String(word.dropFirst("cgroup=".count))) }
                if word.hasPrefix("cgroup-host=") { options.cgroupHost = String(word.dropFirst("cgroup-host=".count)) }
            }
        }
        return options
    }
}
