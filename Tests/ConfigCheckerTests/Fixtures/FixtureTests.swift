import Testing

/// Every fixture under Fixtures/check/ produces exactly the diagnostics its expectations name.
/// docs/diagnostics.md ("Fixtures") describes the format and how to add one.
@Suite struct FixtureTests {
    @Test(arguments: FixtureCorpus.configFixtures())
    func fixture(_ path: String) throws {
        let run = try FixtureRun.load(path)
        #expect(run.problems.isEmpty, Comment(rawValue: "\n" + run.problems.joined(separator: "\n")))
        if path.hasPrefix("clean/") {
            #expect(run.expectations.isEmpty, "a clean fixture carries no expectations")
            #expect(run.observed.isEmpty, "a clean fixture produces no diagnostic at all")
            #expect(run.checked != nil, "a clean fixture yields a checked config")
        }
    }

    /// Every expectation says where its range starts and ends (`@LINE:COLUMN-END`), so a
    /// diagnostic whose range grows past the offending token fails its fixture.
    @Test func everyExpectationPinsItsRange() throws {
        var loose: [String] = []
        for path in FixtureCorpus.configFixtures() {
            let run = try FixtureRun.load(path)
            loose += run.expectations.filter { $0.column == nil || $0.end == nil }.map { "\($0.writtenAt): \($0)" }
        }
        #expect(loose.isEmpty, "expectations without COLUMN-END:\n\(loose.joined(separator: "\n"))")
    }

    /// The codes whose subject is whitespace or a line break, so whose range may be blank.
    static let blankSubjects: Set<String> = ["trailing-whitespace", "whitespace-in-key", "crlf-line-ending"]

    /// No range of the corpus starts or ends with a blank or a line break: a range is a token,
    /// not the space around it (whitespace codes aside).
    @Test func noRangeHasBlankEdges() throws {
        var padded: [String] = []
        for path in FixtureCorpus.configFixtures() {
            for observed in try FixtureRun.load(path).observed where !Self.blankSubjects.contains(observed.code) {
                let edges = [observed.text.unicodeScalars.first, observed.text.unicodeScalars.last].compactMap { $0 }
                if edges.contains(where: { [" ", "\t", "\n", "\r"].contains($0) }) {
                    padded.append("\(path): \(observed) covers \(observed.text.debugDescription)")
                }
            }
        }
        #expect(padded.isEmpty, "ranges with blank edges:\n\(padded.joined(separator: "\n"))")
    }

    @Test func corpusIsFound() {
        let fixtures = FixtureCorpus.configFixtures()
        #expect(fixtures.contains { $0.hasPrefix("semantics/") })
        #expect(fixtures.contains { $0.hasPrefix("clean/") })
    }

    @Test func everySidecarBelongsToAFixture() {
        let fixtures = Set(FixtureCorpus.configFixtures())
        let orphans = FixtureCorpus.allFiles().filter { $0.hasSuffix(".expect") }.filter { sidecar in
            !fixtures.contains { FixtureCorpus.sidecar(of: $0) == sidecar }
        }
        #expect(orphans.isEmpty, "sidecars without a fixture: \(orphans)")
    }
}
