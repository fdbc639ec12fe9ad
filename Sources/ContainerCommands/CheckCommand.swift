#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import ContainerEngine
import Diagnostics
import HostCgroups

/// `container check [NAME…|FILE…|--all] [--no-filesystem] [--format …] [--strict]` (language.md §6).
///
/// Every file is checked and reported, whatever happens to the others. Exit status: 0 no error
/// (warnings allowed), 1 errors (`--strict`: warnings too), 2 a usage error or a config that
/// could not be found or read (the others are still checked and reported).
struct CheckCommand: ParsableCommand, StateDirectoryOption {
    static let configuration = CommandConfiguration(
        commandName: "check",
        _superCommandName: ContainerCommand.rootName,
        abstract: "Parse and check configs, reporting every problem with its exact location.",
        discussion: """
            An argument containing '/' is a config file; anything else is a container name, \
            looked up as configs/NAME, configs/NAME.yaml or configs/NAME.yml in the state directory.
            Exit status: 0 no errors (warnings allowed), 1 errors, 2 usage error or unreadable file.
            """)

    @Argument(help: ArgumentHelp("Container names or config files.", valueName: "NAME|FILE"))
    var targets: [String] = []

    @Flag(name: .long, help: "Check every container in configs/.")
    var all = false

    @Flag(name: .customLong("no-filesystem"), help: "Skip the checks that read the filesystem.")
    var noFilesystem = false

    @Option(name: .long, help: "Output format: text, json, sarif or github.")
    var format: CheckOutputFormat = .text

    @Flag(name: .long, help: "Treat warnings as errors.")
    var strict = false

    @Option(name: .long, help: Self.help) var path: String?

    func validate() throws {
        if all && !targets.isEmpty {
            throw ValidationError("--all checks every container: do not also name containers or files")
        }
        if !all && targets.isEmpty {
            throw ValidationError("name a container or a config file, or use --all")
        }
    }

    func run() throws {
        let color = format == .text && isatty(STDOUT_FILENO) == 1 && getenv("NO_COLOR") == nil
        var run = CheckReport(renderer: format.diagnosticFormat.makeRenderer(color: color))
        ContainerEngine(state: stateDirectory).check(
            all ? .all : .named(targets), useFilesystem: !noFilesystem, strict: strict
        ) { item in
            switch item {
            case let .checked(result): run.add(result)
            case let .unreadable(error): run.reportLoadFailure(error)
            }
        }
        run.finish(summary: format == .text)
        throw ExitCode(run.exitStatus)
    }
}

/// `--format` values.
enum CheckOutputFormat: String, CaseIterable, ExpressibleByArgument {
    case text, json, sarif, github
    var diagnosticFormat: DiagnosticFormat { DiagnosticFormat(rawValue: rawValue)! }
}

/// The printed side of one `check`: counts, the renderer and the output buffer.
private struct CheckReport {
    var renderer: any DiagnosticRenderer
    var output = BufferedStandardOutput()
    var fileCount = 0
    var errorCount = 0
    var warningCount = 0
    var loadFailures = 0

    init(renderer: any DiagnosticRenderer) {
        self.renderer = renderer
        self.renderer.begin(into: &output.buffer)
    }

    var exitStatus: Int32 { loadFailures > 0 ? 2 : errorCount > 0 ? 1 : 0 }

    mutating func add(_ result: FileDiagnostics) {
        fileCount += 1
        for diagnostic in result.diagnostics {
            switch diagnostic.severity {
            case .error: errorCount += 1
            case .warning: warningCount += 1
            case .note: break
            }
        }
        if !result.diagnostics.isEmpty { renderer.render(result, into: &output.buffer) }
        output.flushIfLarge()
    }

    /// A config that could not be found or read: not a diagnostic in a file, so it goes to
    /// stderr and the run ends with status 2 after the other files are checked.
    mutating func reportLoadFailure(_ error: ConfigLoadError) {
        loadFailures += 1
        output.flush()
        writeStandardError("container check: error: \(visibleText(error.description))\n")
    }

    mutating func finish(summary: Bool) {
        renderer.finish(into: &output.buffer)
        output.flush()
        if summary {
            let files = fileCount == 1 ? "1 file" : "\(fileCount) files"
            writeStandardError("\(plural(errorCount, "error")), \(plural(warningCount, "warning")) in \(files)\n")
        }
    }

    private func plural(_ count: Int, _ noun: String) -> String { count == 1 ? "1 \(noun)" : "\(count) \(noun)s" }
}

/// Standard output written in large chunks: `check --all` over thousands of configs must not
/// pay one system call per line.
struct BufferedStandardOutput {
    var buffer = ""
    private static let threshold = 1 << 16

    mutating func flushIfLarge() {
        if buffer.utf8.count >= Self.threshold { flush() }
    }

    mutating func flush() {
        guard !buffer.isEmpty else { return }
        writeAll(STDOUT_FILENO, buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}
