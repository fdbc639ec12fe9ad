import ConfigSource
import Diagnostics

/// The KEY=VALUE front end (language.md §2, Grammar/keyvalue.ebnf).
///
/// Works on the file's bytes with offsets: no per-line strings, no regex. A line is empty, a
/// comment (first non-blank byte `#`) or `KEY=VALUE`, VALUE being everything after the first
/// `=`. Problems are reported and the line skipped; parsing always goes on to the end.
enum KeyValueParser {
    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    static func parse(_ file: SourceFile) -> ParsedConfig {
        var builder = ConfigBuilder(form: .keyValue)
        if !FileChecks.checkSize(file, into: &builder.bag) {
            builder.config.isIncomplete = true
        } else {
            _ = FileChecks.checkEncoding(file, into: &builder.bag)
            let bytes = file.bytes
            // A UTF-8 byte order mark (as some Windows editors write) is not part of the first key.
            var lineStart = bytes.starts(with: byteOrderMark) ? byteOrderMark.count : 0
            while lineStart < bytes.count {
                var lineEnd = lineStart
                while lineEnd < bytes.count, bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
                parseLine(bytes, lineStart, lineEnd, into: &builder)
                lineStart = lineEnd + 1
            }
        }
        return ParsedConfig(file: file, config: builder.config, diagnostics: builder.bag.diagnostics)
    }

    /// One line, `start..<end` without its `\n`.
    private static func parseLine(_ bytes: [UInt8], _ start: Int, _ end: Int, into builder: inout ConfigBuilder) {
        var contentEnd = end
        if contentEnd > start, bytes[contentEnd - 1] == UInt8(ascii: "\r") {
            contentEnd -= 1
            builder.bag.emit(.crlfLineEnding(at: SourceRange(contentEnd, contentEnd + 1)))
        }
        var first = start
        while first < contentEnd, isBlank(bytes[first]) { first += 1 }
        guard first < contentEnd, bytes[first] != UInt8(ascii: "#") else { return }

        var equals = first
        while equals < contentEnd, bytes[equals] != UInt8(ascii: "=") { equals += 1 }
        guard equals < contentEnd else {
            reportMissingEquals(bytes, first, contentEnd, into: &builder)
            return
        }
        var keyEnd = equals
        while keyEnd > first, isBlank(bytes[keyEnd - 1]) { keyEnd -= 1 }
        guard keyEnd > first else {
            builder.bag.emit(.emptyKey(at: SourceRange(equals, equals + 1)))
            return
        }
        var valueStart = equals + 1
        var key = KeyTable.key(bytes, first, keyEnd)
        if first > start || keyEnd < equals || (first..<keyEnd).contains(where: { isBlank(bytes[$0]) }) {
            switch reportWhitespaceInKey(
                bytes, start, first, keyEnd, equals, contentEnd,
                valueStart: &valueStart, into: &builder)
            {
            case .key(let recovered): key = recovered
            case .unknown: key = nil
            case .dropLine: return
            }
        }
        guard let key else {
            let name = String(decoding: bytes[first..<keyEnd], as: UTF8.self)
            builder.bag.emit(
                .unknownKey(
                    name, suggestion: KeyTable.suggestion(for: name), known: ConfigKey.spellings,
                    at: SourceRange(first, keyEnd)))
            return
        }

        var valueEnd = contentEnd
        while valueEnd > valueStart, isBlank(bytes[valueEnd - 1]) { valueEnd -= 1 }
        let value = ValueText(file: bytes, range: valueStart..<valueEnd)
        if let hash = commentStart(bytes, valueStart, valueEnd) {
            builder.bag.emit(
                .commentInValue(
                    key: key.rawValue, text: value.slice(hash, valueEnd).string,
                    at: SourceRange(hash, valueEnd)))
        }
        if valueEnd < contentEnd {
            builder.bag.emit(.trailingWhitespace(key: key.rawValue, at: SourceRange(valueEnd, contentEnd)))
        }
        builder.set(key, spelled: key.rawValue, keyRange: SourceRange(first, keyEnd), value: value)
    }

    /// The `#` of the first ` #` / `\t#` inside a value: text that looks like a comment but is not.
    private static func commentStart(_ bytes: [UInt8], _ start: Int, _ end: Int) -> Int? {
        var index = start + 1
        while index < end {
            if bytes[index] == UInt8(ascii: "#"), isBlank(bytes[index - 1]) { return index }
            index += 1
        }
        return nil
    }

    /// `root /x` or `root: /x`: when the first word is a key, replacing what follows it by `=`
    /// is the obvious repair.
    private static func reportMissingEquals(
        _ bytes: [UInt8], _ first: Int, _ contentEnd: Int,
        into builder: inout ConfigBuilder
    ) {
        var lineEnd = contentEnd
        while lineEnd > first, isBlank(bytes[lineEnd - 1]) { lineEnd -= 1 }
        var wordEnd = first
        while wordEnd < lineEnd, !isBlank(bytes[wordEnd]), bytes[wordEnd] != UInt8(ascii: ":") { wordEnd += 1 }
        var separatorEnd = wordEnd
        if separatorEnd < lineEnd, bytes[separatorEnd] == UInt8(ascii: ":") { separatorEnd += 1 }
        while separatorEnd < lineEnd, isBlank(bytes[separatorEnd]) { separatorEnd += 1 }
        var fixIt: FixIt? = nil
        if KeyTable.key(bytes, first, wordEnd) != nil, separatorEnd > wordEnd, separatorEnd < lineEnd {
            fixIt = FixIt(
                "write '=' between the key and the value",
                replacing: SourceRange(wordEnd, separatorEnd), with: "=")
        }
        let line = String(decoding: bytes[first..<lineEnd], as: UTF8.self)
        builder.bag.emit(.missingEquals(line: line, at: SourceRange(first, lineEnd), fixIt: fixIt))
    }

    /// What is left of a key written with whitespace.
    private enum KeyRecovery {
        /// The key the user meant: the line is read on as if written without the whitespace.
        case key(ConfigKey)
        /// The key without the whitespace is still not a key: report it as unknown too.
        case unknown
        /// Whitespace inside a word that is no key when joined: nothing more to say.
        case dropLine
    }

    /// Whitespace before, inside or after the key. Reports it at the first whitespace run with a
    /// fix-it that rewrites the line's head as `key=`, and says what key it recovers.
    /// `valueStart` skips the blanks after `=` when the user wrote `key = value`.
    private static func reportWhitespaceInKey(
        _ bytes: [UInt8], _ lineStart: Int, _ first: Int, _ keyEnd: Int,
        _ equals: Int, _ contentEnd: Int, valueStart: inout Int,
        into builder: inout ConfigBuilder
    ) -> KeyRecovery {
        var blankStart = lineStart
        while blankStart < equals, !isBlank(bytes[blankStart]) { blankStart += 1 }
        var blankEnd = blankStart
        while blankEnd < equals, isBlank(bytes[blankEnd]) { blankEnd += 1 }

        // The key with each inner blank run read as `_` (`max memory` → `max_memory`).
        var joined: [UInt8] = []
        var hasInnerBlank = false
        var index = first
        while index < keyEnd {
            if isBlank(bytes[index]) {
                while index < keyEnd, isBlank(bytes[index]) { index += 1 }
                hasInnerBlank = true
                joined.append(UInt8(ascii: "_"))
            } else {
                joined.append(bytes[index])
                index += 1
            }
        }
        let key = KeyTable.key(joined, 0, joined.count)
        if keyEnd < equals {  // `key = value`: the blanks after `=` belong to the separator too
            while valueStart < contentEnd, isBlank(bytes[valueStart]) { valueStart += 1 }
        }
        let spelled = String(decoding: joined, as: UTF8.self)
        let fixIt: FixIt? =
            (hasInnerBlank && key == nil)
            ? nil
            : FixIt(
                "write '\(spelled)=' without whitespace", replacing: SourceRange(lineStart, valueStart),
                with: spelled + "=")
        let written = String(decoding: bytes[lineStart..<equals], as: UTF8.self)
        builder.bag.emit(.whitespaceInKey(written, at: SourceRange(blankStart, blankEnd), fixIt: fixIt))
        guard let key else { return hasInnerBlank ? .dropLine : .unknown }
        return .key(key)
    }
}

/// The keys of the language as bytes, for matching without building strings.
enum KeyTable {
    /// The key spelled `bytes[start..<end]`. The spellings are compared in place, not kept in a
    /// table: a lazily built `[([UInt8], ConfigKey)]` is a global with a page of its own and a
    /// tuple type the runtime instantiates in every start (docs/performance.md).
    static func key(_ bytes: [UInt8], _ start: Int, _ end: Int) -> ConfigKey? {
        let count = end - start
        for key in ConfigKey.allCases {
            var spelling = key.rawValue
            let matches = spelling.withUTF8 { utf8 -> Bool in
                guard utf8.count == count else { return false }
                var index = 0
                while index < count, utf8[index] == bytes[start + index] { index += 1 }
                return index == count
            }
            if matches { return key }
        }
        return nil
    }

    static func suggestion(for name: String) -> String? {
        KeySuggestion.closest(to: name, among: ConfigKey.spellings)
    }
}
