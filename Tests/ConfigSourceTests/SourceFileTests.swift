import Testing
@testable import ConfigSource

@Suite struct SourceFileTests {
    @Test func columnsCountScalarsNotBytes() {
        let file = SourceFile(path: "x", text: "a=é\nroot=/ü/x\n")
        // "root=/ü/" : the 'x' after 'ü/' is byte 10 of line 2 but scalar column 9.
        let offset = file.lineStarts[1] + Array("root=/ü/".utf8).count
        #expect(file.location(of: offset) == SourceLocation(line: 2, column: 9))
    }

    @Test func yamlMarksConvertToOffsets() {
        let file = SourceFile(path: "x", text: "ab\nüb: c\n")
        #expect(file.offset(line: 1, column: 1) == 5)
        #expect(file.location(of: file.offset(line: 1, column: 4)) == SourceLocation(line: 2, column: 5))
    }

    @Test func invalidByteCountsAsOneColumn() {
        let file = SourceFile(path: "x", bytes: [0x61, 0xFF, 0x62])
        #expect(file.location(of: 2) == SourceLocation(line: 1, column: 3))
    }

    @Test func lineCountIgnoresFinalNewline() {
        #expect(SourceFile(path: "x", text: "a\nb\n").lineCount == 2)
        #expect(SourceFile(path: "x", text: "a\nb").lineCount == 2)
    }
}
