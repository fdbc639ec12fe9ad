#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import ContainerEngine
import ContainerRuntime

/// `container exec [-t|-T] [-e] NAME [--] CMD [ARG…]` (language.md §8): run CMD inside the
/// running container NAME, with init's cgroup, namespaces, credentials, capabilities,
/// no_new_privs and environment policy. `container plan NAME --exec CMD…` prints its steps.
struct ExecCommand: ParsableCommand, StateDirectoryOption {
    static let configuration = CommandConfiguration(
        commandName: "exec",
        _superCommandName: ContainerCommand.rootName,
        abstract: "Run a command inside a running container.",
        discussion: """
            A pseudo-terminal is used when stdin is a terminal (-t forces one, -T refuses one); \
            otherwise stdin, stdout and stderr are passed straight through. CMD is searched in \
            the container's PATH; '@/path' runs a host program from a sealed copy. \
            Exit status: CMD's; 126 CMD cannot be executed, 127 not found inside; \
            1 not running or joining failed; 2 usage error or invalid name.
            """)

    @Flag(name: .customShort("t"), help: "Always use a pseudo-terminal.")
    var forceTerminal = false

    @Flag(name: .customShort("T"), help: "Never use a pseudo-terminal.")
    var refuseTerminal = false

    @Flag(name: .customShort("e"), help: "Keep the caller's environment (the plan's values for names it lacks).")
    var keepEnvironment = false

    @Argument(help: ArgumentHelp("The running container.", valueName: "NAME"))
    var name: String

    @Argument(parsing: .captureForPassthrough, help: ArgumentHelp("The command and its arguments.", valueName: "CMD"))
    var command: [String] = []

    @Option(name: .long, help: Self.help) var path: String?

    var arguments: [String] { command.first == "--" ? Array(command.dropFirst()) : command }

    func validate() throws {
        if forceTerminal && refuseTerminal { throw ValidationError("-t and -T are exclusive") }
        if arguments.isEmpty || arguments[0].isEmpty { throw ValidationError("give the command to run: exec NAME [--] CMD [ARG…]") }
    }

    func run() throws {
        let terminal = forceTerminal || (!refuseTerminal && isatty(STDIN_FILENO) == 1)
        let outcome = ContainerEngine(state: stateDirectory).exec(
            name, arguments: arguments,
            options: ExecOptions(terminal: terminal, keepCallerEnvironment: keepEnvironment))
        printDiagnostics(outcome.diagnostics)
        if let failure = outcome.failure { writeStandardError("container exec: \(failure)\n") }
        if outcome.exitStatus != 0 { throw ExitCode(outcome.exitStatus) }
    }
}
