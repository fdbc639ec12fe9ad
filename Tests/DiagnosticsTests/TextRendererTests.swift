import ConfigSource
import Diagnostics
import Testing

@Suite struct TextRendererTests {
    private func render(_ text: String, _ make: (SourceFile) -> [Diagnostic], color: Bool = false) -> [String] {
        let file = SourceFile(path: "configs/web", text: text)
        var renderer = TextDiagnosticRenderer(color: color)
        let output = renderer.renderAll([FileDiagnostics(file: file, diagnostics: make(file))])
        return output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// The column (0-based, in terminal cells with tabs expanded to 8) of `character` in `line`.
    private func cell(of character: Character, in line: String) -> Int? {
        var cell = 0
        for c in line {
            if c == character { return cell }
            cell = c == "\t" ? (cell / 8 + 1) * 8 : cell + 1
        }
        return nil
    }

    @Test func headerHasLocationSeverityMessageAndCode() {
        let lines = render("root=/x\nroto=/y\n") { _ in [Diagnostic(.unknownKey, "unknown key 'roto'", at: SourceRange(8, 12))] }
        #expect(lines[0] == "configs/web:2:1: error: unknown key 'roto' [unknown-key]")
        #expect(lines[1].hasSuffix("| roto=/y"))
        #expect(lines[2].hasSuffix("| ^~~~"))
    }

    @Test func caretIsUnderTheRangeAfterTabsAndMultibyteCharacters() {
        let source = "é\tkey=\tval🙂x Q\n"
        let offset = Array(source.utf8).firstIndex(of: UInt8(ascii: "Q"))!
        let lines = render(source) { _ in [Diagnostic(.unknownSizeSuffix, "bad", at: SourceRange(offset, offset + 1))] }
        #expect(lines[0].hasPrefix("configs/web:1:14:"))  // columns count scalars: é, tab, 🙂 are one each
        let sourceLine = lines[1], markerLine = lines[2]
        #expect(cell(of: "^", in: markerLine) != nil)
        // The emoji takes two cells on a terminal, the tab expands the same way in both lines.
        let expected = cell(of: "Q", in: sourceLine.replacingOccurrences(of: "🙂", with: "??"))
        #expect(cell(of: "^", in: markerLine) == expected)
    }

    @Test func emptyRangeGetsOneCaretAndMultiLineRangeIsUnderlinedToTheEndOfItsFirstLine() {
        let lines = render("ab\ncd\n") { _ in
            [Diagnostic(.missingEquals, "point", at: .point(1)), Diagnostic(.missingEquals, "span", at: SourceRange(1, 4))]
        }
        #expect(lines[2].hasSuffix("|  ^"))
        #expect(lines[5].hasSuffix("|  ^"))
        #expect(lines[3] == "configs/web:1:2: error: span [missing-equals]")
    }

    @Test func notesAndFixItsFollowTheirDiagnostic() {
        let lines = render("root=/a\nroot=/b\n") { _ in
            [
                Diagnostic(
                    .duplicateKey, "'root' is set twice", at: SourceRange(8, 12),
                    notes: [DiagnosticNote("first set here", at: SourceRange(0, 4))],
                    fixIts: [FixIt("delete", replacing: SourceRange(8, 16), with: "")])
            ]
        }
        #expect(lines[3].contains("fix-it: remove 'root=/b\\n'"))
        #expect(lines[4] == "configs/web:1:1: note: first set here")
        #expect(lines[5].hasSuffix("| root=/a"))
        #expect(lines[6].hasSuffix("| ^~~~"))
    }

    @Test func controlCharactersCannotReachTheTerminal() {
        let lines = render("k\u{1B}[31m=v\n") { _ in [Diagnostic(.whitespaceInKey, "key 'k\u{1B}[31m'", at: SourceRange(0, 6))] }
        #expect(!lines.joined().contains("\u{1B}"))
        #expect(lines[1].contains("\u{241B}"))
    }

    @Test func colourOnlyWhenAsked() {
        let plain = render("x\n") { _ in [Diagnostic(.missingEquals, "m", at: SourceRange(0, 1))] }
        let coloured = render("x\n", { _ in [Diagnostic(.missingEquals, "m", at: SourceRange(0, 1))] }, color: true)
        #expect(!plain.joined().contains("\u{1B}["))
        #expect(coloured[0].contains("\u{1B}[1;31merror:"))
        #expect(
            render("x\n", { _ in [Diagnostic(.trailingWhitespace, "w", at: SourceRange(0, 1))] }, color: true)[0]
                .contains("\u{1B}[1;33mwarning:"))
    }

    @Test func invalidUTF8IsOneColumnPerByte() {
        let file = SourceFile(path: "f", bytes: [0xE2, 0x82, UInt8(ascii: "a"), UInt8(ascii: "\n")])
        var renderer = TextDiagnosticRenderer()
        let output = renderer.renderAll([FileDiagnostics(file: file, diagnostics: [Diagnostic(.invalidUTF8, "bad", at: SourceRange(2, 3))])])
        let lines = output.split(separator: "\n").map(String.init)
        #expect(lines[0].hasPrefix("f:1:3:"))
        #expect(lines[1].hasSuffix("| \u{FFFD}\u{FFFD}a"))
        #expect(lines[2].hasSuffix("|   ^"))
    }

    @Test func longLinesAreCutAroundTheRange() {
        let source = String(repeating: "a", count: 5000) + "X" + String(repeating: "b", count: 5000) + "\n"
        let lines = render(source) { _ in [Diagnostic(.invalidSize, "x", at: SourceRange(5000, 5001))] }
        #expect(lines[1].count < 200)
        #expect(lines[1].hasSuffix("…") && lines[1].contains("| …a"))
        let caret = lines[2].firstIndex(of: "^").map { lines[2].distance(from: lines[2].startIndex, to: $0) }
        let target = lines[1].firstIndex(of: "X").map { lines[1].distance(from: lines[1].startIndex, to: $0) }
        #expect(caret != nil && caret == target)
    }
}
