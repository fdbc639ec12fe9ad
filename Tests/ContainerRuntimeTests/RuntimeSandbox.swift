import Foundation
import Testing
import ConfigChecker
import ConfigLanguage
import ContainerState
import HostCgroups
import LaunchPlan
@testable import ContainerRuntime

/// A busybox-static rootfs, a state directory and a unique cgroup parent for one runtime test.
/// `cleanup()` kills every process left in the container's cgroups, reaps init, removes the
/// cgroups and the temporary tree; it runs from `deinit` too, so a failing test cleans up.
final class RuntimeSandbox {
    let name = "rt"
    let parent = "rtt-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    let base: String
    let root: String
    let state: StateDirectory
    /// A host directory bound read-write at /rw, and one bound read-only at /ro.
    let rwSource: String
    let roSource: String
    var plan: Plan?
    var initPID: pid_t?
    private var cleaned = false

    init(sourceLocation: SourceLocation = #_sourceLocation) throws {
        try #require(getuid() == 0, "runtime tests start real containers and must run as root", sourceLocation: sourceLocation)
        try #require(FileManager.default.fileExists(atPath: "/bin/busybox"), "needs busybox-static", sourceLocation: sourceLocation)
        base = NSTemporaryDirectory() + "runtime-" + parent
        root = base + "/root"
        rwSource = base + "/rw-source"
        roSource = base + "/ro-source"
        state = StateDirectory(path: base + "/state")
        let manager = FileManager.default
        for directory in ["bin", "proc", "dev", "tmp", "etc", "rw", "ro"] {
            try manager.createDirectory(atPath: root + "/" + directory, withIntermediateDirectories: true)
        }
        for directory in [rwSource, roSource, state.path + "/configs"] {
            try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        // Owned by host root, as created: the idmapped mount (id_map_mode=idmap, the default
        // with u) shows it as the container root's, so that may write the rw mount.
        try manager.copyItem(atPath: "/bin/busybox", toPath: root + "/bin/busybox")
        for applet in ["sh", "cat", "echo", "hostname", "id", "sleep", "touch", "cut", "grep", "wc", "ls", "true", "false", "readlink"] {
            try manager.createSymbolicLink(atPath: root + "/bin/" + applet, withDestinationPath: "busybox")
        }
    }

    deinit { cleanup() }

    /// Writes `/init` into the root: a shell script (mode 0755).
    func writeInit(_ script: String) throws {
        try ("#!/bin/sh\n" + script).write(toFile: root + "/init", atomically: false, encoding: .utf8)
        chmod(root + "/init", 0o755)
    }

    /// The plan of a config with these settings, for the host's cgroups under our parent.
    func makePlan(
        namespaces: String = "uphtic", initPath: String = "/init", initLocation: InitProgram.Location = .insideRoot,
        version: CgroupVersion = .v1, mounts: [CheckedConfig.Mount]? = nil, maxProcesses: ProcessLimit? = .count(64)
    ) throws -> Plan {
        var set = NamespaceSet()
        for letter in namespaces { if let namespace = Namespace(rawValue: letter) { set.insert(NamespaceSet(namespace)) } }
        let config = CheckedConfig(
            name: name, root: root, initProgram: InitProgram(path: initPath, location: initLocation),
            namespaces: set, maxPhysicalMemory: nil, maxMemory: nil, maxProcesses: version == .v1 ? maxProcesses : nil,
            cpuShare: nil, netClassID: nil,
            mounts: mounts ?? [
                .init(source: rwSource, destination: "/rw", readOnly: false),
                .init(source: roSource, destination: "/ro", readOnly: true),
            ],
            ioLimits: [], idMapStart: CheckedConfig.defaultIDMapStart, idMapMode: .idmap, stopSignal: CheckedConfig.defaultStopSignal,
            netBridge: nil, netAddress: nil, netGateway: nil)
        // The host's own layout, its version overridden: v2 on a hybrid host is its unified
        // hierarchy (without controllers), so the v2 steps run for real here.
        var layout = CgroupLayout(host: CgroupProbe.probeHost(), parent: parent)
        layout.version = version
        let options = PlanOptions(cgroupLayout: layout, stateDirectory: state, configPath: state.path + "/configs/" + name, configBytes: [])
        let plan = try PlanGenerator.generate(config, options: options)
        self.plan = plan
        return plan
    }

    /// Runs the plan in this (multi-threaded test) process.
    func execute(_ plan: Plan, mode: StartMode = .detached) -> ExecutionResult {
        let result = PlanExecutor(plan: plan, options: ExecutionOptions(mode: mode, requireSingleThread: false)).execute()
        if let pid = result.initPID { initPID = pid }
        return result
    }

    /// Every cgroup directory the plan creates.
    var cgroups: [String] {
        (plan?.steps ?? []).compactMap { step in
            if case let .createCgroup(path) = step.action { return path }
            return nil
        }
    }

    var log: String { (try? String(contentsOfFile: state.logsDirectory + "/" + name, encoding: .utf8)) ?? "" }

    /// Polls until the log has `marker` or the deadline passes.
    func waitForLog(_ marker: String, milliseconds: Int = 10_000) -> Bool {
        runtimeEventually(milliseconds: milliseconds) { self.log.contains(marker) }
    }

    func cleanup() {
        guard !cleaned else { return }
        cleaned = true
        for cgroup in cgroups.reversed() {
            for pid in processes(in: cgroup) { kill(pid, SIGKILL) }
        }
        if let initPID {
            kill(initPID, SIGKILL)
            var status: Int32 = 0
            waitpid(initPID, &status, 0)
        }
        for cgroup in cgroups.reversed() {
            _ = runtimeEventually(milliseconds: 5_000) { self.processes(in: cgroup).isEmpty }
            rmdir(cgroup)
        }
        for hierarchy in ["devices", "freezer", "pids", "memory", "cpu", "blkio", "unified"] {
            rmdir("/sys/fs/cgroup/\(hierarchy)/\(parent)")
        }
        try? FileManager.default.removeItem(atPath: base)
    }

    func processes(in cgroup: String) -> [pid_t] {
        ((try? String(contentsOfFile: cgroup + "/cgroup.procs", encoding: .utf8)) ?? "")
            .split(separator: "\n").compactMap { pid_t($0) }
    }
}

/// Polls `condition` until it holds or the deadline passes; the condition decides, not a delay.
func runtimeEventually(milliseconds: Int = 5_000, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(Double(milliseconds) / 1000)
    while Date() < deadline {
        if condition() { return true }
        usleep(2_000)
    }
    return condition()
}

/// The value of `key=` on a line of `text`.
func runtimeValue(_ key: String, in text: String) -> String? {
    for line in text.split(separator: "\n") where line.hasPrefix(key + "=") {
        return String(line.dropFirst(key.count + 1))
    }
    return nil
}
