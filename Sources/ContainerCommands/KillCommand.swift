import ArgumentParser

/// `container kill` (stub, replaced by its owner).
struct KillCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "kill")
    func run() throws { throw ExitCode(2) }
}
