import ConfigSource
import Diagnostics

/// The YAML-only structured forms: `memory`, `mounts`, `io`, and `namespaces` as a list.
extension ConfigBuilder {
    /// `memory: { physical: SIZE, total: SIZE }` → `max_physical_memory`, `max_memory`.
    mutating func lowerMemory(_ field: YAMLField) {
        lowerKeyMapping(
            field, fields: MemoryField.self, shape: "a mapping with 'physical' and/or 'total'",
            value: "a size")
    }

    /// The fields of `memory:`, each the YAML spelling of one key.
    enum MemoryField: String, CaseIterable, KeyMappingField {
        case physical, total
        var key: ConfigKey {
            switch self {
            case .physical: .maxPhysicalMemory
            case .total: .maxMemory
            }
        }
    }

    /// `network: { bridge, address, gateway }` → `net_bridge`, `net_address`, `net_gateway`.
    mutating func lowerNetwork(_ field: YAMLField) {
        lowerKeyMapping(
            field, fields: NetworkField.self,
            shape: "a mapping with 'bridge', 'address' and/or 'gateway'", value: "a single value")
    }

    /// The fields of `network:`, each the YAML spelling of one key.
    enum NetworkField: String, CaseIterable, KeyMappingField {
        case bridge, address, gateway
        var key: ConfigKey {
            switch self {
            case .bridge: .netBridge
            case .address: .netAddress
            case .gateway: .netGateway
            }
        }
    }

    /// A mapping whose fields are each one key of the KEY=VALUE form (`memory`, `network`):
    /// every field's scalar is that key's value, spelled `FIELD.NAME` in messages.
    private mutating func lowerKeyMapping<Field: KeyMappingField>(
        _ field: YAMLField, fields: Field.Type, shape: String, value: String
    ) {
        guard case .mapping(let entries, _) = field.value else {
            _ = yamlWrongShape(field, expected: shape)
            return
        }
        for member in structFields(entries, of: field.name, known: Field.allCases.map(\.rawValue)) {
            guard let key = Field(rawValue: member.name)?.key else { continue }
            let spelled = "\(field.name).\(member.name)"
            if let scalar = yamlScalar(member.value, field: spelled, expected: value) {
                set(key, spelled: spelled, keyRange: member.key.range, value: scalar.text)
            } else {
                setInvalid(key, spelled: spelled, keyRange: member.key.range, valueRange: member.value.range)
            }
        }
    }

    /// `mounts:` a list of `SOURCE:DEST` strings or `{ source, target, read_only }` mappings.
    /// `mounts:` a list of `SOURCE:DEST` strings or `{ source, target, read_only, idmap }` mappings.
    mutating func lowerMounts(_ field: YAMLField) {
        guard case .sequence(let items, _) = field.value else {
            _ = yamlWrongShape(field, expected: "a list of mounts")
            return
        }
        for item in items {
            switch item {
            case .scalar(let scalar) where !scalar.isNull:
                set(.mount, spelled: "mounts", keyRange: scalar.range, value: scalar.text)
            case .mapping(let entries, let range):
                config.mounts.append(Setting(keyRange: range, valueRange: range, value: lowerMount(entries, range: range)))
            default:
                _ = yamlScalar(item, field: "mounts item", expected: "'SOURCE:DEST' or { source, target, read_only, idmap }")
            }
        }
    }

    private mutating func lowerMount(_ entries: [YAMLEntry], range: SourceRange) -> MountSpec? {
        let members = structFields(entries, of: "mount", known: ["source", "target", "read_only", "idmap"])
        var paths: [String: Located<String>] = [:]
        var valid = true
        var flags = ["read_only": false, "idmap": true]
        for member in members {
            let isFlag = flags[member.name] != nil
            guard
                let scalar = yamlScalar(
                    member.value, field: member.name,
                    expected: isFlag ? "true or false" : "an absolute path")
            else {
                valid = false
                continue
            }
            if isFlag {
                guard scalar.isPlain, scalar.text.equals("true") || scalar.text.equals("false") else {
                    bag.emit(.yamlWrongType(member.name, expected: "true or false", found: "'\(scalar.string)'", at: scalar.range))
                    valid = false
                    continue
                }
                flags[member.name] = scalar.text.equals("true")
            } else if let path = ValueParsers.absolutePath(scalar.text, name: "mount \(member.name)", into: &bag) {
                paths[member.name] = Located(path, at: scalar.text.sourceRange)
            } else {
                valid = false
            }
        }
        for required in ["source", "target"] where !members.contains(where: { $0.name == required }) {
            bag.emit(.yamlMissingField(required, in: "the mount", at: range))
            valid = false
        }
        guard valid, let source = paths["source"], let target = paths["target"] else { return nil }
        return MountSpec(
            source: source, destination: target, readOnly: flags["read_only"] ?? false,
            idmap: flags["idmap"] ?? true)
    }

    /// `io:` a list of `{ device: "MAJOR:MINOR", iops: N, bps: SIZE }`; each limit given
    /// becomes one `IOLimit`, like one `iops_limit` / `io_bw_limit` line.
    mutating func lowerIO(_ field: YAMLField) {
        guard case .sequence(let items, _) = field.value else {
            _ = yamlWrongShape(field, expected: "a list of { device, iops, bps }")
            return
        }
        for item in items {
            guard case .mapping(let entries, let range) = item else {
                if case .unsupported = item { continue }
                bag.emit(.yamlWrongType("io item", expected: "a mapping { device, iops, bps }", found: item.shape, at: item.range))
                continue
            }
            let members = structFields(entries, of: "io entry", known: ["device", "iops", "bps"])
            var device: Located<DeviceNumber>? = nil
            if let member = members.first(where: { $0.name == "device" }) {
                if let scalar = yamlScalar(member.value, field: "device", expected: "a string \"MAJOR:MINOR\"") {
                    device = ValueParsers.deviceNumber(scalar.text, name: "device", into: &bag)
                }
            } else {
                bag.emit(.yamlMissingField("device", in: "the io entry", at: range))
            }
            let limits = members.filter { $0.name != "device" }
            if limits.isEmpty {
                bag.emit(.yamlMissingField("iops", in: "the io entry", hint: "add 'iops: N', 'bps: SIZE' or both", at: range))
            }
            for member in limits {
                let kind: IOLimit.Kind = member.name == "iops" ? .iops : .bytesPerSecond
                var value: UInt64? = nil
                if let scalar = yamlScalar(member.value, field: member.name, expected: "a number") {
                    value =
                        kind == .iops
                        ? ValueParsers.integer(
                            scalar.text, name: "iops", bounds: 1...ValueParsers.maximumSize, allowHex: false,
                            expected: "a positive number of I/O operations per second", into: &bag)
                        : ValueParsers.bandwidth(scalar.text, name: "bps", into: &bag)
                }
                var limit: IOLimit? = nil
                if let device, let value {
                    limit = IOLimit(device: device, kind: kind, value: Located(value, at: member.value.range))
                }
                config.ioLimits.append(Setting(keyRange: member.key.range, valueRange: member.value.range, value: limit))
            }
        }
    }

    /// `namespaces: [user, pid, …]`: long names or letters; `[all]` and `[none]` alone.
    mutating func lowerNamespaceList(_ items: [YAMLNode], listRange: SourceRange, key: YAMLScalar) {
        guard claim(.namespaces, spelled: "namespaces", at: key.range) else { return }
        var set: NamespaceSet = []
        var valid = !items.isEmpty
        var firstSeen = NamespaceOccurrences()
        if items.isEmpty { bag.emit(.emptyNamespaces(at: listRange)) }
        for item in items {
            guard let scalar = yamlScalar(item, field: "namespaces item", expected: "a namespace name") else {
                valid = false
                continue
            }
            let name = scalar.string
            if name == "all" || name == "none" {
                if items.count > 1 {
                    bag.emit(.namespaceMixedWithAll(name, at: scalar.range))
                    valid = false
                } else {
                    set = name == "all" ? .all : []
                }
            } else if let namespace = ValueParsers.namespace(named: name) {
                if let first = firstSeen.first(namespace) {
                    bag.emit(.duplicateNamespace(name, at: scalar.range, firstAt: first))
                } else {
                    firstSeen.record(namespace, at: scalar.range)
                    set.insert(NamespaceSet(namespace))
                }
            } else {
                bag.emit(.unknownNamespace(name, at: scalar.range))
                valid = false
            }
        }
        config.namespaces = Setting(keyRange: key.range, valueRange: listRange, value: valid ? set : nil)
    }

    /// The fields of a structured value; unknown ones get `yaml-unknown-field` with a suggestion.
    private mutating func structFields(_ entries: [YAMLEntry], of context: String, known: [String]) -> [YAMLField] {
        yamlFields(entries, known: known) { name, range in
            .yamlUnknownField(
                name, in: context, known: known,
                suggestion: KeySuggestion.closest(to: name, among: known), at: range)
        }
    }

    /// Reports a structured key whose value has the wrong shape.
    private mutating func yamlWrongShape(_ field: YAMLField, expected: String) -> Bool {
        if case .unsupported = field.value { return false }
        bag.emit(.yamlWrongType(field.name, expected: expected, found: field.value.shape, at: field.value.range))
        return false
    }
}

/// The fields of a YAML mapping that spells keys (`memory`, `network`).
protocol KeyMappingField: RawRepresentable, CaseIterable where RawValue == String {
    var key: ConfigKey { get }
}
