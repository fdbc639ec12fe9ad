import ConfigSource
import JSONSupport

/// `--format json`: ONE document for all files of a run, one diagnostic per line:
///
/// ```
/// {"diagnostics": [
/// {"file":"web","line":3,"column":1,"endLine":3,"endColumn":5,"severity":"error","code":"unknown-key",
///  "message":"…","notes":[{"message":"…","line":1,"column":1,"endLine":1,"endColumn":5}],
///  "fixIts":[{"line":3,"column":1,"endLine":3,"endColumn":5,"replacement":"root"}]}
/// ]}
/// ```
///
/// Lines and columns are 1-based, columns count Unicode scalars, and `endColumn` is EXCLUSIVE:
/// the column just after the range (equal to `column` for an empty range, an insertion point).
public struct JSONDiagnosticRenderer: DiagnosticRenderer {
    private var count = 0
    public init() {}

    public mutating func begin(into output: inout String) {
        output += "{\"diagnostics\": ["
    }

    public mutating func render(_ file: FileDiagnostics, into output: inout String) {
        for diagnostic in file.diagnostics {
            output += count == 0 ? "\n" : ",\n"
            Self.value(of: diagnostic, in: file.file).write(to: &output)
            count += 1
        }
    }

    public mutating func finish(into output: inout String) {
        output += count == 0 ? "]}\n" : "\n]}\n"
    }

    /// The JSON object of one diagnostic, members in the documented order.
    public static func value(of diagnostic: Diagnostic, in file: SourceFile) -> JSONValue {
        var members: [(String, JSONValue)] = [("file", .string(file.path))]
        members += RenderedRange(diagnostic.range, in: file).jsonMembers
        members += [
            ("severity", .string(diagnostic.severity.rawValue)),
            ("code", .string(diagnostic.code)),
            ("message", .string(diagnostic.message)),
            (
                "notes",
                .array(
                    diagnostic.notes.map { note in
                        .object([("message", .string(note.message))] + RenderedRange(note.range, in: file).jsonMembers)
                    })
            ),
            (
                "fixIts",
                .array(
                    diagnostic.fixIts.map { fixIt in
                        .object(RenderedRange(fixIt.range, in: file).jsonMembers + [("replacement", .string(fixIt.replacement))])
                    })
            ),
        ]
        return .object(members)
    }
}
