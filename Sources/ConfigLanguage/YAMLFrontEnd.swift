import ConfigSource
import Diagnostics

/// The YAML front end (language.md §4, Grammar/config.schema.json): the same keys as a
/// top-level mapping, lists for repeatable keys, and the structured forms `memory`, `mounts`,
/// `io` and a namespace list. Scalars go through the same value parsers as KEY=VALUE, so both
/// forms agree on every value and every value diagnostic.
enum YAMLFrontEnd {
    /// Every name a YAML config may have at its top level.
    static let topLevelNames: [String] = YAMLTopLevelName.all.map(\.spelling)

    static func parse(_ file: SourceFile) -> ParsedConfig {
        var builder = ConfigBuilder(form: .yaml)
        guard FileChecks.checkSize(file, into: &builder.bag),
            FileChecks.checkEncoding(file, into: &builder.bag)
        else {
            builder.config.isIncomplete = true
            return ParsedConfig(file: file, config: builder.config, diagnostics: builder.bag.diagnostics)
        }
        switch YAMLReader.read(file, into: &builder.bag) {
        case .document(let root): builder.lowerDocument(root)
        case .empty: break
        case .unreadable: builder.config.isIncomplete = true
        }
        return ParsedConfig(file: file, config: builder.config, diagnostics: builder.bag.diagnostics)
    }
}

/// A name at the top level of a YAML config: every key of the KEY=VALUE form, and the
/// structured forms that exist only in YAML. Switches over it have no `default:`, so a new
/// structured form must be lowered, and every new `ConfigKey` is accepted as it is spelled.
enum YAMLTopLevelName: Equatable {
    case key(ConfigKey)
    /// `memory: { physical, total }` → `max_physical_memory`, `max_memory`.
    case memory
    /// `mounts: [...]` → `mount`, `mount_ro`.
    case mounts
    /// `io: [{ device, iops, bps }]` → `iops_limit`, `io_bw_limit`.
    case io
    /// `network: { bridge, address, gateway }` → `net_bridge`, `net_address`, `net_gateway`.
    case network

    static let all: [YAMLTopLevelName] = ConfigKey.allCases.map(YAMLTopLevelName.key) + [.memory, .mounts, .io, .network]

    init?(_ name: String) {
        guard let match = Self.all.first(where: { $0.spelling == name }) else { return nil }
        self = match
    }

    var spelling: String {
        switch self {
        case .key(let key): key.rawValue
        case .memory: "memory"
        case .mounts: "mounts"
        case .io: "io"
        case .network: "network"
        }
    }
}

/// One `name: value` of a mapping whose key is a string.
struct YAMLField {
    var name: String
    var key: YAMLScalar
    var value: YAMLNode
}

extension ConfigBuilder {
    mutating func lowerDocument(_ root: YAMLNode) {
        if case .scalar(let scalar) = root, scalar.isPlain, scalar.isNull || scalar.text.isEmpty {
            return  // `---` alone or `~`: a document with nothing in it, like an empty file
        }
        guard case .mapping(let entries, _) = root else {
            config.isIncomplete = true
            if case .unsupported = root { return }
            bag.emit(.yamlNotMapping(found: root.shape, at: root.range))
            return
        }
        let fields = yamlFields(entries, known: YAMLFrontEnd.topLevelNames) { name, range in
            .unknownKey(
                name, suggestion: KeySuggestion.closest(to: name, among: YAMLFrontEnd.topLevelNames),
                known: ConfigKey.spellings, at: range)
        }
        for field in fields {
            switch YAMLTopLevelName(field.name) {
            case .memory: lowerMemory(field)
            case .mounts: lowerMounts(field)
            case .io: lowerIO(field)
            case .network: lowerNetwork(field)
            case .key(let key): lowerKey(key, field)
            case nil: break  // `yamlFields` keeps only known names
            }
        }
    }

    /// A key of the KEY=VALUE form: a scalar, a list of scalars for repeatable keys, or a list
    /// of names for `namespaces`.
    private mutating func lowerKey(_ key: ConfigKey, _ field: YAMLField) {
        switch field.value {
        case .sequence(let items, let range) where key == .namespaces:
            lowerNamespaceList(items, listRange: range, key: field.key)
        case .sequence(let items, _) where key.isRepeatable:
            for item in items {
                guard let scalar = yamlScalar(item, field: field.name, expected: "a string") else { continue }
                set(key, spelled: field.name, keyRange: scalar.range, value: scalar.text)
            }
        default:
            let expected =
                key == .namespaces
                ? "a string of letters or a list of names"
                : key.isRepeatable ? "a string or a list of strings" : "a single value"
            guard let scalar = yamlScalar(field.value, field: field.name, expected: expected) else {
                setInvalid(key, spelled: field.name, keyRange: field.key.range, valueRange: field.value.range)
                return
            }
            set(key, spelled: field.name, keyRange: field.key.range, value: scalar.text)
        }
    }

    /// The entries of a mapping whose keys are strings, in source order. A key written twice
    /// is reported (`duplicate-key`) and its later value dropped; a name not in `known` is
    /// reported with `unknown` and dropped.
    mutating func yamlFields(
        _ entries: [YAMLEntry], known: [String],
        unknown: (String, SourceRange) -> Diagnostic
    ) -> [YAMLField] {
        var fields: [YAMLField] = []
        var seen: [String: SourceRange] = [:]
        for entry in entries {
            guard case .scalar(let key) = entry.key, !key.isNull else {
                if case .unsupported = entry.key { continue }
                bag.emit(.yamlWrongType("key", expected: "a string", found: entry.key.shape, at: entry.key.range))
                continue
            }
            let name = key.string
            if let first = seen[name] {
                bag.emit(.duplicateKey(name, at: key.range, firstAt: first))
                continue
            }
            seen[name] = key.range
            guard known.contains(name) else {
                bag.emit(unknown(name, key.range))
                continue
            }
            fields.append(YAMLField(name: name, key: key, value: entry.value))
        }
        return fields
    }

    /// `node` as a non-null scalar, or nil after `yaml-wrong-type`.
    mutating func yamlScalar(_ node: YAMLNode, field: String, expected: String) -> YAMLScalar? {
        if case .scalar(let scalar) = node, !scalar.isNull { return scalar }
        if case .unsupported = node { return nil }
        bag.emit(.yamlWrongType(field, expected: expected, found: node.shape, at: node.range))
        return nil
    }
}
