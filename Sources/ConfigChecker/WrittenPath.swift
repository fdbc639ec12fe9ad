import ConfigSource

/// A path as written in the config, with where each of its components is in the file, so that
/// a path rule points at the component that breaks it (the `..`, the symlink, the missing
/// directory) rather than at the whole value.
///
/// When the source text does not end in the path byte for byte (a YAML scalar with escapes),
/// every component's range is the whole value: a range must never point at the wrong bytes.
struct WrittenPath {
    /// One run between slashes: its text and its byte offsets in the path.
    struct Component {
        var text: Substring
        var bytes: Range<Int>
    }

    let path: String
    /// Where the whole value was written (an `@` before a host init included).
    let whole: SourceRange
    /// The file offset of the path's first byte, when the source spells the path verbatim.
    private let origin: Int?
    /// Every run between slashes, empty ones included (`//` makes one, a trailing `/` another).
    let pieces: [Component]

    init(_ path: String, writtenAt range: SourceRange, in file: SourceFile) {
        self.path = path
        self.whole = range
        let utf8 = Array(path.utf8)
        let lower = max(0, min(range.lowerBound, file.bytes.count))
        let upper = max(lower, min(range.upperBound, file.bytes.count))
        let written = file.bytes[lower..<upper]
        // The value may carry a prefix before the path (`@/host/init`), never a suffix.
        origin =
            written.count >= utf8.count && written.suffix(utf8.count).elementsEqual(utf8)
            ? upper - utf8.count : nil
        var pieces: [Component] = []
        var start = 0
        for index in 0...utf8.count where index == utf8.count || utf8[index] == UInt8(ascii: "/") {
            if index > 0 || start < index {
                let text = Substring(String(decoding: utf8[start..<index], as: UTF8.self))
                pieces.append(Component(text: text, bytes: start..<index))
            }
            start = index + 1
        }
        self.pieces = pieces
    }

    /// The source range of `bytes` of the path.
    func range(_ bytes: Range<Int>) -> SourceRange {
        guard let origin else { return whole }
        return SourceRange(origin + bytes.lowerBound, origin + bytes.upperBound)
    }

    /// The components a lookup walks, in order: `PathNormalization.components` (no empty
    /// runs, no `.`; `..` kept), with their places.
    var walked: [Component] { pieces.filter { !$0.text.isEmpty && $0.text != "." } }

    /// The range of the `index`-th walked component, or the whole value when there is none.
    func walkedComponent(_ index: Int) -> SourceRange {
        let components = walked
        return components.indices.contains(index) ? range(components[index].bytes) : whole
    }

    /// The first `..` component.
    var firstDotDot: SourceRange? {
        pieces.first { $0.text == ".." }.map { range($0.bytes) }
    }

    /// What first keeps an absolute path from its normal form: the extra `/` of `//`, a `.` or
    /// `..` component, or a trailing `/`. Nil when the path is normal (or is `/`).
    var firstDenormalization: SourceRange? {
        guard path.hasPrefix("/"), path != "/" else { return nil }
        for (index, piece) in pieces.enumerated() {
            let isLast = index == pieces.count - 1
            if piece.text.isEmpty {
                // Empty before another component: the `/` after it is doubled. Empty at the end:
                // the `/` before it is trailing.
                let slash = isLast ? piece.bytes.lowerBound - 1 : piece.bytes.lowerBound
                return range(slash..<(slash + 1))
            }
            if piece.text == "." || piece.text == ".." { return range(piece.bytes) }
        }
        return nil
    }

    /// The first walked component at which `exists` fails for the path up to and including it
    /// (the component the lookup cannot get past), or the whole value when every prefix exists.
    func firstMissingComponent(_ exists: (String) -> Bool) -> SourceRange {
        let components = walked
        for (index, component) in components.enumerated() {
            let prefix = String(decoding: Array(path.utf8)[0..<component.bytes.upperBound], as: UTF8.self)
            if !exists(prefix) { return walkedComponent(index) }
        }
        return whole
    }
}
