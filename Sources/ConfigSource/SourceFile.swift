/// A config file's bytes and the index that turns byte offsets into 1-based lines and columns.
///
/// Columns count Unicode scalars, not bytes (the contract, language.md §5). A byte that is not
/// part of valid UTF-8 counts as one column, as a renderer shows it as one U+FFFD.
public final class SourceFile: Sendable {
    /// The path as the user named it; diagnostics print it verbatim.
    public let path: String
    /// The raw bytes, never transcoded: the lexer reports invalid UTF-8 itself.
    public let bytes: [UInt8]
    /// Byte offset of the first byte of each line; `lineStarts[0] == 0`.
    public let lineStarts: [Int]

    public init(path: String, bytes: [UInt8]) {
        self.path = path
        self.bytes = bytes
        var starts = [0]
        starts.reserveCapacity(bytes.count / 16 + 1)
        for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
            starts.append(index + 1)
        }
        self.lineStarts = starts
    }

    public convenience init(path: String, text: String) {
        self.init(path: path, bytes: Array(text.utf8))
    }

    /// Number of lines; a final newline does not open a new, empty line.
    public var lineCount: Int {
        if let last = lineStarts.last, last == bytes.count, lineStarts.count > 1 {
            return lineStarts.count - 1
        }
        return lineStarts.count
    }

    /// The 0-based index of the line containing `offset`.
    public func lineIndex(containing offset: Int) -> Int {
        var low = 0, high = lineStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if lineStarts[mid] <= offset { low = mid } else { high = mid - 1 }
        }
        return low
    }

    /// The 1-based line and column (in scalars) of a byte offset.
    public func location(of offset: Int) -> SourceLocation {
        let clamped = max(0, min(offset, bytes.count))
        let line = lineIndex(containing: clamped)
        let column = Self.scalarCount(bytes, from: lineStarts[line], to: clamped) + 1
        return SourceLocation(line: line + 1, column: column)
    }

    /// The byte offset of a 0-based line and 0-based scalar column (libyaml's marks).
    public func offset(line: Int, column: Int) -> Int {
        guard line < lineStarts.count else { return bytes.count }
        var offset = lineStarts[max(0, line)]
        var remaining = column
        while remaining > 0, offset < bytes.count, bytes[offset] != UInt8(ascii: "\n") {
            offset += Self.scalarWidth(at: offset, in: bytes)
            remaining -= 1
        }
        return offset
    }

    /// Byte range of line `index` (0-based) without its line terminator.
    public func lineRange(_ index: Int) -> Range<Int> {
        let start = lineStarts[index]
        var end = index + 1 < lineStarts.count ? lineStarts[index + 1] - 1 : bytes.count
        if end < start { end = start }
        return start..<end
    }

    /// The text of a byte range, invalid bytes shown as U+FFFD.
    public func text(_ range: SourceRange) -> String {
        let lower = max(0, min(range.lowerBound, bytes.count))
        let upper = max(lower, min(range.upperBound, bytes.count))
        return String(decoding: bytes[lower..<upper], as: UTF8.self)
    }

    /// Width in bytes of the UTF-8 sequence starting at `offset`; 1 for a byte that does not
    /// start a well-formed sequence (it is shown, and counted, as one U+FFFD).
    public static func scalarWidth(at offset: Int, in bytes: [UInt8]) -> Int {
        max(1, UTF8Validation.sequenceWidth(bytes, at: offset))
    }

    /// Number of scalars between two byte offsets.
    public static func scalarCount(_ bytes: [UInt8], from start: Int, to end: Int) -> Int {
        var count = 0, offset = start
        while offset < end {
            offset += scalarWidth(at: offset, in: bytes)
            count += 1
        }
        return count
    }
}

/// A 1-based line and column (columns in Unicode scalars).
public struct SourceLocation: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }
    public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        (a.line, a.column) < (b.line, b.column)
    }
    public var description: String { "\(line):\(column)" }
}

/// A half-open range of byte offsets into one `SourceFile`.
///
/// Every AST node keeps one; line and column are computed from the file when a diagnostic is
/// rendered, so the hot path (parsing thousands of configs) only stores two integers.
public struct SourceRange: Hashable, Sendable, CustomStringConvertible {
    public var lowerBound: Int
    public var upperBound: Int
    public init(_ lowerBound: Int, _ upperBound: Int) {
        self.lowerBound = lowerBound
        self.upperBound = max(lowerBound, upperBound)
    }
    /// An empty range at `offset`: an insertion point.
    public static func point(_ offset: Int) -> SourceRange { SourceRange(offset, offset) }
    public var isEmpty: Bool { lowerBound == upperBound }
    public var count: Int { upperBound - lowerBound }
    /// The smallest range covering both.
    public func union(_ other: SourceRange) -> SourceRange {
        SourceRange(min(lowerBound, other.lowerBound), max(upperBound, other.upperBound))
    }
    public var description: String { "\(lowerBound)..<\(upperBound)" }
}

/// A value together with the source range it was written at.
public struct Located<Value> {
    public var value: Value
    public var range: SourceRange
    public init(_ value: Value, at range: SourceRange) {
        self.value = value
        self.range = range
    }
}

extension Located: Equatable where Value: Equatable {}
extension Located: Hashable where Value: Hashable {}
extension Located: Sendable where Value: Sendable {}
