import ArgumentParser

/// `container list` (stub, replaced by its owner).
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list")
    func run() throws { throw ExitCode(2) }
}
