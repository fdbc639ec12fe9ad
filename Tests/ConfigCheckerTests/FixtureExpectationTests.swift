import HostCgroups
import Testing

/// The harness's own parser: a harness that silently misreads expectations would pass anything.
@Suite struct FixtureExpectationTests {
    @Test func relativeAndAbsoluteLines() throws {
        let relative = try FixtureExpectation.parse(
            line: "# expect-error@+1:6 [unknown-key]", lineNumber: 4,
            allowRelative: true, place: "t")
        #expect(relative == [FixtureExpectation(severity: "error", code: "unknown-key", line: 5, column: 6, writtenAt: "t")])
        let twoOnALine = try FixtureExpectation.parse(
            line: "  # expect-warning@-2 [a] expect-note@9:1 [b]",
            lineNumber: 4, allowRelative: true, place: "t")
        #expect(twoOnALine.map(\.description) == ["warning [a] at 2", "note [b] at 9:1"])
    }

    @Test func nonCommentLinesCarryNoExpectationsInAConfig() throws {
        #expect(
            try FixtureExpectation.parse(
                line: "root=/x # expect-error@1 [a]", lineNumber: 1,
                allowRelative: true, place: "t"
            ).isEmpty)
    }

    @Test(arguments: ["# expect-fatal@1 [a]", "# expect-error@x [a]", "# expect-error@1:y [a]", "# expect-error@1 a"])
    func malformedIsRefused(line: String) {
        #expect(throws: FixtureExpectation.ParseError.self) {
            try FixtureExpectation.parse(line: Substring(line), lineNumber: 1, allowRelative: true, place: "t")
        }
    }

    @Test func sidecarsRefuseRelativeLines() {
        #expect(throws: FixtureExpectation.ParseError.self) {
            try FixtureExpectation.parse(line: "expect-error@+1 [a]", lineNumber: 1, allowRelative: false, place: "t")
        }
    }

    @Test func directive() {
        let options = FixtureOptions.parse(leadingLines: ["# a fixture", "# check-options: filesystem cgroup=v2", "root=/x"])
        #expect(options == FixtureOptions(useFilesystem: true, cgroupVersion: .v2))
        #expect(FixtureOptions.parse(leadingLines: ["root=/x", "# check-options: filesystem"]) == FixtureOptions())
    }
}
