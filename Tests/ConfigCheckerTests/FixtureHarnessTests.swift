import Testing

/// The harness must fail a fixture for each kind of mismatch; one that passed everything would
/// make every fixture test meaningless.
@Suite struct FixtureHarnessTests {
    static let body = "root=/srv//web\ninit=/sbin/init\nnamespaces=all\n"

    @Test func metExpectationPasses() throws {
        let run = try FixtureRun("t.conf", bytes: Array(("# expect-warning@+1:6 [path-not-normalized]\n" + Self.body).utf8))
        #expect(run.problems.isEmpty)
    }

    @Test func unexpectedWarningFails() throws {
        let run = try FixtureRun("t.conf", bytes: Array(Self.body.utf8))
        #expect(run.problems.count == 1)
        #expect(run.problems.first?.hasPrefix("unexpected: t.conf:1:6") == true)
    }

    @Test func movedExpectationFails() throws {
        let run = try FixtureRun("t.conf", bytes: Array(("# expect-warning@+1:7 [path-not-normalized]\n" + Self.body).utf8))
        #expect(run.problems.count == 1)
        #expect(run.problems.first?.hasPrefix("moved: t.conf:2:7") == true)
        #expect(run.problems.first?.contains("found at t.conf:2:6") == true)
    }

    @Test func missingExpectationFails() throws {
        let text = "# expect-error@3 [root-not-found]\n# expect-warning@+1:6 [path-not-normalized]\n" + Self.body
        let run = try FixtureRun("t.conf", bytes: Array(text.utf8))
        #expect(run.problems.count == 1)
        #expect(run.problems.first?.hasPrefix("missing: t.conf:3: expected error [root-not-found] at 3") == true)
    }

    @Test func sidecarLinesAreAbsolute() throws {
        let run = try FixtureRun("t.conf", bytes: Array(Self.body.utf8),
                                 sidecar: ("t.conf.expect", "expect-warning@1:6 [path-not-normalized]\n"))
        #expect(run.problems.isEmpty)
    }

    @Test func notesAreCheckedOnlyWhenExpected() throws {
        let body = "root=/srv/web\ninit=/sbin/init\nnamespaces=all\nmount=/a:/d\nmount=/b:/d\n"
        let unnamed = try FixtureRun("t.conf", bytes: Array((body + "# expect-error@-1:10 [duplicate-mount-destination]\n").utf8))
        #expect(unnamed.problems.isEmpty)
        let wrongNote = try FixtureRun("t.conf", bytes: Array((body
            + "# expect-error@-1:10 [duplicate-mount-destination]\n# expect-note@5:10 [duplicate-mount-destination]\n").utf8))
        #expect(wrongNote.problems.count == 1)
        #expect(wrongNote.problems.first?.hasPrefix("moved: t.conf:5:10") == true)
    }
}
