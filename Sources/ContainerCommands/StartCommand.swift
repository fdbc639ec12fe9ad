import ArgumentParser
import ContainerEngine
import ContainerState
import LaunchPlan

/// `container start [-d|-s|-se] NAME` and `container start --plan FILE` (language.md §6).
///
/// Default: detach once init has been exec'd (the seed's behaviour). `-d` stays in the
/// foreground and exits with init's status; `-s` runs `$SHELL` (`@` = host path, default
/// /bin/bash) on a pty of the container's own devpts when stdin is a terminal, else with the
/// caller's stdio passed straight through; `-se` does the same keeping the environment.
struct StartCommand: ParsableCommand, StateDirectoryOption {
    static let configuration = CommandConfiguration(
        commandName: "start",
        _superCommandName: ContainerCommand.rootName,
        abstract: "Check, plan and start a container.",
        discussion: """
            Exit status: 0 started (or, with -d/-s/-se, init exited 0), init's status with \
            -d/-s/-se, 1 refused (config errors, already running) or failed, 2 usage error or \
            unreadable config.
            """)

    @Flag(name: .customShort("d"), help: "Stay in the foreground until init exits; exit with its status.")
    var foreground = false

    @Flag(
        name: .customShort("s"),
        help: "Run $SHELL (default /bin/bash; '@' prefix = host path) instead of init: on a pty when stdin is a terminal, else on the caller's stdio.")
    var shell = false

    @Flag(name: .customLong("se", withSingleDash: true), help: "As -s, keeping the caller's environment.")
    var shellKeepEnvironment = false

    @Option(name: .customLong("plan"), help: ArgumentHelp("Start a plan saved with `container plan --format json`.", valueName: "FILE"))
    var planFile: String?

    @Argument(help: ArgumentHelp("The container to start.", valueName: "NAME"))
    var name: String?

    @Option(name: .long, help: Self.help) var path: String?

    /// The mode the flags select.
    var mode: StartMode {
        if shellKeepEnvironment { return .shellKeepEnvironment }
        if shell { return .shell }
        if foreground { return .foreground }
        return .detached
    }

    func validate() throws {
        if [foreground, shell, shellKeepEnvironment].filter({ $0 }).count > 1 {
            throw ValidationError("-d, -s and -se are exclusive")
        }
        switch (name, planFile) {
        case (nil, nil): throw ValidationError("give a container NAME or --plan FILE")
        case (.some, .some): throw ValidationError("give either a container NAME or --plan FILE, not both")
        default: break
        }
    }

    func run() throws {
        let engine = ContainerEngine(state: stateDirectory)
        let outcome = planFile.map { engine.startSavedPlan(file: $0, mode: mode) } ?? engine.start(name ?? "", mode: mode)
        printStartOutcome(outcome)
        if outcome.exitStatus != 0 { throw ExitCode(outcome.exitStatus) }
    }
}

/// Prints a start's diagnostics and failure (if any) on stderr.
func printStartOutcome(_ outcome: StartOutcome) {
    printDiagnostics(outcome.diagnostics)
    if let failure = outcome.failure { writeStandardError("container start: \(failure)\n") }
}
