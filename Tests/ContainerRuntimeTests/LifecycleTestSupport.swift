import Foundation
import Testing
import ContainerState
import LaunchPlan
@testable import ContainerRuntime

/// Real cgroups for one test under a unique parent (`lct-<pid>-<random>`) in the freezer and
/// pids v1 hierarchies and the cgroup2 one, plus a temporary state directory. `remove()` kills
/// what is left and removes everything, also when the test failed.
final class LifecycleSandbox {
    let name: ContainerName
    let parent = "lct-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    let state: StateDirectory
    private var children: [Process] = []

    init(name: String = "box", sourceLocation: SourceLocation = #_sourceLocation) throws {
        try #require(
            getuid() == 0, "lifecycle tests use real cgroups and must run as root",
            sourceLocation: sourceLocation)
        self.name = try ContainerName(validating: name)
        let base = NSTemporaryDirectory() + "lifecycle-" + parent
        for sub in ["configs", "logs", "pids", "locks"] {
            try FileManager.default.createDirectory(atPath: base + "/" + sub, withIntermediateDirectories: true)
        }
        state = StateDirectory(path: base)
    }

    deinit { remove() }

    /// The v1 cgroups (freezer, pids) of the container.
    var v1Cgroups: [String] { ["freezer", "pids"].map { "/sys/fs/cgroup/\($0)/\(parent)/\(name)" } }
    /// The cgroup2 cgroup of the container.
    var v2Cgroup: String { "/sys/fs/cgroup/unified/\(parent)/\(name)" }

    /// Creates `cgroups` (parents included).
    func create(_ cgroups: [String]) throws {
        for cgroup in cgroups {
            try FileManager.default.createDirectory(atPath: cgroup, withIntermediateDirectories: true)
        }
    }

    /// Starts `/bin/busybox sh -c SCRIPT`, moves it into `cgroups` before it runs SCRIPT (it
    /// waits for a line on stdin first), and returns its pid.
    @discardableResult
    func spawn(_ script: String, into cgroups: [String]) throws -> pid_t {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/busybox")
        process.arguments = ["sh", "-c", "read go; " + script]
        let input = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        children.append(process)
        let pid = process.processIdentifier
        for cgroup in cgroups {
            try "\(pid)".write(toFile: cgroup + "/cgroup.procs", atomically: false, encoding: .utf8)
        }
        input.fileHandleForWriting.write(Data("go\n".utf8))
        return pid
    }

    /// Starts a process outside every test cgroup (an "unrelated" process).
    func spawnOutside(_ script: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/busybox")
        process.arguments = ["sh", "-c", script]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        children.append(process)
        return process
    }

    /// Writes `pids/NAME`.
    func writePidFile(_ text: String) throws {
        try text.write(toFile: state.pidPath(name), atomically: false, encoding: .utf8)
    }

    /// The number of processes below `cgroup`.
    func count(_ cgroup: String) -> Int {
        LifecycleIO.processes(inSubtreesOf: [cgroup]).count
    }

    /// Kills every process left in the test's cgroups and removes them and the state dir.
    func remove() {
        for hierarchy in ["freezer", "pids", "unified"] {
            let root = "/sys/fs/cgroup/\(hierarchy)/\(parent)"
            for cgroup in LifecycleIO.subtree(of: root) {
                _ = try? "THAWED".write(toFile: cgroup + "/freezer.state", atomically: false, encoding: .utf8)
            }
            _ = LifecycleDeadline(milliseconds: 5_000).wait {
                let pids = LifecycleIO.processes(inSubtreesOf: [root])
                for pid in pids { kill(pid, SIGKILL) }
                return pids.isEmpty
            }
            try? LifecycleIO.removeCgroups([root])
        }
        for child in children where child.isRunning { kill(child.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(atPath: state.path)
    }
}

/// True when a process with `pid` exists and is not a zombie.
func isAlive(_ pid: pid_t) -> Bool {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
        let close = stat.lastIndex(of: ")")
    else { return false }
    let fields = stat[stat.index(after: close)...].split(separator: " ")
    return fields.first != "Z"
}

/// Polls `condition` until it holds or `milliseconds` pass (the pause between checks is not a
/// guess at a duration: the condition decides).
func eventually(milliseconds: Int64 = 5_000, _ condition: () -> Bool) -> Bool {
    LifecycleDeadline(milliseconds: milliseconds).wait(until: condition)
}
