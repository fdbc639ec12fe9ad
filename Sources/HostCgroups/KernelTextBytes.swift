/// The bytes of a kernel text file (mountinfo, /proc/PID/cgroup, cgroup.controllers, cgroup.procs),
/// scanned with plain loops over one contiguous buffer.
///
/// Why bytes and loops: the probe runs once in every `start`, `exec`, `kill` and `list`, each a fresh
/// process of a static executable, where the first use of every generic standard-library
/// instantiation (`split` into `[Substring]`, `map(String.init)`, `hasPrefix` on a Substring) makes
/// the Swift runtime instantiate metadata and scan all the executable's protocol-conformance
/// records (callgrind: the probe took ~1 M instructions for a 21-line mountinfo, ~0.22 M on
/// bytes). Only the `String`s the model keeps are made, with `string(_:)`. Where a non-ASCII
/// byte could make Characters part from bytes, the callers keep the Character-level code
/// (`isPlainASCII`); ParserEquivalenceTests compares both with the old parsers.
struct KernelTextBytes {
    static let newline = UInt8(ascii: "\n")
    static let space = UInt8(ascii: " ")

    let bytes: UnsafeBufferPointer<UInt8>

    /// Calls `body` with the UTF-8 bytes of `text`.
    static func reading<Result>(_ text: String, _ body: (KernelTextBytes) -> Result) -> Result {
        var text = text
        return text.withUTF8 { body(KernelTextBytes(bytes: $0)) }
    }

    var count: Int { bytes.count }

    /// The index of the first `byte` in `start..<end`, or `end`.
    func firstIndex(of byte: UInt8, in range: Range<Int>) -> Int {
        var index = range.lowerBound
        while index < range.upperBound, bytes[index] != byte { index += 1 }
        return index
    }

    func contains(_ byte: UInt8, in range: Range<Int>) -> Bool {
        firstIndex(of: byte, in: range) < range.upperBound
    }

    /// Calls `body` with every non-empty line (newline-separated range), as
    /// `utf8.split(separator: "\n")` yields them.
    func forEachLine(_ body: (Range<Int>) -> Void) {
        var start = 0
        while start < count {
            let end = firstIndex(of: Self.newline, in: start..<count)
            if end > start { body(start..<end) }
            start = end + 1
        }
    }

    /// The text of `range` (ill-formed UTF-8 repaired, as everywhere a String is decoded).
    func string(_ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    /// Whether the bytes of `range` are exactly `other`'s UTF-8.
    func equals(_ range: Range<Int>, _ other: String) -> Bool {
        range.count == other.utf8.count && starts(range, with: other)
    }

    /// Whether the bytes of `range` begin with `prefix`'s UTF-8.
    func starts(_ range: Range<Int>, with prefix: String) -> Bool {
        Self.withBytes(of: prefix) { prefix in
            guard prefix.count <= range.count else { return false }
            var index = 0
            while index < prefix.count, bytes[range.lowerBound + index] == prefix[index] { index += 1 }
            return index == prefix.count
        }
    }

    /// Whether `byte` is the whole of `range`.
    func isOnly(_ byte: UInt8, _ range: Range<Int>) -> Bool {
        range.count == 1 && bytes[range.lowerBound] == byte
    }

    /// Whether `needle`'s UTF-8 occurs in `range`.
    func contains(_ needle: String, in range: Range<Int>) -> Bool {
        var start = range.lowerBound
        while start < range.upperBound {
            if starts(start..<range.upperBound, with: needle) { return true }
            start += 1
        }
        return false
    }

    /// Whether every byte of `range` is ASCII other than CR: then each byte is one Character and
    /// comparing bytes is comparing Characters (`\r\n` is one Character, a non-ASCII byte may
    /// join a grapheme cluster with its neighbours), so byte scanning answers as the
    /// Character-level code it replaces.
    func isPlainASCII(_ range: Range<Int>) -> Bool {
        var index = range.lowerBound
        while index < range.upperBound {
            guard bytes[index] < 0x80, bytes[index] != UInt8(ascii: "\r") else { return false }
            index += 1
        }
        return true
    }

    /// `isPlainASCII` of a whole String.
    static func isPlainASCII(_ text: String) -> Bool {
        withBytes(of: text) { KernelTextBytes(bytes: $0).isPlainASCII(0..<$0.count) }
    }

    /// Whether every byte of `text` is ASCII: then it equals another ASCII text only when their
    /// bytes are the same (other texts may be canonically equivalent to it, `\u{212A}` to `K`).
    static func isASCII(_ text: String) -> Bool {
        withBytes(of: text) { bytes in
            var index = 0
            while index < bytes.count, bytes[index] < 0x80 { index += 1 }
            return index == bytes.count
        }
    }

    /// Calls `body` with the UTF-8 of `text`, in place when the String is contiguous (native and
    /// literal Strings are), without the copy `reading` may make.
    static func withBytes<Result>(of text: String, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        if let result = text.utf8.withContiguousStorageIfAvailable(body) { return result }
        return Array(text.utf8).withUnsafeBufferPointer(body)
    }
}

/// The space-separated fields of one line, as `utf8.split(separator: " ")` yields them: a run of
/// spaces is one separator (mountinfo escapes the spaces inside a field).
struct FieldCursor {
    let text: KernelTextBytes
    private(set) var position: Int
    let end: Int

    init(_ text: KernelTextBytes, _ line: Range<Int>) {
        self.text = text
        position = line.lowerBound
        end = line.upperBound
    }

    /// The next field, nil after the last one.
    mutating func next() -> Range<Int>? {
        while position < end, text.bytes[position] == KernelTextBytes.space { position += 1 }
        guard position < end else { return nil }
        let start = position
        while position < end, text.bytes[position] != KernelTextBytes.space { position += 1 }
        return start..<position
    }
}
