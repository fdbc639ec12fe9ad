import Foundation
import HostCgroups
import LaunchPlan
import Testing

private typealias S = PlanTestSupport

/// Golden plans: every config in Fixtures/plan/configs goes through the real pipeline (parser,
/// checker without filesystem rules, generator) for v1 and v2, with fixed state directory,
/// cgroup mounts and parent, and is compared with Fixtures/plan/expected/NAME.VERSION.{txt,json}.
/// `RECORD_GOLDEN=1 swift test --filter GoldenPlanTests` re-records them.
@Suite struct GoldenPlanTests {
    static let configs: [String] = {
        let directory = S.fixtureDirectory.appendingPathComponent("configs").path
        return ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { !$0.hasPrefix(".") }.sorted()
    }()

    static let recording = ProcessInfo.processInfo.environment["RECORD_GOLDEN"] == "1"

    @Test func thereAreFixtures() {
        #expect(Self.configs.count >= 4)
        #expect(Self.configs.contains { $0.hasSuffix(".yaml") })
    }

    @Test(arguments: configs, CgroupVersion.allCases)
    func goldenPlan(config fileName: String, version: CgroupVersion) throws {
        let (checked, bytes) = try S.compileFixture(fileName, cgroup: version)
        let options = PlanOptions(
            cgroupLayout: S.layout(version), stateDirectory: S.state,
            configPath: "/containers/configs/\(fileName)", configBytes: bytes)
        let plan = try PlanGenerator.generate(checked, options: options)
        try compare(plan.text, golden: "\(fileName).\(version.rawValue).txt")
        try compare(plan.json(pretty: true) + "\n", golden: "\(fileName).\(version.rawValue).json")
        // The golden JSON is a plan `start --plan` accepts, equal to the generated one.
        let goldenURL = S.fixtureDirectory.appendingPathComponent("expected/\(fileName).\(version.rawValue).json")
        let reread = try PlanJSONReader.read([UInt8](try Data(contentsOf: goldenURL)))
        let readsBack = reread == plan
        #expect(readsBack, "\(goldenURL.lastPathComponent) does not read back to the generated plan")
    }

    /// The exec plan of `container exec NAME sh -c 'echo $$'` (`plan --exec`), text and JSON,
    /// in Fixtures/plan/expected/NAME.VERSION.exec.{txt,json}.
    @Test(arguments: ["everything", "minimal"], CgroupVersion.allCases)
    func goldenExecPlan(config fileName: String, version: CgroupVersion) throws {
        let (checked, bytes) = try S.compileFixture(fileName, cgroup: version)
        let options = PlanOptions(
            cgroupLayout: S.layout(version), stateDirectory: S.state,
            configPath: "/containers/configs/\(fileName)", configBytes: bytes)
        let plan = try ExecPlanGenerator.generate(checked, arguments: ["sh", "-c", "echo $$"], options: options)
        try compare(plan.text, golden: "\(fileName).\(version.rawValue).exec.txt")
        try compare(plan.json(pretty: true) + "\n", golden: "\(fileName).\(version.rawValue).exec.json")
        // A start plan file never holds exec steps: `start --plan` refuses one.
        #expect(throws: PlanReadError.self) { try PlanJSONReader.read(plan.jsonValue) }
    }

    private func compare(_ actual: String, golden name: String) throws {
        let url = S.fixtureDirectory.appendingPathComponent("expected/" + name)
        if Self.recording {
            try actual.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            Issue.record("missing golden \(name): run with RECORD_GOLDEN=1")
            return
        }
        guard actual != expected else { return }
        // Report the first differing line, not two whole plans.
        let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let common = min(actualLines.count, expectedLines.count)
        let line = (0..<common).first { actualLines[$0] != expectedLines[$0] } ?? common
        let got = line < actualLines.count ? String(actualLines[line]) : "<end>"
        let want = line < expectedLines.count ? String(expectedLines[line]) : "<end>"
        Issue.record("plan differs from \(name) at line \(line + 1):\n  got:  \(got)\n  want: \(want)\n(RECORD_GOLDEN=1 re-records)")
    }
}
