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
        do {
            var command = try parseAsRoot(arguments)
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
}
