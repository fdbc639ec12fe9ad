import ConfigChecker
import ConfigLanguage
import ConfigSource
import Diagnostics
import Foundation

/// One fixture parsed, checked and compared with its expectations.
struct FixtureRun {
    /// A diagnostic or note as the harness compares it.
    struct Observed: CustomStringConvertible {
        var severity: String
        var code: String
        var line: Int
        var column: Int
        /// Where the range ends (exclusive).
        var end: FixtureExpectation.End
        /// The source text the range covers, for judging how tight it is.
        var text: String
        var message: String
        /// `LINE:COLUMN-END` as an expectation would write it.
        var place: String {
            end.line == line ? "\(line):\(column)-\(end.column)" : "\(line):\(column)-\(end.line):\(end.column)"
        }
        var description: String { "\(severity) [\(code)] at \(place): \(message)" }
    }

    let fixture: String
    var expectations: [FixtureExpectation] = []
    var observed: [Observed] = []
    var checked: CheckedConfig?
    var problems: [String] = []

    /// Loads, parses and checks `fixture` (relative to Fixtures/check/) with its sidecar.
    static func load(_ fixture: String) throws -> FixtureRun {
        let bytes = [UInt8](try Data(contentsOf: FixtureCorpus.checkDirectory.appendingPathComponent(fixture)))
        var sidecar: (name: String, text: String)?
        if let name = FixtureCorpus.sidecar(of: fixture) {
            sidecar = (
                name,
                try String(
                    contentsOf: FixtureCorpus.checkDirectory.appendingPathComponent(name),
                    encoding: .utf8)
            )
        }
        return try FixtureRun(fixture, bytes: bytes, sidecar: sidecar)
    }

    /// Checks `bytes` as the fixture named `fixture` (its extension picks the form) and compares
    /// the result with the expectations in its comments and in `sidecar`.
    init(_ fixture: String, bytes: [UInt8], sidecar: (name: String, text: String)? = nil) throws {
        self.fixture = fixture
        let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            .map { Substring(String(decoding: $0, as: UTF8.self)) }
        for (index, line) in lines.enumerated() {
            expectations += try FixtureExpectation.parse(
                line: line, lineNumber: index + 1, allowRelative: true,
                place: "\(fixture):\(index + 1)")
        }
        if let sidecar {
            for (index, line) in sidecar.text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                expectations += try FixtureExpectation.parse(
                    line: line, lineNumber: index + 1, allowRelative: false,
                    place: "\(sidecar.name):\(index + 1)")
            }
        }
        let fixtureOptions = FixtureOptions.parse(leadingLines: lines)
        // The file keeps its fixture-relative path: the parser picks the form by its extension.
        let file = SourceFile(path: fixture, bytes: bytes)
        let name = ((fixture as NSString).lastPathComponent as NSString).deletingPathExtension
        let result: CheckResult
        if fixtureOptions.useFilesystem {
            result = FixtureWorld.withWorld { world in
                ConfigChecker.check(
                    ConfigParser.parse(file), name: name,
                    options: CheckOptions(
                        useFilesystem: true, cgroupVersion: fixtureOptions.cgroupVersion,
                        fileSystem: PrefixedFileSystemProbe(prefix: world, cgroupHost: fixtureOptions.cgroupHost)))
            }
        } else {
            result = ConfigChecker.check(
                ConfigParser.parse(file), name: name,
                options: CheckOptions(
                    useFilesystem: false, cgroupVersion: fixtureOptions.cgroupVersion))
        }
        checked = result.checked
        func observation(_ severity: String, _ code: String, _ range: SourceRange, _ message: String) -> Observed {
            let start = file.location(of: range.lowerBound)
            let end = file.location(of: range.upperBound)
            return Observed(
                severity: severity, code: code, line: start.line, column: start.column,
                end: FixtureExpectation.End(line: end.line, column: end.column),
                text: file.text(range), message: message)
        }
        for diagnostic in result.diagnostics {
            observed.append(observation(diagnostic.severity.rawValue, diagnostic.code, diagnostic.range, diagnostic.message))
            for note in diagnostic.notes {
                observed.append(observation("note", diagnostic.code, note.range, note.message))
            }
        }
        compare()
    }

    /// Matches expectations to observations. Every error and warning must be expected; notes
    /// only when an expectation names them. Fills `problems` with missing, moved, unexpected.
    private mutating func compare() {
        var unmatched = Array(observed.indices)
        var unmet: [FixtureExpectation] = []
        for expectation in expectations {
            if let position = unmatched.firstIndex(where: { matches(expectation, observed[$0]) }) {
                unmatched.remove(at: position)
            } else {
                unmet.append(expectation)
            }
        }
        for expectation in unmet {
            let sameCode = unmatched.firstIndex {
                observed[$0].code == expectation.code && observed[$0].severity == expectation.severity
            }
            if let sameCode {
                let found = observed[unmatched.remove(at: sameCode)]
                problems.append(
                    "moved: \(fixture):\(expectation.place) expected \(expectation), found at \(fixture):\(found.place) (expectation written at \(expectation.writtenAt))"
                )
            } else {
                problems.append("missing: \(fixture):\(expectation.place) expected \(expectation) (written at \(expectation.writtenAt))")
            }
        }
        for index in unmatched where observed[index].severity != "note" {
            let found = observed[index]
            problems.append("unexpected: \(fixture):\(found.place): \(found)")
        }
    }

    private func matches(_ expectation: FixtureExpectation, _ observation: Observed) -> Bool {
        expectation.severity == observation.severity && expectation.code == observation.code
            && expectation.line == observation.line
            && (expectation.column == nil || expectation.column == observation.column)
            && (expectation.end == nil || expectation.end == observation.end)
    }
}
