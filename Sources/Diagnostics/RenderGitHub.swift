import ConfigSource

/// `--format github`: GitHub Actions workflow commands, one annotation per diagnostic:
///
/// `::error file=web,line=3,col=1,endLine=3,endColumn=4,title=unknown-key::unknown key 'roto'`
///
/// Notes become `::notice` annotations at their own location; fix-its are appended to the
/// message. GitHub's `endColumn` is the LAST column of the range (inclusive), unlike the JSON
/// and SARIF formats. Property values escape `% \r \n : ,`, the message escapes `% \r \n`.
public struct GitHubDiagnosticRenderer: DiagnosticRenderer {
    public init() {}

    public mutating func render(_ file: FileDiagnostics, into output: inout String) {
        for diagnostic in file.diagnostics {
            var message = diagnostic.message
            for fixIt in diagnostic.fixIts { message += "\nfix-it: " + fixIt.editDescription(in: file.file) }
            annotation(
                Self.command(for: diagnostic.severity), file.file, diagnostic.range,
                title: diagnostic.code, message: message, into: &output)
            for note in diagnostic.notes {
                annotation(
                    "notice", file.file, note.range, title: diagnostic.code,
                    message: "note: " + note.message, into: &output)
            }
        }
    }

    static func command(for severity: Severity) -> String {
        switch severity {
        case .error: "error"
        case .warning: "warning"
        case .note: "notice"
        }
    }

    private func annotation(
        _ command: String, _ file: SourceFile, _ range: SourceRange, title: String,
        message: String, into output: inout String
    ) {
        let place = RenderedRange(range, in: file)
        let lastColumn = place.endLine == place.line ? max(place.column, place.endColumn - 1) : place.endColumn
        output += "::" + command
        output += " file=" + Self.escapeProperty(file.path)
        output += ",line=\(place.line),col=\(place.column),endLine=\(place.endLine),endColumn=\(lastColumn)"
        output += ",title=" + Self.escapeProperty(title)
        output += "::" + Self.escapeData(message) + "\n"
    }

    /// The escaping GitHub's runner applies to a command's message.
    public static func escapeData(_ text: String) -> String { escape(text, property: false) }

    /// The escaping of a command's property values: the message's plus `:` and `,`.
    public static func escapeProperty(_ text: String) -> String { escape(text, property: true) }

    private static func escape(_ text: String, property: Bool) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "%": result += "%25"
            case "\r": result += "%0D"
            case "\n": result += "%0A"
            case ":" where property: result += "%3A"
            case "," where property: result += "%2C"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
