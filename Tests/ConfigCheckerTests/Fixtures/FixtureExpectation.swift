import HostCgroups

/// One inline expectation of a fixture: `# expect-error@+1:6-9 [unknown-key]`.
///
/// Grammar (one or more per comment line, or per line of a `.expect` sidecar):
///     expect-SEVERITY@LINE[:COLUMN[-END]] [CODE]
///     END = COLUMN | LINE:COLUMN
/// SEVERITY is error, warning or note; LINE is absolute (`7`) or relative to the comment's own
/// line (`+1`, `-2`; not allowed in a sidecar); COLUMN is 1-based in Unicode scalars and may be
/// left out to accept any column. END is where the range ends, exclusive (`6-9` is columns 6, 7
/// and 8; `6-6` an empty range), on the start's line unless it names its own. The corpus pins
/// both ends of every range (`FixtureTests.everyExpectationPinsItsRange`); the optional forms
/// exist for the harness's own tests. A note's CODE is the code of the diagnostic it belongs to.
struct FixtureExpectation: Equatable, CustomStringConvertible {
    /// Where a range ends: exclusive, 1-based column in Unicode scalars.
    struct End: Equatable {
        var line: Int
        var column: Int
    }

    var severity: String
    var code: String
    var line: Int
    var column: Int?
    /// The end of the range, when the expectation pins it.
    var end: End?
    /// Where the expectation was written (for messages), `file:line`.
    var writtenAt: String

    init(severity: String, code: String, line: Int, column: Int?, end: End? = nil, writtenAt: String) {
        self.severity = severity
        self.code = code
        self.line = line
        self.column = column
        self.end = end
        self.writtenAt = writtenAt
    }

    /// `LINE:COLUMN`, or `LINE:` when any column is accepted.
    var place: String { "\(line):\(column.map(String.init) ?? "")" }

    /// `-COLUMN` or `-LINE:COLUMN` (when the range ends on another line), or empty.
    var endText: String {
        guard let end else { return "" }
        return end.line == line ? "-\(end.column)" : "-\(end.line):\(end.column)"
    }

    var description: String {
        "\(severity) [\(code)] at \(line)\(column.map { ":\($0)" } ?? "")\(endText)"
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
            let malformed = ParseError.malformed(String(rest[start.lowerBound...]), at: place)
            guard let (sign, lineValue) = signedNumber(&cursor), sign == nil || allowRelative else { throw malformed }
            let line = resolve(sign, lineValue, commentLine: lineNumber)
            var column: Int?
            var end: End?
            if cursor.first == ":" {
                cursor = cursor.dropFirst()
                guard let (noSign, value) = signedNumber(&cursor), noSign == nil else { throw malformed }
                column = value
                if cursor.first == "-" {
                    cursor = cursor.dropFirst()
                    guard let (endSign, first) = signedNumber(&cursor), endSign == nil || allowRelative else { throw malformed }
                    if cursor.first == ":" {  // END = LINE:COLUMN
                        cursor = cursor.dropFirst()
                        guard let (columnSign, endColumn) = signedNumber(&cursor), columnSign == nil else { throw malformed }
                        end = End(line: resolve(endSign, first, commentLine: lineNumber), column: endColumn)
                    } else {  // END = COLUMN, on the start's line
                        guard endSign == nil else { throw malformed }
                        end = End(line: line, column: first)
                    }
                }
            }
            cursor = cursor.drop { $0 == " " }
            guard cursor.first == "[", let close = cursor.firstIndex(of: "]") else { throw malformed }
            let code = String(cursor[cursor.index(after: cursor.startIndex)..<close])
            results.append(
                FixtureExpectation(
                    severity: severity, code: code, line: line, column: column,
                    end: end, writtenAt: place))
            rest = cursor[cursor.index(after: close)...]
        }
        return results
    }

    /// An optionally signed (`+`/`-`) decimal number at the front of `cursor`, consumed.
    private static func signedNumber(_ cursor: inout Substring) -> (sign: Character?, value: Int)? {
        let sign = cursor.first == "+" || cursor.first == "-" ? cursor.first : nil
        var rest = sign == nil ? cursor : cursor.dropFirst()
        let digits = rest.prefix { $0.isASCII && $0.isNumber }
        guard let value = Int(digits) else { return nil }
        rest = rest.dropFirst(digits.count)
        cursor = rest
        return (sign, value)
    }

    /// A line number: absolute, or relative (`+N`, `-N`) to the comment's line.
    private static func resolve(_ sign: Character?, _ value: Int, commentLine: Int) -> Int {
        switch sign {
        case "+": commentLine + value
        case "-": commentLine - value
        default: value
        }
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
