#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import ContainerEngine
import HostCgroups
import LaunchPlan

/// `container plan NAME|FILE [--format text|json|oci] [--cgroup v1|v2|auto] [--no-filesystem] [--path DIR]`
/// (language.md §6–7): compile a config and print the launch plan `start` would execute.
///
/// It reads the config, probes the cgroup mounts and nothing else: no cgroup, file, lock or
/// process is created. A config with an error is refused with its diagnostics (exit 1), as
/// `start` would refuse it.
struct PlanCommand: ParsableCommand, StateDirectoryOption {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        _superCommandName: ContainerCommand.rootName,
        abstract: "Print the launch plan of a container without touching the system.",
        discussion: """
            An argument containing '/' is a config file; anything else is a container name. \
            The JSON form can be started later with `container start --plan FILE`. \
            `--format oci` prints the OCI runtime-spec config.json of the config instead \
            (`container export` writes it as a bundle), with notes on stderr.
            Exit status: 0 plan printed, 1 the config has errors, 2 usage error or unreadable config.
            """)

    @Argument(help: ArgumentHelp("A container name or a config file.", valueName: "NAME|FILE"))
    var target: String

    @Option(name: .long, help: "Output format: text, json, or oci (an OCI runtime-spec config.json).")
    var format: PlanOutputFormat = .text

    @Option(
        name: .long, help: "The cgroup host to plan for: auto (probe this host, as start does), or v1/v2 (a host of that kind with every controller available)."
    )
    var cgroup: CgroupChoice = .auto

    @Flag(
        name: .customLong("no-filesystem"),
        help: "Skip the checks that read the filesystem (plan a config for another machine).")
    var noFilesystem = false

    @Option(
        name: .long, parsing: .remaining,
        help: ArgumentHelp("Print the steps `container exec NAME CMD…` runs instead (the rest of the line is CMD ARG…).", valueName: "CMD"))
    var exec: [String] = []

    @Option(name: .long, help: Self.help) var path: String?

    func validate() throws {
        if !exec.isEmpty, format == .oci { throw ValidationError("--exec has no OCI form (an OCI runtime's exec takes a process.json)") }
    }

    func run() throws {
        let engine = ContainerEngine(state: stateDirectory)
        if format == .oci { return try printBundle(engine) }
        switch engine.compile(
            target, cgroupHost: cgroup.assumedHost, useFilesystem: !noFilesystem, refusal: "no plan",
            execArguments: exec.isEmpty ? nil : exec)
        {
        case let .failure(failure):
            try fail(failure, command: "plan")
        case let .success(compiled):
            printDiagnostics(compiled.diagnostics)
            let plan = compiled.plan
            writeAll(STDOUT_FILENO, format == .json ? plan.json(pretty: true) + "\n" : plan.text)
        }
    }

    /// `--format oci`: the second back end's config.json on stdout, its notes on stderr.
    private func printBundle(_ engine: ContainerEngine) throws {
        if cgroup != .auto {
            // config.json names resources, not cgroup files: the runtime picks v1 or v2.
            writeStandardError("container plan: note: --cgroup does not apply to --format oci (the OCI runtime maps the resources to the host's cgroups)\n")
        }
        switch engine.compileBundle(target, useFilesystem: !noFilesystem) {
        case let .failure(failure):
            try fail(failure, command: "plan")
        case let .success(compiled):
            printDiagnostics(compiled.diagnostics)
            printNotes(compiled.spec.notes, command: "plan")
            writeAll(STDOUT_FILENO, compiled.spec.text)
        }
    }
}

/// `plan --format` values.
enum PlanOutputFormat: String, CaseIterable, ExpressibleByArgument {
    case text, json, oci
}

/// `plan --cgroup` values.
enum CgroupChoice: String, CaseIterable, ExpressibleByArgument {
    case v1, v2, auto
    /// The host to plan for: nil for `auto` (the engine's probe of this host, exactly what
    /// `start` uses); `v1`/`v2` assume a host of that kind with every controller available (a
    /// dry run for another machine, which the plan's notes say).
    var assumedHost: HostCgroups? {
        switch self {
        case .v1: .assumed(.v1)
        case .v2: .assumed(.v2)
        case .auto: nil
        }
    }
}
