import Foundation
import Testing
import ContainerState
@testable import ContainerRuntime

@Suite(.serialized) struct KillerTests {
    /// A shell that starts a double-forked daemon (its parent exits at once, so the daemon is
    /// reparented away from the shell) and then sleeps. Prints nothing.
    static let daemonScript = "(sleep 1000 &) ; exec sleep 1001"

    @Test func v1FreezerKillReachesDoubleForkedDaemonsAndCleansUp() throws {
        let box = try LifecycleSandbox()
        try box.create(box.v1Cgroups)
        let shell = try box.spawn(Self.daemonScript, into: box.v1Cgroups)
        #expect(eventually { box.count(box.v1Cgroups[1]) == 2 }, "shell and daemon are both in the cgroup")
        try box.writePidFile("\(shell)\n")
        let bystander = try box.spawnOutside("exec sleep 1002")

        let outcome = try Killer().kill(box.name, identityCgroups: box.v1Cgroups, state: box.state)

        #expect(outcome.signalled == 2)
        #expect(outcome.warnings.isEmpty)
        for cgroup in box.v1Cgroups { #expect(!FileManager.default.fileExists(atPath: cgroup)) }
        #expect(!FileManager.default.fileExists(atPath: box.state.pidPath(box.name)))
        #expect(bystander.isRunning, "a process outside the cgroup is never signalled")
    }

    @Test func v2CgroupKillReachesDaemonsAndWaitsForPopulatedZero() throws {
        let box = try LifecycleSandbox()
        try box.create([box.v2Cgroup])
        try #require(
            FileManager.default.fileExists(atPath: box.v2Cgroup + "/cgroup.kill"),
            "this kernel has no cgroup.kill (Linux < 5.14)")
        try box.spawn(Self.daemonScript, into: [box.v2Cgroup])
        #expect(eventually { box.count(box.v2Cgroup) == 2 })

        let outcome = try Killer().kill(box.name, identityCgroups: [box.v2Cgroup], state: box.state)

        #expect(outcome.signalled == 2)
        #expect(!FileManager.default.fileExists(atPath: box.v2Cgroup))
    }

    @Test func subCgroupsCreatedInsideTheContainerAreKilledAndRemoved() throws {
        let box = try LifecycleSandbox()
        let nested = box.v1Cgroups[1] + "/inner"
        try box.create(box.v1Cgroups + [nested])
        try box.spawn("exec sleep 1003", into: [box.v1Cgroups[0], nested])
        #expect(eventually { box.count(box.v1Cgroups[1]) == 1 })

        _ = try Killer().kill(box.name, identityCgroups: box.v1Cgroups, state: box.state)

        #expect(!FileManager.default.fileExists(atPath: nested))
        #expect(!FileManager.default.fileExists(atPath: box.v1Cgroups[1]))
    }

    @Test func aStalePidFileNamingAnUnrelatedProcessIsNeverSignalled() throws {
        let box = try LifecycleSandbox()
        try box.create(box.v1Cgroups)
        let unrelated = try box.spawnOutside("exec sleep 1004")
        try box.writePidFile("\(unrelated.processIdentifier)")
        try box.spawn("exec sleep 1005", into: box.v1Cgroups)

        _ = try Killer().kill(box.name, identityCgroups: box.v1Cgroups, state: box.state)

        #expect(unrelated.isRunning)
        #expect(isAlive(unrelated.processIdentifier))
    }

    @Test func killingAContainerWithoutCgroupsRemovesOnlyItsPidFile() throws {
        let box = try LifecycleSandbox()
        try box.writePidFile("garbage")
        let outcome = try Killer().kill(box.name, identityCgroups: box.v1Cgroups, state: box.state)
        #expect(outcome.signalled == 0)
        #expect(!FileManager.default.fileExists(atPath: box.state.pidPath(box.name)))
    }
}
