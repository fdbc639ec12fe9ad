import ConfigSource
import Diagnostics

/// The front door of the language: picks the front end by the file's name and returns the
/// typed AST with every syntax diagnostic.
public enum ConfigParser {
    /// Parses `file`: YAML when its path ends in `.yaml` or `.yml`, KEY=VALUE otherwise.
    public static func parse(_ file: SourceFile) -> ParsedConfig {
        // TODO(language helper): real front ends.
        ParsedConfig(file: file, config: ContainerConfig(form: .keyValue), diagnostics: [])
    }
}
