#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import ContainerEngine

/// `container start-all`: start, detached, every configured container that is not running.
///
/// A running container is reported and skipped (not a failure). A container that fails to
/// start (a config with errors, a failed mount_ro, …) is reported with its reason and the
/// others are still started. The command returns once every container has been tried and
/// exits 1 when any failed, so a boot-time unit (contrib/) shows the failure.
struct StartAllCommand: ParsableCommand, StateDirectoryOption {
    static let configuration = CommandConfiguration(
        commandName: "start-all",
        _superCommandName: ContainerCommand.rootName,
        abstract: "Start every configured container that is not running.",
        discussion: """
            One line per container on stdout (started, skipped, failed); the reasons of \
            failures on stderr. Exit status: 0 when none failed, 1 when any failed or configs/ \
            cannot be read, 2 for an invalid $CONTAINERS_CGROUP_PARENT.
            """)

    @Option(name: .long, help: Self.help) var path: String?

    func run() throws {
        let summary: StartAllSummary
        do {
            summary = try ContainerEngine(state: stateDirectory).startAll { event in
                switch event {
                case let .skipped(name, pid):
                    report("\(name): already running\(pid.map { " (pid \($0))" } ?? ""), skipped")
                case let .tried(name, outcome):
                    printStartOutcome(outcome)
                    if outcome.exitStatus == 0 {
                        report("\(name): started\(outcome.initPID.map { " (pid \($0))" } ?? "")")
                    } else {
                        report("\(name): failed (exit status \(outcome.exitStatus))")
                    }
                }
            }
        } catch {
            printLifecycleError("start-all: \(error)")
            throw ExitCode(error.exitStatus)
        }
        report("start-all: \(summary.started) started, \(summary.skipped) already running, \(summary.failed.count) failed")
        if !summary.failed.isEmpty {
            printLifecycleError("start-all: failed: " + summary.failed.map(\.rawValue).joined(separator: ", "))
            throw ExitCode(1)
        }
    }

    /// One line on stdout, written at once (unbuffered): each start forks, and a forked
    /// process must not inherit output that was not written yet.
    private func report(_ line: String) { writeAll(STDOUT_FILENO, line + "\n") }
}
