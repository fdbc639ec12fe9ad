#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import ContainerEngine

/// `container`: the root command. Each subcommand lives in a file of its own.
public struct ContainerCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: rootName,
        abstract: "Start isolated, resource-limited Linux containers from checked configs.",
        version: ContainerEngine.version,
        subcommands: [
            CheckCommand.self, PlanCommand.self, StartCommand.self, StartAllCommand.self,
            KillCommand.self, ListCommand.self, ExportCommand.self,
            ExecCommand.self, StopCommand.self,
        ]
    )
    public init() {}

    /// The root's name. Every subcommand also names it as its `_superCommandName`, which
    /// ArgumentParser reads only from the command a parse starts at: in the full parse that is
    /// the root, so nothing changes there; when `parseNamedSubcommand` parses a subcommand alone,
    /// it makes the parser skip its completion-script check (two throw-away parsers, 1.1 M
    /// instructions a run; docs/performance.md) and would name the usage `container start`.
    static let rootName = "container"

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
            // A command's own status (`ExitCode`, e.g. exec's or `start -d`'s init status) has no
            // message: `exit(withError:)` would print nothing and exit with it, after building a
            // message and the command stack for it (a tenth of an exec's instructions).
            if let status = error as? ExitCode { Glibc.exit(status.rawValue) }
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
        // The full parse looks for a completion request anywhere in the arguments (even among
        // exec's command words); the subcommand alone no longer does, so those go to the full one.
        guard getenv(fullParseVariable) == nil, let name = arguments.first,
            !arguments.contains(where: { $0.hasPrefix("--generate-completion-script") }),
            let subcommand = subcommand(named: name),
            let command = try? subcommand.parseAsRoot(Array(arguments.dropFirst())),
            ObjectIdentifier(type(of: command)) == ObjectIdentifier(subcommand)
        else { return nil }
        return command
    }

    /// The subcommand whose `commandName` is `name` (the same list as `configuration.subcommands`;
    /// a test holds the two equal). A switch, not a search of the list: the search reads every
    /// subcommand's configuration up to the match, and each type's first use costs its metadata
    /// and faults in pages of its own (its configuration, conformance caches, text).
    static func subcommand(named name: String) -> ParsableCommand.Type? {
        switch name {
        case "check": CheckCommand.self
        case "plan": PlanCommand.self
        case "start": StartCommand.self
        case "start-all": StartAllCommand.self
        case "kill": KillCommand.self
        case "list": ListCommand.self
        case "export": ExportCommand.self
        case "exec": ExecCommand.self
        case "stop": StopCommand.self
        default: nil
        }
    }
}
