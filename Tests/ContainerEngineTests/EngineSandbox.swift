import Foundation
import Testing
import ContainerEngine
import ContainerState
import HostCgroups
import LaunchPlan

/// A temporary state directory and a fake cgroup2 "mount" (a plain directory the probe is told
/// is cgroup2), so the engine's driver runs without root and without touching the host: a
/// container is "running" when its cgroup directory holds a `cgroup.procs` naming a live pid.
final class EngineSandbox {
    let base: String
    let state: StateDirectory
    let cgroupRoot: String
    let parent = "engine-tests"

    init() throws {
        base = NSTemporaryDirectory() + "engine-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        state = StateDirectory(path: base + "/state")
        cgroupRoot = base + "/cgroup"
        for directory in ["state/configs", "state/logs", "state/pids", "cgroup/" + parent] {
            try FileManager.default.createDirectory(atPath: base + "/" + directory, withIntermediateDirectories: true)
        }
    }

    deinit { try? FileManager.default.removeItem(atPath: base) }

    /// An engine over the sandbox, its host probed from a mountinfo line naming the fake root.
    func engine() -> ContainerEngine {
        let mountinfo = "30 25 0:26 / \(cgroupRoot) rw,nosuid,nodev,noexec - cgroup2 cgroup2 rw\n"
        let host = CgroupProbe.parse(mountinfo: mountinfo, root: cgroupRoot)
        return ContainerEngine(state: state, host: host, cgroupParent: parent)
    }

    /// Writes `configs/FILE`.
    func writeConfig(_ file: String, _ text: String) throws {
        try text.write(toFile: state.configsDirectory + "/" + file, atomically: false, encoding: .utf8)
    }

    /// A config that checks clean without the filesystem.
    static let valid = "root=/srv/box\ninit=/sbin/init\nnamespaces=ph\nmax_processes=10\n"

    /// The container's cgroup directory under the fake root.
    func cgroup(_ name: String) -> String { "\(cgroupRoot)/\(parent)/\(name)" }

    /// Marks `name` as running: its cgroup lists this test process (as init, in the pid file
    /// too with `withPidFile`).
    func markRunning(_ name: String, withPidFile: Bool = false) throws {
        try FileManager.default.createDirectory(atPath: cgroup(name), withIntermediateDirectories: true)
        try "\(getpid())\n".write(toFile: cgroup(name) + "/cgroup.procs", atomically: false, encoding: .utf8)
        if withPidFile {
            try "\(getpid())\n".write(toFile: state.pidPath(try ContainerName(validating: name)), atomically: false, encoding: .utf8)
        }
    }

    func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }
}
