import ArgumentParser

/// `container start-all` (stub, replaced by its owner).
struct StartAllCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "start-all")
    func run() throws { throw ExitCode(2) }
}
