// The floor of any `container start`: a static Swift program that does nothing but parse
// `start -d NAME` with swift-argument-parser (which the project requires) and exit. bench/run.sh
// builds it with the same toolchain, flags and ArgumentParser checkout as `container`, and
// measures its time and peak RSS next to the real start.
import ArgumentParser

struct Floor: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "floor", subcommands: [Start.self])

    struct Start: ParsableCommand {
        @Flag(name: .customShort("d")) var foreground = false
        @Option var path: String?
        @Argument var name: String
        func run() throws {}
    }
}

Floor.main()
