import Foundation
import HostCgroups
import LaunchPlan
import Testing
import TestSupport

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
        if let difference = try GoldenFile.difference(actual, golden: S.fixtureDirectory.appendingPathComponent("expected/" + name)) {
            Issue.record(Comment(rawValue: difference))
        }
    }
}
