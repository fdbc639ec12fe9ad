import ConfigSource
import Diagnostics

/// The checks on a whole file that come before any line is read (language.md §2), shared by
/// both forms: size, UTF-8 and NUL bytes.
enum FileChecks {
    /// Reports a file over 1 MiB. Returns false when the file must not be parsed at all.
    static func checkSize(_ file: SourceFile, into bag: inout DiagnosticBag) -> Bool {
        guard file.bytes.count > Diagnostic.maximumConfigSize else { return true }
        bag.emit(.fileTooLarge(at: .point(0)))
        return false
    }

    /// Reports every run of invalid UTF-8 and every run of NUL bytes at its exact bytes.
    /// Returns true when the file is clean text.
    static func checkEncoding(_ file: SourceFile, into bag: inout DiagnosticBag) -> Bool {
        let bytes = file.bytes
        var clean = true
        var index = 0
        var invalidStart: Int? = nil
        var nulStart: Int? = nil

        func flushInvalid(at end: Int) {
            guard let start = invalidStart else { return }
            bag.emit(.invalidUTF8(bytes[start..<end], at: SourceRange(start, end)))
            invalidStart = nil
            clean = false
        }
        func flushNul(at end: Int) {
            guard let start = nulStart else { return }
            bag.emit(.nulByte(at: SourceRange(start, end)))
            nulStart = nil
            clean = false
        }

        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0 {
                flushInvalid(at: index)
                if nulStart == nil { nulStart = index }
                index += 1
                continue
            }
            flushNul(at: index)
            if byte < 0x80 {
                flushInvalid(at: index)
                index += 1
                continue
            }
            let width = UTF8Validation.sequenceWidth(bytes, at: index)
            if width == 0 {
                if invalidStart == nil { invalidStart = index }
                index += 1
            } else {
                flushInvalid(at: index)
                index += width
            }
        }
        flushInvalid(at: bytes.count)
        flushNul(at: bytes.count)
        return clean
    }
}
