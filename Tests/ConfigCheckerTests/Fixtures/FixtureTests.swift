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
