import Foundation
import Testing
import LaunchPlan
@testable import ContainerRuntime

/// The launcher's cgroup steps against real v2 directories (the unified hierarchy here has no
/// controllers, so limit files are exercised in a fake directory).
@Suite(.serialized) struct CgroupStepTests {
    @Test func limitValuesAreWrittenToTheFilesThePlanNames() throws {
        let sandbox = try RuntimeSandbox()
        defer { sandbox.cleanup() }
        try sandbox.writeInit("exit 0\n")
        var plan = try sandbox.makePlan(namespaces: "phi", version: .v2)
        let fake = sandbox.base + "/fake-cgroup"
        try FileManager.default.createDirectory(atPath: fake, withIntermediateDirectories: true)
        for file in ["memory.max", "pids.max", "cpu.weight"] {
            FileManager.default.createFile(atPath: fake + "/" + file, contents: nil)
        }
        let writes = [("memory.max", "536870912"), ("pids.max", "64"), ("cpu.weight", "100")]
        let fork = try #require(plan.steps.firstIndex { $0.action == .forkChild })
        plan.steps.insert(contentsOf: writes.map { Step(.launcher, .writeCgroup(path: fake + "/" + $0.0, value: $0.1)) }, at: fork)
        let result = sandbox.execute(plan, mode: .foreground)
        #expect(result.exitStatus == 0, "\(String(describing: result.error))")
        for (file, value) in writes {
            #expect(try String(contentsOfFile: fake + "/" + file, encoding: .utf8) == value)
        }
    }

    @Test func aFailedWriteNamesFileAndValueAndRemovesTheCreatedCgroups() throws {
        let sandbox = try RuntimeSandbox()
        defer { sandbox.cleanup() }
        try sandbox.writeInit("exit 0\n")
        var plan = try sandbox.makePlan(namespaces: "phi", version: .v2)
        let cgroup = try #require(sandbox.cgroups.last)
        let fork = try #require(plan.steps.firstIndex { $0.action == .forkChild })
        // The unified hierarchy has no memory controller: memory.max does not exist.
        plan.steps.insert(Step(.launcher, .writeCgroup(path: cgroup + "/memory.max", value: "4096")), at: fork)
        let result = sandbox.execute(plan)
        #expect(result.exitStatus == 1)
        let message = result.error?.description ?? ""
        #expect(message.contains(cgroup + "/memory.max") && message.contains("'4096'"), "\(message)")
        #expect(!FileManager.default.fileExists(atPath: cgroup), "the created cgroup was left behind")
        #expect(sandbox.log.contains("memory.max"))
    }

    @Test func anEmptyLeftoverCgroupIsRemovedAndTheStartGoesOn() throws {
        let sandbox = try RuntimeSandbox()
        defer { sandbox.cleanup() }
        try sandbox.writeInit("exit 0\n")
        let plan = try sandbox.makePlan(namespaces: "phi", version: .v2)
        let cgroup = try #require(sandbox.cgroups.last)
        // A stopped container's cgroup, with a sub-cgroup its init had made.
        try FileManager.default.createDirectory(atPath: cgroup + "/leftover", withIntermediateDirectories: true)
        let result = sandbox.execute(plan, mode: .foreground)
        #expect(result.exitStatus == 0, "\(String(describing: result.error))")
        #expect(!FileManager.default.fileExists(atPath: cgroup + "/leftover"))
    }
}
