#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import ContainerRuntime
import ContainerState

/// `container start-all`: start, detached, every configured container that is not running.
///
/// A running container is reported and skipped (not a failure). A container that fails to
/// start (a config with errors, a failed mount_ro, …) is reported with its reason and the
/// others are still started. The command returns once every container has been tried and
/// exits 1 when any failed, so a boot-time unit (contrib/) shows the failure.
struct StartAllCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start-all",
        abstract: "Start every configured container that is not running.",
        discussion: """
            One line per container on stdout (started, skipped, failed); the reasons of \
            failures on stderr. Exit status: 0 when none failed, 1 when any failed or configs/ \
            cannot be read, 2 for an invalid $CONTAINERS_CGROUP_PARENT.
            """)

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let state = global.stateDirectory
        let names: [ContainerName]
        do { names = try allContainerNames(state: state) } catch {
            printLifecycleError("start-all: \(error)")
            throw ExitCode(1)
        }
        let host = try lifecycleHost()
        var failed: [ContainerName] = []
        var started = 0
        var skipped = 0
        for name in names {
            let status = host.status(name, state: state)
            if status.running {
                report("\(name): already running\(status.pid.map { " (pid \($0))" } ?? ""), skipped")
                skipped += 1
                continue
            }
            let result = startContainer(argument: name.rawValue, state: state, mode: .detached)
            if let message = result.message { writeStandardError(message) }
            if result.exitStatus == 0 {
                report("\(name): started\(result.initPID.map { " (pid \($0))" } ?? "")")
                started += 1
            } else {
                report("\(name): failed (exit status \(result.exitStatus))")
                failed.append(name)
            }
        }
        report("start-all: \(started) started, \(skipped) already running, \(failed.count) failed")
        if !failed.isEmpty {
            printLifecycleError("start-all: failed: " + failed.map(\.rawValue).joined(separator: ", "))
            throw ExitCode(1)
        }
    }

    /// One line on stdout, written at once (unbuffered): each start forks, and a forked
    /// process must not inherit output that was not written yet.
    private func report(_ line: String) { writeAll(STDOUT_FILENO, line + "\n") }
}
