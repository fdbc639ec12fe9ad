import ArgumentParser

/// `container start` (stub, replaced by its owner).
struct StartCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "start")
    func run() throws { throw ExitCode(2) }
}
