import ArgumentParser

/// `container check` (stub, replaced by its owner).
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check")
    func run() throws { throw ExitCode(2) }
}
