import ConfigSource
import Diagnostics

/// The front door of the language: picks the front end by the file's name and returns the
/// typed AST with every syntax diagnostic.
public enum ConfigParser {
    /// Parses `file`: YAML when its path ends in `.yaml` or `.yml`, KEY=VALUE otherwise.
    public static func parse(_ file: SourceFile) -> ParsedConfig {
        form(of: file.path) == .yaml ? YAMLFrontEnd.parse(file) : KeyValueParser.parse(file)
    }

    /// The form a file is written in, by its name.
    public static func form(of path: String) -> ConfigForm {
        path.hasSuffix(".yaml") || path.hasSuffix(".yml") ? .yaml : .keyValue
    }
}
