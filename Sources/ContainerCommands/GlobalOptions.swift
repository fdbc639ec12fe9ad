import ArgumentParser
import ContainerState

/// Options every subcommand shares, included with `@OptionGroup var global: GlobalOptions`.
public struct GlobalOptions: ParsableArguments {
    /// `--path DIR`: the state directory (configs/, logs/, pids/).
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The state directory holding configs/, logs/ and pids/ (default: $CONTAINERS_PATH, else /containers).",
            valueName: "DIR"))
    public var path: String?

    public init() {}

    /// The state directory this invocation works in: `--path`, then `$CONTAINERS_PATH`, then /containers.
    public var stateDirectory: StateDirectory { StateDirectory.resolve(option: path) }
}
