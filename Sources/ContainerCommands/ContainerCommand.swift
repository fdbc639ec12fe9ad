#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import ContainerEngine

/// `container`: the root command. Each subcommand lives in a file of its own.
public struct ContainerCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "container",
        abstract: "Start isolated, resource-limited Linux containers from checked configs.",
        version: ContainerEngine.version,
        subcommands: [
            CheckCommand.self, PlanCommand.self, StartCommand.self, StartAllCommand.self,
            KillCommand.self, ListCommand.self, ExportCommand.self,
            ExecCommand.self, StopCommand.self,
        ]
    )
    public init() {}

    /// The exit status of a usage error (language.md §6). ArgumentParser's own is 64 (EX_USAGE).
    public static let usageErrorStatus: Int32 = 2

    /// Parses the command line, runs the subcommand and exits, mapping ArgumentParser's usage
    /// errors (unknown option, bad value, a failed `validate()`) to status 2.
    public static func runMain(_ arguments: [String]? = nil) -> Never {
        let arguments = arguments ?? Array(CommandLine.arguments.dropFirst())
        do {
            var command = try parseNamedSubcommand(arguments) ?? parseAsRoot(arguments)
            try command.run()
            Self.exit()
        } catch {
            let status = exitCode(for: error)
            guard status == .validationFailure else { Self.exit(withError: error) }
            let message = fullMessage(for: error)
            if !message.isEmpty { writeStandardError(message + "\n") }
            Glibc.exit(usageErrorStatus)
        }
    }

    /// `$CONTAINER_FULL_PARSE` set (to anything): always parse with the whole command tree. For
    /// the test that compares both paths' output (scripts/check-cli-tests.sh), not for users.
    static let fullParseVariable = "CONTAINER_FULL_PARSE"

    /// The command `arguments` name when its first argument is a subcommand's name and that
    /// subcommand alone parses them without error, help or completion request; nil otherwise,
    /// and the caller then parses with the whole tree.
    ///
    /// Why: the root's own parse (its argument set, decoding and validation, the tree of every
    /// subcommand) is paid before the subcommand's on every run. The result is the same value
    /// the full parse produces: the root has no options of its own and every subcommand is a
    /// leaf, so the arguments after the name reach the subcommand unchanged. Anything else (a
    /// usage error, `--help`, `help start`, `--generate-completion-script`, an unknown name) is
    /// left to the full parse, so help, completions and error messages are its own, byte for byte.
    static func parseNamedSubcommand(_ arguments: [String]) -> ParsableCommand? {
        guard getenv(fullParseVariable) == nil, let name = arguments.first,
            let subcommand = configuration.subcommands.first(where: { $0.configuration.commandName == name }),
            let command = try? subcommand.parseAsRoot(Array(arguments.dropFirst())),
            ObjectIdentifier(type(of: command)) == ObjectIdentifier(subcommand)
        else { return nil }
        return command
    }
}
