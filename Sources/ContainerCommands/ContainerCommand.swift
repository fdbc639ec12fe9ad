import ArgumentParser

/// `container`: the root command. Each subcommand lives in a file of its own.
public struct ContainerCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "container",
        abstract: "Start isolated, resource-limited Linux containers from checked configs.",
        subcommands: [
            CheckCommand.self, PlanCommand.self, StartCommand.self, StartAllCommand.self,
            KillCommand.self, ListCommand.self,
        ]
    )
    public init() {}
}
