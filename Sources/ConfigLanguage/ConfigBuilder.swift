import ConfigSource
import Diagnostics

/// Builds the AST from key occurrences, for both front ends: parses each value with the shared
/// value parsers, stores it under its key, and reports a single-valued key set twice.
struct ConfigBuilder {
    var config: ContainerConfig
    var bag = DiagnosticBag()
    /// Where each single-valued key was first set, for the note of `duplicate-key`. A list, not
    /// a Dictionary: the first Dictionary of a key type a process creates checks the key's
    /// Hashable conformance at run time through the conformance tables (callgrind: 236,000
    /// instructions of every `start`), and a config sets a few dozen keys at most.
    private var firstSet: [KeyOccurrence] = []

    init(form: ConfigForm) { config = ContainerConfig(form: form) }

    /// Records that a single-valued `key` is set at `keyRange`. Returns false (after reporting
    /// `duplicate-key` with a note at the first one) when it was set before. Repeatable keys
    /// always return true.
    mutating func claim(_ key: ConfigKey, spelled name: String, at keyRange: SourceRange) -> Bool {
        guard !key.isRepeatable else { return true }
        if let first = firstSet.first(where: { $0.key == key }) {
            bag.emit(.duplicateKey(name, at: keyRange, firstAt: first.range, firstName: first.spelled))
            return false
        }
        firstSet.append(KeyOccurrence(key: key, range: keyRange, spelled: name))
        return true
    }

    /// Parses the textual value of `key` (a KEY=VALUE value or a YAML scalar) and stores it.
    /// A repeated single-valued key is reported, its value still checked but not stored.
    mutating func set(_ key: ConfigKey, spelled name: String, keyRange: SourceRange, value text: ValueText) {
        let place = Place(keyRange: keyRange, valueRange: text.sourceRange, isFirst: claim(key, spelled: name, at: keyRange))
        switch key {
        case .root:
            store(\.root, ValueParsers.absolutePath(text, name: name, into: &bag), at: place)
        case .initProgram:
            store(\.initProgram, ValueParsers.initProgram(text, name: name, into: &bag), at: place)
        case .namespaces:
            store(\.namespaces, ValueParsers.namespaces(text, into: &bag), at: place)
        case .maxPhysicalMemory:
            store(\.maxPhysicalMemory, ValueParsers.size(text, name: name, allowUnlimited: true, into: &bag), at: place)
        case .maxMemory:
            store(\.maxMemory, ValueParsers.size(text, name: name, allowUnlimited: true, into: &bag), at: place)
        case .maxProcesses:
            store(\.maxProcesses, ValueParsers.processLimit(text, name: name, into: &bag), at: place)
        case .cpuShare:
            let share = ValueParsers.integer(
                text, name: name, bounds: 2...262_144, allowHex: false,
                expected: "an integer (2…262144, 1024 is the default weight)", into: &bag)
            store(\.cpuShare, share.map { Int($0) }, at: place)
        case .netClassID:
            let classID = ValueParsers.integer(
                text, name: name, bounds: 0...0xFFFF_FFFF, allowHex: true,
                expected: "a class id (0xAAAABBBB or decimal)", into: &bag)
            store(\.netClassID, classID.map { UInt32($0) }, at: place)
        case .idMapStart:
            let start = ValueParsers.integer(
                text, name: name, bounds: 0...4_294_901_760, allowHex: false,
                expected: "an integer (0…4294901760)", into: &bag)
            store(\.idMapStart, start.map { UInt32($0) }, at: place)
        case .stopSignal:
            store(\.stopSignal, ValueParsers.signal(text, name: name, into: &bag), at: place)
        case .netBridge:
            store(\.netBridge, ValueParsers.interfaceName(text, name: name, into: &bag), at: place)
        case .netAddress:
            store(\.netAddress, ValueParsers.interfaceAddress(text, name: name, into: &bag), at: place)
        case .netGateway:
            store(\.netGateway, ValueParsers.gatewayAddress(text, name: name, into: &bag), at: place)
        case .idMapMode:
            store(\.idMapMode, ValueParsers.idMapMode(text, name: name, into: &bag), at: place)
        case .mount, .mountReadOnly:
            let mount = ValueParsers.mount(text, name: name, readOnly: key == .mountReadOnly, into: &bag)
            config.mounts.append(Setting(keyRange: keyRange, valueRange: text.sourceRange, value: mount))
        case .iopsLimit, .ioBandwidthLimit:
            let kind: IOLimit.Kind = key == .iopsLimit ? .iops : .bytesPerSecond
            let limit = ValueParsers.deviceLimit(text, name: name, kind: kind, into: &bag)
            config.ioLimits.append(Setting(keyRange: keyRange, valueRange: text.sourceRange, value: limit))
        }
    }

    /// Records `key` as present with an invalid value (already reported), so that later
    /// stages do not also call it missing.
    mutating func setInvalid(_ key: ConfigKey, spelled name: String, keyRange: SourceRange, valueRange: SourceRange) {
        let place = Place(keyRange: keyRange, valueRange: valueRange, isFirst: claim(key, spelled: name, at: keyRange))
        switch key {
        case .root: store(\.root, nil, at: place)
        case .initProgram: store(\.initProgram, nil, at: place)
        case .namespaces: store(\.namespaces, nil, at: place)
        case .maxPhysicalMemory: store(\.maxPhysicalMemory, nil, at: place)
        case .maxMemory: store(\.maxMemory, nil, at: place)
        case .maxProcesses: store(\.maxProcesses, nil, at: place)
        case .cpuShare: store(\.cpuShare, nil, at: place)
        case .netClassID: store(\.netClassID, nil, at: place)
        case .idMapStart: store(\.idMapStart, nil, at: place)
        case .stopSignal: store(\.stopSignal, nil, at: place)
        case .netBridge: store(\.netBridge, nil, at: place)
        case .netAddress: store(\.netAddress, nil, at: place)
        case .netGateway: store(\.netGateway, nil, at: place)
        case .idMapMode: store(\.idMapMode, nil, at: place)
        case .mount, .mountReadOnly:
            config.mounts.append(Setting(keyRange: keyRange, valueRange: valueRange, value: nil))
        case .iopsLimit, .ioBandwidthLimit:
            config.ioLimits.append(Setting(keyRange: keyRange, valueRange: valueRange, value: nil))
        }
    }

    /// Where a single-valued setting was written, and whether it is the first occurrence.
    private struct Place {
        var keyRange: SourceRange
        var valueRange: SourceRange
        var isFirst: Bool
    }

    /// Stores a single-valued setting unless the key was set before (the first one wins).
    private mutating func store<Value>(
        _ field: WritableKeyPath<ContainerConfig, Setting<Value>?>, _ value: Value?,
        at place: Place
    ) {
        guard place.isFirst else { return }
        config[keyPath: field] = Setting(keyRange: place.keyRange, valueRange: place.valueRange, value: value)
    }
}

/// Where a single-valued key was first set and how it was spelled (see `ConfigBuilder.claim`).
struct KeyOccurrence {
    var key: ConfigKey
    var range: SourceRange
    var spelled: String
}
