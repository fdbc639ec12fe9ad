import Foundation
import Testing
import ContainerState
@testable import ContainerRuntime

@Suite(.serialized) struct StatusTests {
    @Test func runningWithAVerifiedPid() throws {
        let box = try LifecycleSandbox()
        try box.create(box.v1Cgroups)
        let pid = try box.spawn("exec sleep 1010", into: box.v1Cgroups)
        try box.writePidFile("\(pid)\n")
        let status = ContainerStatus.probe(box.name, identityCgroups: box.v1Cgroups, state: box.state)
        #expect(status == ContainerStatus(name: box.name, running: true, pid: pid))
    }

    @Test(arguments: ["garbage", "0", "", "-1", "1"])
    func aGarbagePidFileGivesNoPid(_ text: String) throws {
        let box = try LifecycleSandbox()
        try box.create([box.v2Cgroup])
        try box.spawn("exec sleep 1011", into: [box.v2Cgroup])
        try box.writePidFile(text)
        let status = ContainerStatus.probe(box.name, identityCgroups: [box.v2Cgroup], state: box.state)
        #expect(status.running)
        #expect(status.pid == nil)
    }

    @Test func aPidOutsideTheCgroupIsNotReported() throws {
        let box = try LifecycleSandbox()
        try box.create(box.v1Cgroups)
        try box.spawn("exec sleep 1012", into: box.v1Cgroups)
        let unrelated = try box.spawnOutside("exec sleep 1013")
        try box.writePidFile("\(unrelated.processIdentifier)")
        let status = ContainerStatus.probe(box.name, identityCgroups: box.v1Cgroups, state: box.state)
        #expect(status.running)
        #expect(status.pid == nil)
    }

    @Test func emptyOrMissingCgroupsMeanNotRunningWhateverThePidFileSays() throws {
        let box = try LifecycleSandbox()
        try box.create(box.v1Cgroups)
        let unrelated = try box.spawnOutside("exec sleep 1014")
        try box.writePidFile("\(unrelated.processIdentifier)")
        let status = ContainerStatus.probe(
            box.name, identityCgroups: box.v1Cgroups + [box.v2Cgroup], state: box.state)
        #expect(status == ContainerStatus(name: box.name, running: false, pid: nil))
    }

    @Test func leftoversOfAStoppedContainerAreRemovedOnlyWhileTheLockIsFree() throws {
        let box = try LifecycleSandbox()
        try box.create(box.v1Cgroups)
        try box.writePidFile("12345")
        let lockPath = box.state.lockPath(box.name)
        let lock = open(lockPath, O_RDWR | O_CREAT, 0o600)
        defer { close(lock) }
        #expect(flock(lock, LOCK_EX) == 0)

        #expect(!LifecycleCleanup.removeLeftovers(box.name, identityCgroups: box.v1Cgroups, state: box.state))
        #expect(FileManager.default.fileExists(atPath: box.v1Cgroups[0]), "a start holding the lock owns them")

        flock(lock, LOCK_UN)
        #expect(LifecycleCleanup.removeLeftovers(box.name, identityCgroups: box.v1Cgroups, state: box.state))
        for cgroup in box.v1Cgroups { #expect(!FileManager.default.fileExists(atPath: cgroup)) }
        #expect(!FileManager.default.fileExists(atPath: box.state.pidPath(box.name)))
    }

    @Test func leftoversOfARunningContainerAreKept() throws {
        let box = try LifecycleSandbox()
        try box.create(box.v1Cgroups)
        try box.spawn("exec sleep 1015", into: box.v1Cgroups)
        #expect(!LifecycleCleanup.removeLeftovers(box.name, identityCgroups: box.v1Cgroups, state: box.state))
        #expect(box.count(box.v1Cgroups[0]) == 1)
    }
}

@Suite struct PidFileTests {
    @Test(arguments: [("123", 123), ("123\n", 123), ("4194304", 4_194_304)] as [(String, Int32)])
    func parsesAPid(_ text: String, _ pid: Int32) {
        #expect(LifecyclePidFile.parse(text) == pid)
    }

    @Test(arguments: [
        "", "\n", "0", "1", "-5", "abc", "12a", " 12", "12 ", "12\n\n", "+12",
        "99999999999", "2147483648", "１２",
    ])
    func refusesAnythingElse(_ text: String) {
        #expect(LifecyclePidFile.parse(text) == nil)
    }

    @Test func aSymlinkedPidFileIsNotFollowedAndRemovingItKeepsTheTarget() throws {
        let box = try LifecycleSandbox()
        let target = box.state.path + "/target"
        try "4242".write(toFile: target, atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: box.state.pidPath(box.name), withDestinationPath: target)
        #expect(LifecyclePidFile.read(box.name, state: box.state) == nil)
        try LifecyclePidFile.remove(box.name, state: box.state)
        #expect(!LifecyclePidFile.exists(box.name, state: box.state))
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "4242")
    }
}

/// Field 22 of /proc/PID/stat, found after the last `)` of a command name that may hold
/// spaces and parentheses.
@Suite struct UsageParsingTests {
    @Test func startTimeIsFieldTwentyTwoWhateverTheCommandName() {
        let fields = (3...30).map { $0 == 22 ? "123456" : String($0) }.joined(separator: " ")
        #expect(ContainerUsage.startTicks(stat: "42 (sh) " + fields) == 123_456)
        #expect(ContainerUsage.startTicks(stat: "42 (a) (b c)) " + fields) == 123_456)
        #expect(ContainerUsage.startTicks(stat: "42 (sh) S 1 2") == nil, "too few fields")
        #expect(ContainerUsage.startTicks(stat: "garbage") == nil)
    }

    @Test func ourOwnUptimeIsReadable() {
        let uptime = ContainerUsage.uptime(getpid())
        #expect(uptime != nil && uptime! < 24 * 3600)
    }
}
