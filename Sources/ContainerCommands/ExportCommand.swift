#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import ContainerEngine

/// `container export NAME|FILE DIR [--force] [--no-filesystem] [--path DIR]` (language.md §10):
/// write the config as an OCI bundle, DIR/config.json with root.path = the config's root, for
/// crun, runc, containerd and the engines above them.
struct ExportCommand: ParsableCommand, StateDirectoryOption {
    static let configuration = CommandConfiguration(
        commandName: "export",
        _superCommandName: ContainerCommand.rootName,
        abstract: "Write a container's config as an OCI runtime bundle (DIR/config.json).",
        discussion: """
            An argument containing '/' is a config file; anything else is a container name. \
            DIR is created when missing; a non-empty DIR is refused unless --force, which \
            replaces DIR/config.json and nothing else. What config.json cannot say is printed \
            as notes on stderr. docs/oci.md has the mapping and how to run the bundle.
            Exit status: 0 written, 1 the config has errors or DIR is refused or unwritable, \
            2 usage error or unreadable config.
            """)

    @Argument(help: ArgumentHelp("A container name or a config file.", valueName: "NAME|FILE"))
    var target: String

    @Argument(help: ArgumentHelp("The bundle directory.", valueName: "DIR"))
    var directory: String

    @Flag(name: .long, help: "Replace DIR/config.json in a non-empty DIR (nothing else is touched).")
    var force = false

    @Flag(
        name: .customLong("no-filesystem"),
        help: "Skip the checks that read the filesystem (export a config for another machine).")
    var noFilesystem = false

    @Option(name: .long, help: Self.help) var path: String?

    func run() throws {
        let engine = ContainerEngine(state: stateDirectory)
        switch engine.export(target, to: directory, force: force, useFilesystem: !noFilesystem) {
        case let .failure(failure):
            if case let .compile(compileFailure) = failure { printDiagnostics(compileFailure.diagnostics) }
            writeStandardError("container export: \(failure)\n")
            throw ExitCode(failure.exitStatus)
        case let .success(compiled):
            printDiagnostics(compiled.diagnostics)
            printNotes(compiled.spec.notes, command: "export")
            writeStandardError("container export: wrote \(directory)/\(ContainerEngine.bundleConfigFile)\n")
        }
    }
}

/// Prints the notes of a back end on stderr, one `container COMMAND: note: …` line each.
func printNotes(_ notes: [String], command: String) {
    for note in notes { writeStandardError("container \(command): note: \(note)\n") }
}
