import Foundation
import Testing
import CLinuxShim
import ConfigLanguage
import HostCgroups
import LaunchPlan
@testable import ContainerRuntime

/// The executor's pieces, without a full start.
struct RuntimePieceTests {
    @Test func runtimeErrorNamesStepPathAndErrno() {
        let error = RuntimeError.system("pivot_root", path: "/srv/web", errno: EINVAL)
        #expect(error.description == "pivot_root(/srv/web): Invalid argument (EINVAL)")
        let write = RuntimeError.system("write", path: "/sys/fs/cgroup/pids/x/pids.max", detail: "'12'", errno: EINVAL)
        #expect(write.description == "write(/sys/fs/cgroup/pids/x/pids.max) '12': Invalid argument (EINVAL)")
    }

    /// The single-thread check's count is the kernel's: between two listings of /proc/self/task
    /// (the test runner's threads may come and go; it runs several, so a count stuck at 1 or a
    /// failed parse, -1, is out of that range).
    @Test func threadCountIsTheKernelsCount() throws {
        func listed() throws -> Int { try FileManager.default.contentsOfDirectory(atPath: "/proc/self/task").count }
        let before = try listed()
        let counted = Syscall.threadCount()
        let after = try listed()
        #expect(counted >= 1 && counted >= min(before, after) && counted <= max(before, after), "\(before) \(counted) \(after)")

    }

    @Test func launchMessagesSurviveTheFraming() throws {
        let (a, b) = try LaunchChannel.pair()
        defer {
            a.close()
            b.close()
        }
        let messages: [LaunchMessage] = [.baton(12), .initPID(4242), .warning("mount(/x): é"), .failure(""), .execNext(30)]
        for message in messages { #expect(a.send(message)) }
        for message in messages { #expect(b.receive() == message) }
        a.close()
        #expect(b.receive() == nil)
    }

    @Test func mountOptionWordsBecomeFlagsAndTheRestIsData() {
        let (flags, data) = MountOptions.parse("nosuid,noexec,mode=755,size=65536k,rw")
        #expect(flags == CLS_MS_NOSUID | CLS_MS_NOEXEC)
        #expect(data == "mode=755,size=65536k")
    }

    @Test func cloneFlagsAlwaysIncludeTheMountNamespace() {
        let (_, names) = ForkedProcess.cloneFlags(NamespaceSet([NamespaceSet(.pid), NamespaceSet(.time)]))
        #expect(names == "CLONE_NEWNS|CLONE_NEWPID|CLONE_NEWTIME")
        let (_, none) = ForkedProcess.cloneFlags(NamespaceSet())
        #expect(none == "CLONE_NEWNS")
    }

    @Test func environmentPerMode() {
        let planned = ["PATH=/bin", "HOME=/root"]
        let caller = ["HOME=/home/me", "FOO=1"]
        #expect(ForkedProcess.environment(planned: planned, mode: .detached, caller: caller) == planned)
        #expect(
            ForkedProcess.environment(planned: planned, mode: .shellKeepEnvironment, caller: caller)
                == ["HOME=/home/me", "FOO=1", "PATH=/bin"])
    }

    @Test func planShapeRefusesStepsInTheWrongProcessOrOrder() {
        func plan(_ steps: [Step]) -> Plan {
            Plan(container: "x", configPath: "/c", configHash: "sha256:", cgroup: .v1, steps: steps)
        }
        let good = [
            Step(.launcher, .forkChild), Step(.child, .forkInit),
            Step(.`init`, .exec(program: InitProgram(path: "/i", location: .insideRoot), environment: [])),
        ]
        #expect(throws: Never.self) { try PlanShape.validate(plan(good)) }
        #expect(throws: RuntimeError.self) { try PlanShape.validate(plan([Step(.child, .lock(path: "/l"))] + good)) }
        #expect(throws: RuntimeError.self) { try PlanShape.validate(plan(Array(good.dropLast()))) }
        #expect(throws: RuntimeError.self) {
            try PlanShape.validate(plan([good[0], good[1], Step(.child, .resetTimeNamespaceClocks), good[2]]))
        }
    }

    @Test func containerRootResolvesInsideAndRefusesSymlinks() throws {
        let base = NSTemporaryDirectory() + "rt-root-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileManager.default.removeItem(atPath: base) }
        let outside = base + "/outside"
        try FileManager.default.createDirectory(atPath: base + "/root/etc", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: base + "/root/link", withDestinationPath: outside)
        let root = try ContainerRoot(hostPath: base + "/root")
        // Both spellings of a path inside the root name the same place.
        #expect(root.relativeComponents(base + "/root/etc") == ["etc"])
        #expect(root.relativeComponents("/etc") == ["etc"])
        // Missing components are created inside the root.
        let created = try root.openTarget("/a/b", creating: .directory)
        close(created)
        #expect(FileManager.default.fileExists(atPath: base + "/root/a/b"))
        // A symlink on the way is refused, and nothing is created behind it.
        #expect(throws: RuntimeError.self) { _ = try root.openTarget("/link/x", creating: .directory) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside).isEmpty)
        do {
            _ = try root.open("/link")
            Issue.record("a symlink was followed")
        } catch {
            #expect(error.errnoValue == ELOOP)
        }
    }

    @Test func cgroupSubtreeIsListedAndRemovedOnARealV2Cgroup() throws {
        let probe = CgroupProbe.probeHost()
        let v2 = try #require(probe.v2Root, "no cgroup2 hierarchy")
        let cgroup = v2 + "/rtp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        _ = try Syscall.makeDirectories(cgroup + "/inner")
        defer {
            rmdir(cgroup + "/inner")
            rmdir(cgroup)
        }
        #expect(LifecycleIO.subtree(of: cgroup) == [cgroup + "/inner", cgroup])
        #expect(LifecycleIO.processes(inSubtreesOf: [cgroup]).isEmpty)
        try LifecycleIO.removeCgroups([cgroup])
        #expect(!FileManager.default.fileExists(atPath: cgroup))
    }

    @Test func writeErrorsNameTheFileAndTheValue() throws {
        let base = NSTemporaryDirectory() + "rt-missing-\(getpid())"
        do {
            try Syscall.writeControlFile(base + "/pids.max", "12")
            Issue.record("writing a missing file succeeded")
        } catch {
            #expect(error.description.contains(base + "/pids.max"))
            #expect(error.description.contains("'12'"))
            #expect(error.description.contains("ENOENT"))
        }
    }
}
