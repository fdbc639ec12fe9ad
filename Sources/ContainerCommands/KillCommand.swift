#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import ContainerEngine

/// `container kill NAME`: SIGKILL every process of the container (found by its cgroups, not by
/// its pid file), wait until none is left, remove its cgroups and pid file.
///
/// Exit status, like kill(1): 0 when the container was killed; 1 when it was not running
/// (leftovers of a stopped container are still cleaned up) or the kill failed; 2 for a name
/// that is not a container name, refused before any path is formed from it.
struct KillCommand: ParsableCommand, StateDirectoryOption {
    static let configuration = CommandConfiguration(
        commandName: "kill",
        _superCommandName: ContainerCommand.rootName,
        abstract: "SIGKILL every process of a container, wait until none is left, clean up.",
        discussion: """
            The container's cgroups decide which processes are its own: a pid file naming an \
            unrelated process is never signalled, and a daemon that double-forked inside the \
            container dies too. Exit status: 0 killed, 1 not running or the kill failed, \
            2 invalid name.
            """)

    @Option(name: .long, help: Self.help) var path: String?

    @Argument(help: "The container to kill.")
    var name: String

    func run() throws {
        do {
            let outcome = try ContainerEngine(state: stateDirectory).kill(name)
            for warning in outcome.warnings { printLifecycleError("kill: warning: \(warning)") }
            print("killed \(name) (\(outcome.signalled) \(outcome.signalled == 1 ? "process" : "processes"))")
        } catch {
            printLifecycleError("kill: \(error)")
            throw ExitCode(error.exitStatus)
        }
    }
}
