import ConfigLanguage
import ConfigSource
import Diagnostics
import HostCgroups

/// The state one check run shares between its rules: the input, the diagnostics found so far,
/// and facts one rule establishes for the next (the normalised root, which mounts are valid).
struct CheckContext {
    let parsed: ParsedConfig
    let options: CheckOptions
    /// Diagnostics of the parser followed by the checker's, in the order found.
    var diagnostics: [Diagnostic]

    /// The normalised root, when `root` holds an absolute path.
    var normalizedRoot: String?
    /// Set by the root F rule when the root is a real directory, so rules inside it can run.
    var rootIsUsableDirectory = false
    /// Per entry of `config.mounts`: the normalised destination, or nil when it is invalid.
    var normalizedMountDestinations: [String?] = []

    /// The target host's cgroups: given by the options, else probed (once per check, through
    /// the filesystem view) when the filesystem may be read, else unknown.
    let cgroupHost: HostCgroups?

    init(parsed: ParsedConfig, options: CheckOptions) {
        self.parsed = parsed
        self.options = options
        self.diagnostics = parsed.diagnostics
        if let host = options.cgroupHost {
            cgroupHost = host
        } else if options.useFilesystem {
            let fileSystem = options.fileSystem
            cgroupHost = CgroupProbe.probe(root: options.cgroupRoot) { path in
                fileSystem.readPrefix(path, maxBytes: 1 << 20).map { String(decoding: $0, as: UTF8.self) }
            }
        } else {
            cgroupHost = nil
        }
    }

    /// The cgroup version rules target: the options', else the host's (nil when unknown).
    var cgroupVersion: CgroupVersion? { options.cgroupVersion ?? cgroupHost?.version }

    var config: ContainerConfig { parsed.config }
    var file: SourceFile { parsed.file }
    var fileSystem: any FileSystemProbe { options.fileSystem }

    mutating func emit(_ diagnostic: Diagnostic) { diagnostics.append(diagnostic) }

    /// `path` as written at `range`, for pointing at one of its components.
    func writtenPath(_ path: String, at range: SourceRange) -> WrittenPath { WrittenPath(path, writtenAt: range, in: file) }

    /// The source text of `range`, for quoting a value as the user wrote it.
    func text(_ range: SourceRange) -> String { file.text(range) }

    /// Diagnostics by position; equal positions keep the order they were found in.
    var sortedDiagnostics: [Diagnostic] {
        diagnostics.enumerated().sorted { a, b in
            (a.element.range.lowerBound, a.offset) < (b.element.range.lowerBound, b.offset)
        }.map(\.element)
    }

    /// The front end could not read the whole file (it says so with `isIncomplete`; the codes
    /// below mean the same, for a front end that does not set it).
    var parserGaveUp: Bool {
        parsed.config.isIncomplete
            || parsed.diagnostics.contains { diagnostic in
                switch diagnostic.id {
                case .fileTooLarge, .yamlSyntax, .yamlNotMapping: true
                default: false
                }
            }
    }
}
