import ConfigSource

/// The human format (language.md §5):
///
/// ```
/// web:3:1: error: unknown key 'roto' [unknown-key]
///   3 | roto=/srv/web
///     | ^~~~
///     = fix-it: replace 'roto' with 'root'
/// web:1:1: note: 'root' first set here
///   1 | root=/srv/www
///     | ^~~~
/// ```
///
/// Colour (bold locations, red errors, yellow warnings) is the caller's decision: it passes
/// `color: true` only when stdout is a terminal and `NO_COLOR` is unset.
public struct TextDiagnosticRenderer: DiagnosticRenderer {
    public var color: Bool
    public init(color: Bool = false) { self.color = color }

    public mutating func render(_ file: FileDiagnostics, into output: inout String) {
        for diagnostic in file.diagnostics {
            header(
                file.file, diagnostic.range, severity: diagnostic.severity,
                message: diagnostic.message + " [\(diagnostic.code)]", into: &output)
            snippet(file.file, diagnostic.range, into: &output)
            for fixIt in diagnostic.fixIts {
                let width = gutterWidth(file.file, diagnostic.range)
                output += String(repeating: " ", count: width + 1)
                output += styled("= fix-it: ", Style.fixIt) + fixIt.editDescription(in: file.file) + "\n"
            }
            for note in diagnostic.notes {
                header(file.file, note.range, severity: .note, message: note.message, into: &output)
                snippet(file.file, note.range, into: &output)
            }
        }
    }

    private func header(
        _ file: SourceFile, _ range: SourceRange, severity: Severity, message: String,
        into output: inout String
    ) {
        let start = file.location(of: range.lowerBound)
        output += styled("\(visibleText(file.path)):\(start.line):\(start.column):", Style.bold)
        output += " "
        output += styled(severity.rawValue + ":", Style.severity(severity))
        output += " "
        output += styled(visibleText(message), Style.bold)
        output += "\n"
    }

    private func gutterWidth(_ file: SourceFile, _ range: SourceRange) -> Int {
        String(file.location(of: range.lowerBound).line).count + 1
    }

    /// The source line of the range's start, and under it a caret at the first character and
    /// `~` under the rest of the range (to the end of that line for a multi-line range).
    private func snippet(_ file: SourceFile, _ range: SourceRange, into output: inout String) {
        guard !file.bytes.isEmpty else { return }
        let start = file.location(of: range.lowerBound)
        let end = file.location(of: range.upperBound)
        let lineIndex = start.line - 1
        let cells = lineIndex < file.lineStarts.count ? SourceLineCells(file, line: lineIndex) : SourceLineCells()
        let width = gutterWidth(file, range)
        let lineNumber = String(start.line)
        let firstColumn = start.column - 1
        let lastColumn =
            end.line == start.line
            ? max(end.column - 1, firstColumn + 1)
            : max(cells.count, firstColumn + 1)
        // A very long line (a minified blob, a 1 MiB file without newlines) is shown as a window
        // around the range, with an ellipsis where text was cut.
        let window = cells.window(around: firstColumn, width: Self.maximumShownColumns)
        let cutBefore = window.lowerBound > 0, cutAfter = window.upperBound < cells.count
        output += String(repeating: " ", count: width - lineNumber.count) + lineNumber + " | "
        output += (cutBefore ? "…" : "") + cells.display(window) + (cutAfter ? "…" : "") + "\n"

        var marker = (cutBefore ? " " : "") + cells.padding(from: window.lowerBound, upTo: firstColumn) + "^"
        let underlineEnd = min(lastColumn, max(window.upperBound, firstColumn + 1))
        if underlineEnd - firstColumn > 1 {
            marker += String(repeating: "~", count: cells.cellWidth(from: firstColumn, to: underlineEnd) - 1)
        }
        output += String(repeating: " ", count: width) + " | " + styled(marker, Style.marker) + "\n"
    }

    /// Columns of a source line shown at most; longer lines are cut around the range.
    static let maximumShownColumns = 160

    private func styled(_ text: String, _ code: String) -> String {
        color ? "\u{1B}[" + code + "m" + text + "\u{1B}[0m" : text
    }

    private enum Style {
        static let bold = "1"
        static let marker = "1;32"
        static let fixIt = "1;36"
        static func severity(_ severity: Severity) -> String {
            switch severity {
            case .error: "1;31"
            case .warning: "1;33"
            case .note: "1;36"
            }
        }
    }
}

/// One source line as it is shown: a display string with one entry per column (Unicode scalar),
/// so the marker line can be aligned under it whatever the line contains.
struct SourceLineCells {
    /// What each column shows; control characters other than tab become visible pictures.
    private(set) var scalars: [Unicode.Scalar] = []

    init() {}

    init(_ file: SourceFile, line: Int) {
        var range = file.lineRange(line)
        if range.count > 0, file.bytes[range.upperBound - 1] == UInt8(ascii: "\r") {
            range = range.lowerBound..<(range.upperBound - 1)
        }
        var offset = range.lowerBound
        // Walk exactly like SourceFile counts columns: one scalar per valid sequence, one
        // U+FFFD per invalid byte.
        while offset < range.upperBound {
            let width = SourceFile.scalarWidth(at: offset, in: file.bytes)
            var scalar = Unicode.Scalar(0xFFFD)!
            if width == 1, file.bytes[offset] < 0x80 {
                scalar = Unicode.Scalar(file.bytes[offset])
            } else if width > 1,
                let decoded = String(decoding: file.bytes[offset..<(offset + width)], as: UTF8.self).unicodeScalars.first
            {
                scalar = decoded
            }
            scalars.append(Self.displayable(scalar))
            offset += width
        }
    }

    var count: Int { scalars.count }

    /// The columns to show: all of them, or `width` of them starting a little before `column`.
    func window(around column: Int, width: Int) -> Range<Int> {
        guard scalars.count > width else { return 0..<scalars.count }
        let start = max(0, min(column - width / 4, scalars.count - width))
        return start..<(start + width)
    }

    func display(_ window: Range<Int>) -> String {
        var text = ""
        text.unicodeScalars.append(contentsOf: scalars[window])
        return text
    }

    /// Blanks from column `start` to column `column` (0-based): a tab where the line has a tab,
    /// so the terminal expands both the same way, and two spaces under a wide character.
    func padding(from start: Int = 0, upTo column: Int) -> String {
        var text = ""
        guard column > start else { return text }
        for index in start..<min(column, scalars.count) {
            let scalar = scalars[index]
            if scalar == "\t" { text += "\t" } else { text += String(repeating: " ", count: Self.width(of: scalar)) }
        }
        if column > scalars.count { text += String(repeating: " ", count: column - max(start, scalars.count)) }
        return text
    }

    /// Terminal cells between two columns; a tab counts as one (the caret sits on its start).
    func cellWidth(from start: Int, to end: Int) -> Int {
        var cells = 0
        for index in start..<end {
            cells += index < scalars.count ? Self.width(of: scalars[index]) : 1
        }
        return max(cells, 1)
    }

    /// Control characters (except tab) would corrupt the terminal: show their pictures (␀, ␛).
    private static func displayable(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        if scalar == "\t" { return scalar }
        if scalar.value < 0x20 { return Unicode.Scalar(0x2400 + scalar.value)! }
        if scalar.value == 0x7F { return Unicode.Scalar(0x2421)! }
        if (0x80...0x9F).contains(scalar.value) { return Unicode.Scalar(0xFFFD)! }
        return scalar
    }

    /// Terminal cells of a scalar: 0 for combining marks, 2 for East Asian wide and emoji, else 1.
    static func width(of scalar: Unicode.Scalar) -> Int {
        switch scalar.value {
        case 0x0300...0x036F, 0x200B...0x200F, 0xFE00...0xFE0F: return 0
        case 0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F,
            0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD:
            return 2
        default: return 1
        }
    }
}
