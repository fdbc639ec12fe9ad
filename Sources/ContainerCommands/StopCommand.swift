import ArgumentParser
import ContainerEngine

/// `container stop NAME [--time SECONDS]` (language.md §8): the config's `stop_signal` to
/// init, up to SECONDS for the container to exit, then SIGKILL to every process as `kill`.
struct StopCommand: ParsableCommand, StateDirectoryOption {
    static let configuration = CommandConfiguration(
        commandName: "stop",
        _superCommandName: ContainerCommand.rootName,
        abstract: "Stop a container gracefully: stop_signal to init, then kill what is left.",
        discussion: """
            Sends the config's stop_signal (default SIGTERM) to init, waits up to --time \
            seconds for every process of the container to exit, then kills the rest as \
            `container kill` does, and cleans up. Exit status: 0 stopped, 1 not running or \
            the kill failed, 2 invalid name.
            """)

    @Option(name: .long, help: ArgumentHelp("Seconds to wait before killing (default 10).", valueName: "SECONDS"))
    var time: Int = 10

    @Argument(help: "The container to stop.")
    var name: String

    @Option(name: .long, help: Self.help) var path: String?

    func validate() throws {
        if time < 0 || time > 86_400 { throw ValidationError("--time takes 0 to 86400 seconds") }
    }

    func run() throws {
        do {
            let outcome = try ContainerEngine(state: stateDirectory).stop(name, seconds: time)
            for warning in outcome.warnings { printLifecycleError("stop: warning: \(warning)") }
            print(
                outcome.exitedInTime
                    ? "stopped \(name) (exited on signal \(outcome.signal))"
                    : "stopped \(name) (killed after \(time) s)")
        } catch {
            printLifecycleError("stop: \(error)")
            throw ExitCode(error.exitStatus)
        }
    }
}
