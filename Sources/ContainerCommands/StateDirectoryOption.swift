import ArgumentParser
import ContainerState

/// `--path DIR`, the option every subcommand has: each declares it itself as
/// `@Option(name: .long, help: StateDirectoryOption.help) var path: String?` (last, where the
/// help lists it) and conforms to `StateDirectoryOption`.
///
/// Why not an `@OptionGroup`: ArgumentParser reflects over a group as a type of its own (its
/// metadata, a Mirror, an argument set, a nested decoder), which cost 0.9 M of the 8.6 M
/// instructions of a `container exec` (docs/performance.md). The help text is the same.
protocol StateDirectoryOption {
    /// The `--path` value, if given.
    var path: String? { get }
}

extension StateDirectoryOption {
    /// The help of `--path`, shared by every subcommand.
    static var help: ArgumentHelp {
        ArgumentHelp(
            "The state directory holding configs/, logs/ and pids/ (default: $CONTAINERS_PATH, else /containers).",
            valueName: "DIR")
    }

    /// The state directory this invocation works in: `--path`, then `$CONTAINERS_PATH`, then /containers.
    var stateDirectory: StateDirectory { StateDirectory.resolve(option: path) }
}
