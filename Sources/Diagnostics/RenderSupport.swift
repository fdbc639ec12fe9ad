import ConfigSource
import JSONSupport

/// Prints the diagnostics of a run, one file at a time, into a growing text buffer.
///
/// A run calls `begin`, then `render` once per file (files without diagnostics included, so
/// formats that list artifacts could), then `finish`. The caller owns the buffer and may flush
/// it between calls: output is streamed in big chunks, never a write per line.
public protocol DiagnosticRenderer {
    mutating func begin(into output: inout String)
    mutating func render(_ file: FileDiagnostics, into output: inout String)
    mutating func finish(into output: inout String)
}

extension DiagnosticRenderer {
    public mutating func begin(into output: inout String) {}
    public mutating func finish(into output: inout String) {}

    /// Renders a whole run into one string (tests, small runs).
    public mutating func renderAll(_ files: [FileDiagnostics]) -> String {
        var output = ""
        begin(into: &output)
        for file in files { render(file, into: &output) }
        finish(into: &output)
        return output
    }
}

/// The output formats of `container check --format`.
public enum DiagnosticFormat: String, Sendable, CaseIterable {
    case text, json, sarif, github

    /// A fresh renderer for this format. `color` only matters for text.
    public func makeRenderer(color: Bool = false) -> any DiagnosticRenderer {
        switch self {
        case .text: TextDiagnosticRenderer(color: color)
        case .json: JSONDiagnosticRenderer()
        case .sarif: SARIFDiagnosticRenderer()
        case .github: GitHubDiagnosticRenderer()
        }
    }
}

/// A source range as every format prints it: 1-based lines, 1-based columns counted in Unicode
/// scalars, and an EXCLUSIVE end column (the column just after the last character, equal to
/// `column` for an empty range such as an insertion point).
public struct RenderedRange: Sendable, Equatable {
    public var line: Int
    public var column: Int
    public var endLine: Int
    public var endColumn: Int

    public init(_ range: SourceRange, in file: SourceFile) {
        let start = file.location(of: range.lowerBound)
        let end = file.location(of: range.upperBound)
        line = start.line
        column = start.column
        endLine = end.line
        endColumn = end.column
    }

    /// The JSON members `line`, `column`, `endLine`, `endColumn` in that order.
    var jsonMembers: [(String, JSONValue)] {
        [
            ("line", .integer(Int64(line))), ("column", .integer(Int64(column))),
            ("endLine", .integer(Int64(endLine))), ("endColumn", .integer(Int64(endColumn))),
        ]
    }
}

extension FixIt {
    /// A one-line description of the edit: `replace 'roto' with 'root'`, `remove '\r'`, `insert '=x'`.
    public func editDescription(in file: SourceFile) -> String {
        let old = file.text(range)
        if range.isEmpty { return "insert '\(visibleText(replacement))'" }
        if replacement.isEmpty { return "remove '\(visibleText(old))'" }
        return "replace '\(visibleText(old))' with '\(visibleText(replacement))'"
    }
}

/// `text` with control characters spelled as escapes (`\r`, `\t`, `\u{1B}`), so that neither a
/// config nor a message can move the cursor or inject terminal sequences into the output.
public func visibleText(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: isControl) else { return text }
    var result = ""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\n": result += "\\n"
        case "\r": result += "\\r"
        case "\t": result += "\\t"
        case _ where isControl(scalar): result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
        default: result.unicodeScalars.append(scalar)
        }
    }
    return result
}

/// C0 and C1 control characters and DEL.
func isControl(_ scalar: Unicode.Scalar) -> Bool {
    scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
}
