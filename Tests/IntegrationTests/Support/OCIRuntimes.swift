import Foundation
import Testing

extension TestEnvironment {
    /// `container export NAME DIR` (plus `extra` arguments), requiring exit 0; returns the
    /// bundle directory (`BASE/bundle-NAME` unless `directory` is given).
    @discardableResult
    func exportBundle(
        _ name: String, to directory: String? = nil, _ extra: [String] = [],
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> String {
        let bundle = directory ?? base.path + "/bundle-" + name
        let result = try container(["export", name, bundle] + extra)
        try #require(result.status == 0, "export \(name): \(result)", sourceLocation: sourceLocation)
        return bundle
    }
}

/// The three OCI engines Debian ships, driven the way a user would: `crun run -d`, `runc run
/// -d`, and `ctr run -d --config` against a containerd this harness starts itself. Every
/// runtime keeps its state under the test's temporary directory; `cleanup()` (also run by
/// `deinit`) deletes every container it started, stops containerd and its shims and unmounts
/// anything left under that directory, whether the test passed or failed.
final class OCIRuntimes {
    enum Runtime: String, CaseIterable, CustomStringConvertible {
        case crun, runc, containerd
        var description: String { rawValue }
    }

    let env: TestEnvironment
    /// `BASE/oci`: runtime roots, containerd's root/state/sockets, container output.
    let work: String
    private var started: [(Runtime, String)] = []
    private var containerd: Process?
    private var cleanedUp = false
    /// containerd's shim runs crun instead of runc (`ctr run --runc-binary`), and containerd
    /// itself runs where crun accepts the cgroup layout (see `crun(_:output:)`).
    let containerdWithCrun: Bool

    init(_ env: TestEnvironment, directory: String = "oci", containerdWithCrun: Bool = false) throws {
        self.env = env
        self.containerdWithCrun = containerdWithCrun
        work = env.base.path + "/" + directory
        for directory in ["crun", "runc", "ctd", "out"] {
            try FileManager.default.createDirectory(atPath: work + "/" + directory, withIntermediateDirectories: true)
        }
    }

    deinit { cleanup() }

    /// containerd's socket and namespace (unique: the namespace names the test).
    var socket: String { work + "/ctd/containerd.sock" }
    var namespace: String { "mct-\(getpid())" }

    /// Where the container's standard output and error go.
    func outputPath(_ runtime: Runtime, _ id: String) -> String { work + "/out/\(runtime)-\(id)" }

    /// The container's output so far.
    func output(_ runtime: Runtime, _ id: String) -> String {
        (try? String(contentsOfFile: outputPath(runtime, id), encoding: .utf8)) ?? ""
    }

    /// Starts the bundle detached under `runtime` as `id`; returns the runtime's own result
    /// (its exit status and messages; the container's output goes to `outputPath`).
    func run(_ runtime: Runtime, bundle: String, id: String) throws -> RunResult {
        started.append((runtime, id))
        let output = outputPath(runtime, id)
        switch runtime {
        case .crun:
            return try crun(["run", "-d", "-b", bundle, id], output: output)
        case .runc:
            return try shell(
                "exec runc --root \"$1\" run -d -b \"$2\" \"$3\" >\"$4\" 2>&1 </dev/null",
                [work + "/runc", bundle, id, output])
        case .containerd:
            try startContainerd()
            let binary = containerdWithCrun ? ["--runc-binary", "/usr/bin/crun"] : []
            return try ctr(
                ["run", "-d", "--runc-root", work + "/ctd/runc", "--log-uri", "file://" + output]
                    + binary + ["--config", bundle + "/config.json", id])
        }
    }

    /// SIGKILL to the container's init, then the runtime's delete (which removes its cgroups).
    @discardableResult
    func stop(_ runtime: Runtime, _ id: String) throws -> RunResult {
        started.removeAll { $0 == (runtime, id) }
        switch runtime {
        case .crun:
            return try crun(["delete", "-f", id], output: "/dev/null")
        case .runc:
            return try env.runner.run("/usr/sbin/runc", ["--root", work + "/runc", "delete", "-f", id])
        case .containerd:
            _ = try ctr(["task", "kill", "-s", "SIGKILL", id])
            eventually(timeout: 10) {
                let row = (try? self.ctr(["task", "ls"]))?.stdout.split(separator: "\n").first { $0.hasPrefix(id + " ") }
                return row.map { $0.contains("STOPPED") } ?? true
            }
            _ = try ctr(["task", "delete", id])
            return try ctr(["container", "delete", id])
        }
    }

    /// crun 1.8 refuses this machine's hybrid layout (v1 controllers plus an empty cgroup2 at
    /// /sys/fs/cgroup/unified): it runs in a private mount namespace with an empty tmpfs over
    /// that mount, as bench/ does. Its cgroups are then the v1 ones, as the native start's.
    static let hideUnified = """
        if grep -q ' /sys/fs/cgroup/unified ' /proc/self/mountinfo; then
            mount -t tmpfs mct-hide-unified /sys/fs/cgroup/unified || exit 125
        fi

        """

    private func crun(_ arguments: [String], output: String) throws -> RunResult {
        let script =
            Self.hideUnified + """
                out="$1"; shift
                exec crun --root "$@" >"$out" 2>&1 </dev/null
                """
        let result = try env.runner.run(
            "/usr/bin/unshare",
            [
                "-m", "--propagation", "private", "/bin/sh", "-c", script, "sh",
                output, work + "/crun",
            ] + arguments)
        // crun's own messages went to `output` with the container's: show them on failure.
        if result.status != 0 && output != "/dev/null" {
            return RunResult(
                status: result.status, stdout: result.stdout, stderr: result.stderr + self.output(.crun, arguments.last ?? ""), timedOut: result.timedOut)
        }
        return result
    }

    private func shell(_ script: String, _ arguments: [String]) throws -> RunResult {
        try env.runner.run("/bin/sh", ["-c", script, "sh"] + arguments)
    }

    func ctr(_ arguments: [String]) throws -> RunResult {
        try env.runner.run("/usr/bin/ctr", ["--address", socket, "--namespace", namespace] + arguments)
    }

    /// A containerd of our own: root, state, sockets and plugin dir under `work/ctd`, the CRI
    /// plugin and the snapshotters that need special filesystems off. Waits (polling) until
    /// `ctr version` answers.
    private func startContainerd() throws {
        guard containerd == nil else { return }
        let directory = work + "/ctd"
        let config = """
            version = 2
            root = "\(directory)/root"
            state = "\(directory)/state"
            disabled_plugins = ["io.containerd.grpc.v1.cri", "io.containerd.snapshotter.v1.btrfs", \
            "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.aufs"]
            [grpc]
              address = "\(socket)"
            [ttrpc]
              address = "\(socket).ttrpc"
            [debug]
              address = "\(directory)/debug.sock"
            [plugins."io.containerd.internal.v1.opt"]
              path = "\(directory)/opt"
            """
        try Data(config.utf8).write(to: URL(fileURLWithPath: directory + "/config.toml"))
        let process = Process()
        if containerdWithCrun {
            // The same private mount namespace as for crun; the shim and crun inherit it.
            process.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
            process.arguments = [
                "-m", "--propagation", "private", "/bin/sh", "-c",
                Self.hideUnified + "exec /usr/bin/containerd --config \"$1\"", "sh", directory + "/config.toml",
            ]
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/containerd")
            process.arguments = ["--config", directory + "/config.toml"]
        }
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: createdFile(directory + "/containerd.log")))
        process.standardError = process.standardOutput
        process.standardInput = FileHandle.nullDevice
        try process.run()
        containerd = process
        let ready = eventually(timeout: 20) { (try? self.ctr(["version"]))?.status == 0 }
        guard ready else {
            throw TestFailure("containerd did not answer on \(socket): \((try? String(contentsOfFile: directory + "/containerd.log", encoding: .utf8)) ?? "")")
        }
    }

    private func createdFile(_ path: String) -> String {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        return path
    }

    /// Deletes every container started, stops containerd and the shims it started (found by
    /// our socket in their command line), unmounts what is left under `work`.
    func cleanup() {
        if cleanedUp { return }
        cleanedUp = true
        for (runtime, id) in started.reversed() { _ = try? stop(runtime, id) }
        if let containerd, containerd.isRunning {
            kill(containerd.processIdentifier, SIGTERM)
            if !eventually(timeout: 10, { !containerd.isRunning }) { kill(containerd.processIdentifier, SIGKILL) }
            containerd.waitUntilExit()
        }
        for pid in Self.processes(withArgument: socket) { kill(pid, SIGKILL) }
        eventually(timeout: 5) { Self.processes(withArgument: self.socket).isEmpty }
        for mountPoint in Self.mountPoints(under: work).reversed() { umount2(mountPoint, Int32(MNT_DETACH)) }
    }

    /// The pids whose command line has `argument` as one of its arguments.
    static func processes(withArgument argument: String) -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { pid_t($0) }.filter { pid in
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
            return data.split(separator: 0).contains { String(decoding: $0, as: UTF8.self) == argument }
        }
    }

    /// Mount points at or below `path` (from /proc/self/mountinfo).
    static func mountPoints(under path: String) -> [String] {
        let info = (try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)) ?? ""
        return info.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ")
            guard fields.count > 4 else { return nil }
            let point = String(fields[4])
            return point == path || point.hasPrefix(path + "/") ? point : nil
        }
    }
}
