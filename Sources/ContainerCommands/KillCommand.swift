#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import ContainerRuntime
import ContainerState

/// `container kill NAME`: SIGKILL every process of the container (found by its cgroups, not by
/// its pid file), wait until none is left, remove its cgroups and pid file.
///
/// Exit status, like kill(1): 0 when the container was killed; 1 when it was not running
/// (leftovers of a stopped container are still cleaned up) or the kill failed; 2 for a name
/// that is not a container name, refused before any path is formed from it.
struct KillCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kill",
        abstract: "SIGKILL every process of a container, wait until none is left, clean up.",
        discussion: """
            The container's cgroups decide which processes are its own: a pid file naming an \
            unrelated process is never signalled, and a daemon that double-forked inside the \
            container dies too. Exit status: 0 killed, 1 not running or the kill failed, \
            2 invalid name.
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The container to kill.")
    var name: String

    func run() throws {
        let name: ContainerName
        do { name = try ContainerName(validating: self.name) } catch {
            printLifecycleError("kill: \(error)")
            throw ExitCode(2)
        }
        let state = global.stateDirectory
        let host = try lifecycleHost()
        let cgroups = host.identityCgroups(name)
        guard host.status(name, state: state).running else {
            LifecycleCleanup.removeLeftovers(name, identityCgroups: cgroups, state: state)
            printLifecycleError("kill: container '\(name)' is not running")
            throw ExitCode(1)
        }
        do {
            let outcome = try Killer().kill(name, identityCgroups: cgroups, state: state)
            for warning in outcome.warnings { printLifecycleError("kill: warning: \(warning)") }
            let noun = outcome.signalled == 1 ? "process" : "processes"
            print("killed \(name) (\(outcome.signalled) \(noun))")
        } catch {
            printLifecycleError("kill: cannot kill '\(name)': \(error)")
            throw ExitCode(1)
        }
    }
}

/// The host's cgroup layout, or exit 2 when `$CONTAINERS_CGROUP_PARENT` is invalid.
func lifecycleHost() throws -> LifecycleHost {
    do { return try LifecycleHost.probe() } catch {
        printLifecycleError(error.description)
        throw ExitCode(2)
    }
}

/// Prints `container: MESSAGE` on stderr (stdout stays machine-readable).
func printLifecycleError(_ message: String) {
    writeStandardError("container: \(message)\n")
}
