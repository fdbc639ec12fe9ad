import Foundation
import Testing

/// One integration test's world: a temporary state directory (configs/ logs/ pids/), a
/// busybox root filesystem, a cgroup parent no other test or real container uses, and the built
/// `container` binary. `cleanup()` (also run by `deinit`) kills what the test started, removes
/// every cgroup under the parent in every hierarchy, unmounts what it mounted and deletes the
/// temporary files, whether the test passed or failed.
final class TestEnvironment {
    /// The temporary directory holding everything else.
    let base: URL
    /// The state directory passed with `--path`.
    let statePath: String
    /// A busybox root filesystem, root-owned, mode 0755.
    let rootfs: String
    /// `mct-<pid>-<random>`: the value of `CONTAINERS_CGROUP_PARENT` for every run.
    let cgroupParent: String
    /// The `container` binary under test.
    let binary: String
    let runner: CommandRunner
    /// Mount points this test mounted itself, unmounted by `cleanup()` (last first).
    private(set) var mounts: [String] = []
    private var cleanedUp = false

    /// Makes the environment. Fails the test (never skips it) when not run as root: an
    /// integration test that silently skips in CI hides a broken runtime.
    init(sourceLocation: SourceLocation = #_sourceLocation) throws {
        try #require(
            getuid() == 0,
            "integration tests start real containers and must run as root (sudo swift test)",
            sourceLocation: sourceLocation)
        binary = try Self.locateBinary()
        var template = Array("/tmp/mct-test-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw TestFailure("mkdtemp failed: errno \(errno)") }
        let basePath = String(cString: made)
        // 0755: a container with a user namespace runs as an unprivileged host uid that must
        // still traverse the directories above its root.
        chmod(basePath, 0o755)
        base = URL(fileURLWithPath: basePath)
        statePath = basePath + "/state"
        rootfs = basePath + "/rootfs"
        cgroupParent = "mct-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        runner = CommandRunner(scratchDirectory: base.appendingPathComponent("io"))
        for directory in ["state/configs", "state/logs", "state/pids", "io"] {
            try FileManager.default.createDirectory(
                atPath: basePath + "/" + directory, withIntermediateDirectories: true)
        }
        try RootfsBuilder.build(at: rootfs)
    }

    deinit { cleanup() }

    /// The environment every run of the binary gets.
    var environment: [String: String] {
        ["CONTAINERS_CGROUP_PARENT": cgroupParent, "CONTAINERS_PATH": statePath, "NO_COLOR": "1"]
    }

    /// Runs `container ARGUMENTS --path STATE`.
    @discardableResult
    func container(_ arguments: [String], stdin: String? = nil, timeout: TimeInterval = 30) throws -> RunResult {
        try runner.run(
            binary, arguments + ["--path", statePath], stdin: stdin,
            environment: environment, timeout: timeout)
    }

    /// Runs `container ARGUMENTS --path STATE` with `extra` added to the environment (the
    /// runtime's test hooks: `CONTAINERS_TRACE_STEPS`, `CONTAINERS_FAULT_AFTER_STEP`).
    @discardableResult
    func container(_ arguments: [String], adding extra: [String: String], stdin: String? = nil, timeout: TimeInterval = 30) throws -> RunResult {
        try runner.run(
            binary, arguments + ["--path", statePath], stdin: stdin,
            environment: environment.merging(extra) { $1 }, timeout: timeout)
    }

    /// Runs `container ARGUMENTS --path STATE` in a private mount namespace (`unshare -m`, mounts
    /// private) after `setup`, shell commands run there as root first (e.g. a tmpfs over
    /// /sys/fs/cgroup: the host of the probe). The namespace, and every mount `setup` made in
    /// it, vanishes with the last process in it; nothing needs unmounting. After the command,
    /// `after` runs in the same namespace (its output follows a line `--- after`), and the
    /// command's exit status is the result's.
    @discardableResult
    func containerInMountNamespace(
        _ setup: String, _ arguments: [String], after: String = "true", adding extra: [String: String] = [:],
        timeout: TimeInterval = 30
    ) throws -> RunResult {
        let script = "set -e; \(setup); set +e; \"$0\" \"$@\"; status=$?; echo '--- after'; \(after); exit $status"
        return try runner.run(
            "/usr/bin/unshare",
            ["--mount", "--propagation", "private", "/bin/sh", "-c", script, binary]
                + arguments + ["--path", statePath],
            environment: environment.merging(extra) { $1 }, timeout: timeout)
    }

    /// The steps of `container plan NAME --format json` (plus `extra` arguments) as
    /// `(process, action)` pairs, in plan order.
    func plannedSteps(_ name: String, _ extra: [String] = []) throws -> [PlannedStep] {
        let plan = try container(["plan", name, "--format", "json"] + extra)
        guard plan.status == 0 else { throw TestFailure("plan \(name) failed: \(plan)") }
        let json = try JSONSerialization.jsonObject(with: Data(plan.stdout.utf8)) as? [String: Any]
        guard let steps = json?["steps"] as? [[String: Any]] else { throw TestFailure("no steps in \(plan.stdout)") }
        return try steps.map { step in
            guard let process = step["process"] as? String, let action = step["action"] as? String else {
                throw TestFailure("bad step \(step)")
            }
            return PlannedStep(process: process, action: action)
        }
    }

    /// Starts `container ARGUMENTS --path STATE` without waiting.
    func startContainerCommand(_ arguments: [String]) throws -> RunningCommand {
        try runner.start(binary, arguments + ["--path", statePath], environment: environment)
    }

    /// Writes `configs/NAME` (KEY=VALUE) with `root` and `namespaces` filled in and `init`
    /// as given, plus `extra` lines.
    func writeConfig(_ name: String, init initPath: String, namespaces: String = "all", extra: [String] = []) throws {
        let lines = ["root=\(rootfs)", "init=\(initPath)", "namespaces=\(namespaces)"] + extra
        try writeRawConfig(name, lines.joined(separator: "\n") + "\n")
    }

    /// Writes `configs/FILE` verbatim.
    func writeRawConfig(_ file: String, _ text: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: statePath + "/configs/" + file))
    }

    /// Writes an executable `#!/bin/sh` script at `path` inside the rootfs.
    func writeScript(_ path: String, _ body: String) throws {
        let full = rootfs + path
        try FileManager.default.createDirectory(
            atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(("#!/bin/sh\n" + body + "\n").utf8).write(to: URL(fileURLWithPath: full))
        chmod(full, 0o755)
    }

    /// The container's log (init's output in detached and foreground modes).
    func log(_ name: String) -> String {
        (try? String(contentsOfFile: statePath + "/logs/" + name, encoding: .utf8)) ?? ""
    }

    /// Polls the log until it contains `marker`.
    func waitForLog(_ name: String, containing marker: String, timeout: TimeInterval = 10) -> Bool {
        eventually(timeout: timeout) { log(name).contains(marker) }
    }

    /// Records a mount point for `cleanup()` to unmount.
    func didMount(_ path: String) { mounts.append(path) }

    /// Kills every container, removes the cgroup parent everywhere, unmounts, deletes files.
    /// Safe to call more than once.
    func cleanup() {
        if cleanedUp { return }
        cleanedUp = true
        CgroupSweeper.killAndRemove(parent: cgroupParent)
        for mount in mounts.reversed() { umount2(mount, Int32(MNT_DETACH)) }
        // Never follow a symlink out of the temporary tree: the escape tests plant some.
        TreeRemover.remove(base.path)
    }

    /// The binary: `$CONTAINER_BIN`, else `container` next to the test bundle.
    static func locateBinary() throws -> String {
        if let explicit = ProcessInfo.processInfo.environment["CONTAINER_BIN"], !explicit.isEmpty {
            return explicit
        }
        let bundle = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        var directory = (bundle as NSString).deletingLastPathComponent
        // On Linux the test bundle is `…/debug/NAME.xctest` (a file) or a directory bundle.
        for _ in 0..<3 {
            let candidate = directory + "/container"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory = (directory as NSString).deletingLastPathComponent
        }
        throw TestFailure(
            "no `container` binary next to \(bundle): run `swift build --product container` first or set CONTAINER_BIN")
    }
}

/// One step of a plan as the step trace and `plan --format json` name it.
struct PlannedStep: Equatable, CustomStringConvertible {
    var process: String
    var action: String
    var description: String { "\(process) \(action)" }
}

/// A failure with a message, for `throw` in test support code.
struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
