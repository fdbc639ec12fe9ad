import CLibYAML
import ConfigSource
import Diagnostics

/// A YAML node as the config front end needs it: values, their shape, and where they were written.
indirect enum YAMLNode {
    case scalar(YAMLScalar)
    case sequence([YAMLNode], range: SourceRange)
    case mapping([YAMLEntry], range: SourceRange)
    /// An alias or a node under an unsupported construct: reported already, otherwise ignored.
    case unsupported(range: SourceRange)

    var range: SourceRange {
        switch self {
        case .scalar(let scalar): scalar.range
        case .sequence(_, let range), .mapping(_, let range), .unsupported(let range): range
        }
    }

    /// The node's shape in words, for `yaml-wrong-type` ("found a list").
    var shape: String {
        switch self {
        case .scalar(let scalar) where scalar.isNull: "null"
        case .scalar(let scalar) where scalar.isPlain && scalar.text.isEmpty: "no value"
        case .scalar(let scalar): "'\(scalar.string)'"
        case .sequence: "a list"
        case .mapping: "a mapping"
        case .unsupported: "an unsupported value"
        }
    }
}

struct YAMLEntry {
    var key: YAMLNode
    var value: YAMLNode
}

/// A scalar's decoded text and its place in the file.
struct YAMLScalar {
    var text: ValueText
    var range: SourceRange
    var isPlain: Bool

    var string: String { text.string }

    /// A plain `~` or `null`: YAML's "no value" (an empty plain scalar stays an empty string).
    var isNull: Bool {
        isPlain && (text.equals("~") || text.equals("null") || text.equals("Null") || text.equals("NULL"))
    }
}

/// Reads a file into one `YAMLNode` with libyaml's event API, marks converted to byte offsets.
///
/// Anchors, aliases, tags and a second document are rejected (`yaml-unsupported`): a config is
/// plain data, and an alias would let one node stand in two places with one range. Nesting is
/// limited so that no input can exhaust the stack.
struct YAMLReader {
    static let maximumDepth = 32

    private let file: SourceFile
    private var bag: DiagnosticBag

    /// An open collection. `block` for the indented style, whose end libyaml marks at the next
    /// token (after line breaks and comments): its range ends with its last node instead.
    private enum Frame {
        case sequence(start: Int, items: [YAMLNode], block: Bool)
        case mapping(start: Int, entries: [YAMLEntry], pendingKey: YAMLNode?, block: Bool)
    }

    enum Outcome {
        case document(YAMLNode)
        /// No document at all (an empty file or only comments).
        case empty
        /// A syntax error or an unsupported depth, already reported.
        case unreadable
    }

    /// Reads the first document of `file`.
    static func read(_ file: SourceFile, into bag: inout DiagnosticBag) -> Outcome {
        var reader = YAMLReader(file: file, bag: bag)
        let outcome = file.bytes.withUnsafeBufferPointer { reader.run($0) }
        bag = reader.bag
        return outcome
    }

    private init(file: SourceFile, bag: DiagnosticBag) {
        self.file = file
        self.bag = bag
    }

    private func offset(_ mark: yaml_mark_t) -> Int {
        // libyaml skips a byte order mark without counting it; SourceFile counts it as a column.
        let skipped = mark.line == 0 && file.bytes.starts(with: KeyValueParser.byteOrderMark) ? 1 : 0
        let column = Int(clamping: mark.column)
        return file.offset(line: Int(clamping: mark.line), column: column == .max ? column : column + skipped)
    }

    private mutating func run(_ buffer: UnsafeBufferPointer<UInt8>) -> Outcome {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) != 0 else { return .unreadable }
        defer { yaml_parser_delete(&parser) }
        if let base = buffer.baseAddress {
            yaml_parser_set_input_string(&parser, base, buffer.count)
        } else {
            return .empty
        }

        var stack: [Frame] = []
        var root: YAMLNode? = nil
        var documents = 0
        while true {
            var event = yaml_event_t()
            guard yaml_parser_parse(&parser, &event) != 0 else {
                reportSyntaxError(parser)
                return .unreadable
            }
            defer { yaml_event_delete(&event) }
            let start = offset(event.start_mark), end = offset(event.end_mark)
            var completed: YAMLNode? = nil

            switch event.type {
            case YAML_STREAM_END_EVENT:
                return root.map(Outcome.document) ?? .empty
            case YAML_DOCUMENT_START_EVENT:
                documents += 1
                if documents > 1 {
                    bag.emit(
                        .yamlUnsupported(
                            "a second document is", fix: "keep one config per file",
                            at: SourceRange(start, end)))
                    return root.map(Outcome.document) ?? .empty
                }
            case YAML_ALIAS_EVENT:
                bag.emit(.yamlUnsupported("aliases (*name) are", fix: "write the value out in full", at: SourceRange(start, end)))
                completed = .unsupported(range: SourceRange(start, end))
            case YAML_SCALAR_EVENT:
                let data = event.data.scalar
                if !reportUnsupported(anchor: data.anchor, tag: data.tag, at: SourceRange(start, end)) {
                    completed = .unsupported(range: SourceRange(start, end))
                } else {
                    completed = .scalar(
                        scalar(
                            data.value, length: Int(clamping: data.length), style: data.style,
                            start: start, end: end))
                }
            case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                let isSequence = event.type == YAML_SEQUENCE_START_EVENT
                let anchor = isSequence ? event.data.sequence_start.anchor : event.data.mapping_start.anchor
                let tag = isSequence ? event.data.sequence_start.tag : event.data.mapping_start.tag
                let block =
                    isSequence
                    ? event.data.sequence_start.style == YAML_BLOCK_SEQUENCE_STYLE
                    : event.data.mapping_start.style == YAML_BLOCK_MAPPING_STYLE
                _ = reportUnsupported(anchor: anchor, tag: tag, at: SourceRange(start, end))
                guard stack.count < Self.maximumDepth else {
                    bag.emit(
                        .yamlUnsupported(
                            "lists and mappings nested deeper than \(Self.maximumDepth) levels are",
                            fix: "a config needs at most three levels",
                            at: SourceRange(start, end)))
                    return .unreadable
                }
                stack.append(
                    isSequence
                        ? .sequence(start: start, items: [], block: block)
                        : .mapping(start: start, entries: [], pendingKey: nil, block: block))
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                switch stack.popLast() {
                case .sequence(let open, let items, let block):
                    let last = block ? items.last?.range.upperBound : nil
                    completed = .sequence(items, range: SourceRange(open, max(open, last ?? end)))
                case .mapping(let open, let entries, _, let block):
                    let last = block ? entries.last?.value.range.upperBound : nil
                    completed = .mapping(entries, range: SourceRange(open, max(open, last ?? end)))
                case nil:
                    return .unreadable
                }
            default:
                break
            }

            if let node = completed {
                switch stack.popLast() {
                case .sequence(let open, var items, let block):
                    items.append(node)
                    stack.append(.sequence(start: open, items: items, block: block))
                case .mapping(let open, var entries, let pendingKey, let block):
                    if let key = pendingKey {
                        entries.append(YAMLEntry(key: key, value: node))
                        stack.append(.mapping(start: open, entries: entries, pendingKey: nil, block: block))
                    } else {
                        stack.append(.mapping(start: open, entries: entries, pendingKey: node, block: block))
                    }
                case nil:
                    root = node
                }
            }
        }
    }

    /// Reports an anchor or a tag, each at its own token; returns true when there was neither.
    /// `range` is the node's event, which starts at its properties.
    private mutating func reportUnsupported(
        anchor: UnsafeMutablePointer<yaml_char_t>?,
        tag: UnsafeMutablePointer<yaml_char_t>?,
        at range: SourceRange
    ) -> Bool {
        if anchor != nil {
            bag.emit(
                .yamlUnsupported(
                    "anchors (&name) are", fix: "remove the anchor",
                    at: property(UInt8(ascii: "&"), in: range)))
        }
        if tag != nil {
            bag.emit(.yamlUnsupported("tags (!tag) are", fix: "remove the tag", at: property(UInt8(ascii: "!"), in: range)))
        }
        return anchor == nil && tag == nil
    }

    /// The node property (`&anchor` or `!tag`) starting with `indicator` among the at most two
    /// at the start of `range`, or `range` when it cannot be found.
    private func property(_ indicator: UInt8, in range: SourceRange) -> SourceRange {
        let bytes = file.bytes
        let isSeparator = { (byte: UInt8) in
            byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n")
                || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: ",") || byte == UInt8(ascii: "[")
                || byte == UInt8(ascii: "]") || byte == UInt8(ascii: "{") || byte == UInt8(ascii: "}")
        }
        var index = max(0, range.lowerBound)
        let limit = min(range.upperBound, bytes.count)
        for _ in 0..<2 {
            while index < limit, isSeparator(bytes[index]) { index += 1 }
            guard index < limit, bytes[index] == UInt8(ascii: "&") || bytes[index] == UInt8(ascii: "!") else { break }
            let start = index
            while index < limit, !isSeparator(bytes[index]) { index += 1 }
            if bytes[start] == indicator { return SourceRange(start, index) }
        }
        return range
    }

    /// The scalar's decoded bytes, mapped back to the source when they are the source's bytes.
    private func scalar(
        _ value: UnsafeMutablePointer<yaml_char_t>?, length: Int, style: yaml_scalar_style_t,
        start: Int, end: Int
    ) -> YAMLScalar {
        var bytes: [UInt8] = []
        if let value, length > 0 {
            bytes = Array(UnsafeBufferPointer(start: value, count: length))
        }
        let isPlain = style == YAML_PLAIN_SCALAR_STYLE
        let isQuoted = style == YAML_SINGLE_QUOTED_SCALAR_STYLE || style == YAML_DOUBLE_QUOTED_SCALAR_STYLE
        var origin: Int? = nil
        let candidate = isPlain ? start : (isQuoted ? start + 1 : -1)
        if candidate >= 0, candidate + bytes.count <= file.bytes.count,
            file.bytes[candidate..<(candidate + bytes.count)].elementsEqual(bytes)
        {
            origin = candidate
        }
        let range = SourceRange(start, end)
        return YAMLScalar(text: ValueText(decoded: bytes, origin: origin, whole: range), range: range, isPlain: isPlain)
    }

    private mutating func reportSyntaxError(_ parser: yaml_parser_t) {
        let problem = parser.problem.map { String(cString: $0) } ?? "invalid YAML"
        let context = parser.context.map { String(cString: $0) }
        let at: Int
        if parser.error == YAML_READER_ERROR {
            at = min(max(0, Int(clamping: parser.problem_offset)), file.bytes.count)
        } else {
            at = offset(parser.problem_mark)
        }
        var end = at
        var hint = context
        if end < file.bytes.count, file.bytes[end] != UInt8(ascii: "\n") {
            if file.bytes[end] == UInt8(ascii: "@") {  // `init: @/bin/sh`: '@' is reserved in YAML
                hint = "(a value starting with '@' must be quoted: \"@/path\")"
            }
            end += SourceFile.scalarWidth(at: end, in: file.bytes)
        }
        bag.emit(.yamlSyntax(problem, context: hint, at: SourceRange(at, end)))
    }
}
