import Foundation
import Testing

/// What tests look at from the host: `list --format json`, /proc of init, cgroup files.
extension TestEnvironment {
    /// One row of `list --format json`.
    struct ListedContainer: Equatable {
        var name: String
        var running: Bool
        var pid: Int32?
    }

    /// `container list --format json` (plus `extra` arguments), parsed.
    func listJSON(_ extra: [String] = []) throws -> [ListedContainer] {
        let result = try container(["list", "--format", "json"] + extra)
        guard result.status == 0 else { throw TestFailure("list failed: \(result)") }
        let parsed = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
        guard let rows = parsed as? [[String: Any]] else { throw TestFailure("list JSON is not an array of objects: \(result.stdout)") }
        return try rows.map { row in
            guard let name = row["name"] as? String, let running = row["running"] as? Bool,
                row.keys.contains("pid")
            else { throw TestFailure("bad list row \(row)") }
            return ListedContainer(name: name, running: running, pid: (row["pid"] as? NSNumber)?.int32Value)
        }
    }

    /// The listed row of `name`, if any.
    func listed(_ name: String) throws -> ListedContainer? {
        try listJSON().first { $0.name == name }
    }

    /// `container start NAME` (detached), requiring exit 0, then init's pid as `list` reports
    /// it (polled: the pid is verified against the cgroup).
    @discardableResult
    func startDetached(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Int32 {
        let result = try container(["start", name])
        try #require(result.status == 0, "start \(name): \(result)", sourceLocation: sourceLocation)
        var pid: Int32?
        eventually {
            pid = (try? listed(name))??.pid
            return pid != nil
        }
        return try #require(pid, "list never reported a pid for \(name)", sourceLocation: sourceLocation)
    }

    /// The identity cgroups of `name` in the v1 hierarchies the plan uses plus the v2 one.
    func cgroupPath(_ controller: String, _ name: String) -> String {
        controller == "unified"
            ? "/sys/fs/cgroup/unified/\(cgroupParent)/\(name)"
            : "/sys/fs/cgroup/\(controller)/\(cgroupParent)/\(name)"
    }

    /// The processes below the container's pids cgroup (v1) and its v2 cgroup.
    func processes(of name: String) -> [Int32] {
        ["pids", "freezer", "unified"].flatMap { CgroupSweeper.subtree(cgroupPath($0, name)) }
            .flatMap(CgroupSweeper.processes)
    }

    /// The contents of a cgroup control file of the container, trimmed.
    func cgroupValue(_ controller: String, _ name: String, _ file: String) -> String? {
        (try? String(contentsOfFile: cgroupPath(controller, name) + "/" + file, encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// The namespace a process is in, as `/proc/PID/ns/KIND` names it (`uts:[4026531838]`).
func namespace(_ kind: String, of pid: Int32?) -> String? {
    let path = pid.map { "/proc/\($0)/ns/\(kind)" } ?? "/proc/self/ns/\(kind)"
    return try? FileManager.default.destinationOfSymbolicLink(atPath: path)
}

/// A file of /proc/PID, or nil when the process is gone.
func procFile(_ pid: Int32, _ file: String) -> String? {
    try? String(contentsOfFile: "/proc/\(pid)/\(file)", encoding: .utf8)
}

/// True when `pid` exists and is not a zombie.
func processExists(_ pid: Int32) -> Bool {
    guard let stat = procFile(pid, "stat"), let close = stat.lastIndex(of: ")") else { return false }
    return stat[stat.index(after: close)...].split(separator: " ").first != "Z"
}

/// A host process started for a test (an "unrelated" process), killed by `stop()`.
final class HostProcess {
    let process = Process()
    init(_ arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: "/bin/busybox")
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
    }
    var pid: Int32 { process.processIdentifier }
    func stop() {
        if process.isRunning {
            kill(pid, SIGKILL)
            process.waitUntilExit()
        }
    }
    deinit { stop() }
}
