import ArgumentParser

/// `container plan` (stub, replaced by its owner).
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "plan")
    func run() throws { throw ExitCode(2) }
}
