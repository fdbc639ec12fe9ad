import ConfigLanguage
import ConfigSource
import Diagnostics

/// Options of a check run.
public struct CheckOptions: Sendable {
    /// Run the rules that read the filesystem (F in language.md §3). `--no-filesystem` clears it.
    public var useFilesystem: Bool
    /// The cgroup version of the target host, for rules that depend on it (nil = probe).
    public var cgroupVersion: String?
    public init(useFilesystem: Bool = true, cgroupVersion: String? = nil) {
        self.useFilesystem = useFilesystem
        self.cgroupVersion = cgroupVersion
    }
}

/// The checker's verdict on one file.
public struct CheckResult: Sendable {
    /// Syntax and semantic diagnostics of the file, in source order.
    public var diagnostics: [Diagnostic]
    /// The checked model, present only when there is no error.
    public var checked: CheckedConfig?
}

/// Validates a parsed config against every rule of language.md §2–3.
public enum ConfigChecker {
    /// Checks `parsed` as the config of the container `name`.
    public static func check(_ parsed: ParsedConfig, name: String, options: CheckOptions) -> CheckResult {
        // TODO(checker helper): rules.
        CheckResult(diagnostics: parsed.diagnostics, checked: nil)
    }
}
