import Foundation
import Testing
import ContainerEngine
import ContainerState
import Diagnostics

/// check, kill, list and start-all through the engine over a fake cgroup root, without root.
@Suite struct EngineLifecycleTests {
    @Test func checkAllReportsEveryFileAndDuplicateConfigs() throws {
        let sandbox = try EngineSandbox()
        try sandbox.writeConfig("one", EngineSandbox.valid)
        try sandbox.writeConfig("two", EngineSandbox.valid)
        try sandbox.writeConfig("two.yaml", "root: /srv/box\ninit: /sbin/init\nnamespaces: ph\n")
        try sandbox.writeConfig("one~", "not a container\n")
        var files: [String: [DiagnosticID]] = [:]
        sandbox.engine().check(.all, useFilesystem: false) { item in
            if case let .checked(result) = item { files[result.file.path, default: []] += result.diagnostics.map(\.id) }
        }
        let configs = sandbox.state.configsDirectory
        #expect(files.keys.sorted() == [configs + "/one", configs + "/two", configs + "/two.yaml"])
        #expect(files[configs + "/two"] == [.duplicateConfig])
        #expect(files[configs + "/one"] == [])
    }

    @Test func checkReportsAMissingNameAndGoesOn() throws {
        let sandbox = try EngineSandbox()
        try sandbox.writeConfig("one", EngineSandbox.valid + "max_physical_memory=1M\n")
        var unreadable = 0
        var severities: [Severity] = []
        sandbox.engine().check(.named(["nope", "one"]), useFilesystem: false, strict: true) { item in
            switch item {
            case .unreadable: unreadable += 1
            case let .checked(result): severities += result.diagnostics.map(\.severity)
            }
        }
        #expect(unreadable == 1)
        #expect(severities == [.error], "--strict promotes the small-memory warning")
    }

    @Test func killRefusesAnInvalidNameAndAStoppedContainerAndCleansItsLeftovers() throws {
        let sandbox = try EngineSandbox()
        let engine = sandbox.engine()
        #expect(throws: EngineError.self) { try engine.kill("../x") }
        do { _ = try engine.kill("../x") } catch { #expect(error.exitStatus == 2) }

        try FileManager.default.createDirectory(atPath: sandbox.cgroup("gone"), withIntermediateDirectories: true)
        do {
            _ = try engine.kill("gone")
            Issue.record("a stopped container was killed")
        } catch {
            #expect(error.exitStatus == 1)
            #expect(error.description == "container 'gone' is not running")
        }
        #expect(!sandbox.exists(sandbox.cgroup("gone")), "the empty leftover cgroup is removed")
    }

    @Test func listShowsConfiguredAndRunningContainers() throws {
        let sandbox = try EngineSandbox()
        try sandbox.writeConfig("alpha", EngineSandbox.valid)
        try sandbox.writeConfig("beta", EngineSandbox.valid)
        try sandbox.markRunning("beta")
        try "\(getpid())\n".write(toFile: sandbox.state.pidPath(try ContainerName(validating: "beta")), atomically: false, encoding: .utf8)
        try sandbox.markRunning("orphan")  // running, config deleted
        let all = try sandbox.engine().list()
        #expect(all.map(\.name.rawValue) == ["alpha", "beta", "orphan"])
        #expect(all.map(\.running) == [false, true, true])
        #expect(all[1].pid == getpid(), "the pid file's pid is in the cgroup: verified")
        #expect(all[2].pid == nil)
        #expect(try sandbox.engine().list(runningOnly: true).map(\.name.rawValue) == ["beta", "orphan"])
    }

    /// A running container's usage comes from its cgroup's files and init's start time; a
    /// file the kernel lacks (`memory.peak` before 5.19) is unknown (nil), not 0; a stopped
    /// container has no usage.
    @Test func listReadsUsageFromTheCgroupFiles() throws {
        let sandbox = try EngineSandbox()
        for name in ["alpha", "beta"] { try sandbox.writeConfig(name, EngineSandbox.valid) }
        try sandbox.markRunning("beta", withPidFile: true)
        try "7340032\n".write(toFile: sandbox.cgroup("beta") + "/memory.current", atomically: false, encoding: .utf8)
        try "4\n".write(toFile: sandbox.cgroup("beta") + "/pids.current", atomically: false, encoding: .utf8)

        let statuses = try sandbox.engine().list()

        #expect(statuses[0].usage == nil, "alpha is not running")
        let usage = try #require(statuses[1].usage)
        #expect(usage.memoryCurrent == 7_340_032)
        #expect(usage.memoryPeak == nil, "no memory.peak file: unknown")
        #expect(usage.tasks == 4)
        // This test process is init here: its uptime is that of the test run, a few minutes at most.
        let uptime = try #require(usage.uptimeSeconds)
        #expect(uptime < 3600, "\(uptime)")

        try "9437184\n".write(toFile: sandbox.cgroup("beta") + "/memory.peak", atomically: false, encoding: .utf8)
        #expect(try sandbox.engine().list()[1].usage?.memoryPeak == 9_437_184)
    }

    /// `list` reads the parent cgroup and pids/ once instead of looking at every container's
    /// cgroups: a container with a leftover of either kind must still be cleaned up.
    @Test func listCleansUpLeftoversOfStoppedContainersFoundByListingOnce() throws {
        let sandbox = try EngineSandbox()
        for name in ["clean", "running", "stale-cgroup", "stale-pid"] { try sandbox.writeConfig(name, EngineSandbox.valid) }
        try FileManager.default.createDirectory(atPath: sandbox.cgroup("stale-cgroup"), withIntermediateDirectories: true)
        let stalePidFile = sandbox.state.pidPath(try ContainerName(validating: "stale-pid"))
        try "999999\n".write(toFile: stalePidFile, atomically: false, encoding: .utf8)
        try sandbox.markRunning("running")
        let all = try sandbox.engine().list()
        #expect(all.map(\.name.rawValue) == ["clean", "running", "stale-cgroup", "stale-pid"])
        #expect(all.map(\.running) == [false, true, false, false])
        #expect(!sandbox.exists(sandbox.cgroup("stale-cgroup")), "the empty cgroup of a stopped container is removed")
        #expect(!sandbox.exists(stalePidFile), "the pid file of a stopped container is removed")
        #expect(sandbox.exists(sandbox.cgroup("running")), "a running container's cgroup stays")
    }

    @Test func startAllSkipsRunningContainersAndGoesOnPastFailures() throws {
        let sandbox = try EngineSandbox()
        try sandbox.writeConfig("a-broken", "root=/srv/box\n")
        try sandbox.writeConfig("b-running", EngineSandbox.valid)
        try sandbox.writeConfig("c-broken", "init=/sbin/init\n")
        try sandbox.markRunning("b-running")
        var events: [String] = []
        let summary = try sandbox.engine().startAll { event in
            switch event {
            case let .skipped(name, _): events.append("skipped \(name)")
            case let .tried(name, outcome): events.append("\(name) \(outcome.exitStatus)")
            }
        }
        #expect(events == ["a-broken 1", "skipped b-running", "c-broken 1"])
        #expect(summary.failed.map(\.rawValue) == ["a-broken", "c-broken"])
        #expect(summary.skipped == 1 && summary.started == 0)
    }
}
