import Foundation
import Testing
import LaunchPlan
@testable import ContainerRuntime

/// The launcher's prepareIDMappedMount for real, without the checker in front: a mount source
/// on a filesystem without idmapped mounts (ramfs) stops the start at that step, before the
/// first cgroup is created and before anything is forked.
@Suite struct IDMappedMountStepTests {
    @Test func aSourceWithoutIdmapSupportStopsTheStartBeforeAnyCgroup() throws {
        let sandbox = try RuntimeSandbox()
        defer { sandbox.cleanup() }
        try sandbox.writeInit("echo started\nexec sleep 1000")
        try #require(mount("mct-test", sandbox.roSource, "ramfs", 0, nil) == 0, "mount ramfs: errno \(errno)")
        defer { umount2(sandbox.roSource, Int32(MNT_DETACH)) }
        let plan = try sandbox.makePlan()
        let prepare = try #require(
            plan.steps.firstIndex {
                if case let .prepareIDMappedMount(source, _, _, _, onFailure) = $0.action { return source == sandbox.roSource && onFailure == .abort }
                return false
            })
        let firstCgroup = try #require(
            plan.steps.firstIndex {
                if case .createCgroup = $0.action { return true }
                return false
            })
        #expect(prepare < firstCgroup, "the idmapped copies are prepared before any cgroup")
        let result = sandbox.execute(plan)
        #expect(result.exitStatus != 0)
        let error = "\(String(describing: result.error))"
        #expect(error.contains("prepareIDMappedMount") && error.contains("mount_setattr") && error.contains("EINVAL"), "\(error)")
        #expect(result.initPID == nil)
        for cgroup in sandbox.cgroups { #expect(!FileManager.default.fileExists(atPath: cgroup), "\(cgroup) exists") }
        #expect(!sandbox.log.contains("started"))
    }
}
