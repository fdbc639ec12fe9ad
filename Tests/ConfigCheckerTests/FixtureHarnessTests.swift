import Testing

/// The harness must fail a fixture for each kind of mismatch; one that passed everything would
/// make every fixture test meaningless.
@Suite struct FixtureHarnessTests {
    static let body = "root=/srv//web\ninit=/sbin/init\nnamespaces=all\n"

    @Test func metExpectationPasses() throws {
        let run = try FixtureRun("t.conf", bytes: Array(("# expect-warning@+1:11 [path-not-normalized]\n" + Self.body).utf8))
        #expect(run.problems.isEmpty)
    }

    @Test func unexpectedWarningFails() throws {
        let run = try FixtureRun("t.conf", bytes: Array(Self.body.utf8))
        #expect(run.problems.count == 1)
        #expect(run.problems.first?.hasPrefix("unexpected: t.conf:1:11") == true)
    }

    @Test func movedExpectationFails() throws {
        let run = try FixtureRun("t.conf", bytes: Array(("# expect-warning@+1:12 [path-not-normalized]\n" + Self.body).utf8))
        #expect(run.problems.count == 1)
        #expect(run.problems.first?.hasPrefix("moved: t.conf:2:12") == true)
        #expect(run.problems.first?.contains("found at t.conf:2:11") == true)
    }

    @Test func missingExpectationFails() throws {
        let text = "# expect-error@3 [root-not-found]\n# expect-warning@+1:11 [path-not-normalized]\n" + Self.body
        let run = try FixtureRun("t.conf", bytes: Array(text.utf8))
        #expect(run.problems.count == 1)
        #expect(run.problems.first?.hasPrefix("missing: t.conf:3: expected error [root-not-found] at 3") == true)
    }

    /// `/srv//web`: the warning is at the doubled `/`, one column wide.
    @Test func rangeEndIsCompared() throws {
        let pinned = try FixtureRun("t.conf", bytes: Array(("# expect-warning@+1:11-12 [path-not-normalized]\n" + Self.body).utf8))
        #expect(pinned.problems.isEmpty)
        let tooWide = try FixtureRun("t.conf", bytes: Array(("# expect-warning@+1:11-15 [path-not-normalized]\n" + Self.body).utf8))
        #expect(tooWide.problems.count == 1)
        #expect(tooWide.problems.first?.hasPrefix("moved: t.conf:2:11 expected warning [path-not-normalized] at 2:11-15, found at t.conf:2:11-12") == true)
        let otherLine = try FixtureRun("t.conf", bytes: Array(("# expect-warning@+1:11-+2:1 [path-not-normalized]\n" + Self.body).utf8))
        #expect(otherLine.problems.count == 1)
    }

    @Test func sidecarLinesAreAbsolute() throws {
        let run = try FixtureRun(
            "t.conf", bytes: Array(Self.body.utf8),
            sidecar: ("t.conf.expect", "expect-warning@1:11 [path-not-normalized]\n"))
        #expect(run.problems.isEmpty)
    }

    @Test func notesAreCheckedOnlyWhenExpected() throws {
        let body = "root=/srv/web\ninit=/sbin/init\nnamespaces=all\nmount=/a:/d\nmount=/b:/d\n"
        let unnamed = try FixtureRun("t.conf", bytes: Array((body + "# expect-error@-1:10 [duplicate-mount-destination]\n").utf8))
        #expect(unnamed.problems.isEmpty)
        let wrongNote = try FixtureRun(
            "t.conf",
            bytes: Array(
                (body
                    + "# expect-error@-1:10 [duplicate-mount-destination]\n# expect-note@5:10 [duplicate-mount-destination]\n").utf8))
        #expect(wrongNote.problems.count == 1)
        #expect(wrongNote.problems.first?.hasPrefix("moved: t.conf:5:10") == true)
    }
}
