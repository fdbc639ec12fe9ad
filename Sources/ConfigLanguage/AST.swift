import ConfigSource
import Diagnostics

/// Which of the two surface syntaxes a config was written in. Both lower to one `ContainerConfig`.
public enum ConfigForm: String, Sendable {
    case keyValue = "key-value"
    case yaml
}

/// Every key of the language (language.md §3). The raw value is the KEY=VALUE spelling.
public enum ConfigKey: String, Sendable, CaseIterable {
    case root
    case initProgram = "init"
    case namespaces
    case maxPhysicalMemory = "max_physical_memory"
    case maxMemory = "max_memory"
    case maxProcesses = "max_processes"
    case cpuShare = "cpu_share"
    case netClassID = "net_classid"
    case mount
    case mountReadOnly = "mount_ro"
    case iopsLimit = "iops_limit"
    case ioBandwidthLimit = "io_bw_limit"
    case idMapStart = "id_map_start"
    case stopSignal = "stop_signal"
    // Networking (language.md §9): each requires the `n` namespace.
    case netBridge = "net_bridge"
    case netAddress = "net_address"
    case netGateway = "net_gateway"
    case idMapMode = "id_map_mode"

    // The switches below have no `default:`, so a new key must say what it is in each.

    /// Keys that may be written more than once, each occurrence adding an item.
    public var isRepeatable: Bool {
        switch self {
        case .mount, .mountReadOnly, .iopsLimit, .ioBandwidthLimit: true
        case .root, .initProgram, .namespaces, .maxPhysicalMemory, .maxMemory, .maxProcesses, .cpuShare,
            .netClassID, .idMapStart, .netBridge, .netAddress, .netGateway, .stopSignal, .idMapMode:
            false
        }
    }

    /// True for the keys without which a container cannot start.
    public var isRequired: Bool {
        switch self {
        case .root, .initProgram, .namespaces: true
        case .maxPhysicalMemory, .maxMemory, .maxProcesses, .cpuShare, .netClassID, .mount, .mountReadOnly,
            .iopsLimit, .ioBandwidthLimit, .idMapStart, .netBridge, .netAddress, .netGateway, .stopSignal, .idMapMode:
            false
        }
    }

    /// Keys without which a container cannot start, in declaration order. Computed (it is read
    /// once per check): a lazy global would dirty a page of its own for every start.
    public static var required: [ConfigKey] { allCases.filter(\.isRequired) }

    /// Every key's KEY=VALUE spelling, in declaration order: the one list of the language's
    /// keys that messages (`unknown-key`) and suggestions are made from.
    public static let spellings: [String] = allCases.map(\.rawValue)
}

/// One occurrence of a key in the source: where the key and its value were written, and the
/// value if it parsed. `value == nil` means the key was present but its value was invalid (a
/// diagnostic was already emitted), so later stages must not report it as missing.
public struct Setting<Value> {
    public var keyRange: SourceRange
    public var valueRange: SourceRange
    public var value: Value?

    public init(keyRange: SourceRange, valueRange: SourceRange, value: Value?) {
        self.keyRange = keyRange
        self.valueRange = valueRange
        self.value = value
    }
}

extension Setting: Sendable where Value: Sendable {}
extension Setting: Equatable where Value: Equatable {}

/// The program that becomes the container's init.
public struct InitProgram: Sendable, Equatable {
    /// Where `path` is resolved: inside the container's root (the default) or on the host (`@`).
    public enum Location: String, Sendable { case insideRoot = "inside-root", host }
    public var path: String
    public var location: Location
    public init(path: String, location: Location) {
        self.path = path
        self.location = location
    }
}

/// A Linux namespace the container unshares. The raw value is the config letter.
/// `net` is last: it is not part of `all` (language.md §9), and the bits of the others stay.
public enum Namespace: Character, Sendable, CaseIterable {
    case user = "u", pid = "p", uts = "h", time = "t", ipc = "i", cgroup = "c", net = "n"

    /// The long name accepted in the YAML list form (`[user, pid, uts]`).
    public var longName: String {
        switch self {
        case .user: "user"
        case .pid: "pid"
        case .uts: "uts"
        case .time: "time"
        case .ipc: "ipc"
        case .cgroup: "cgroup"
        case .net: "net"
        }
    }
}

/// A set of namespaces. `all` is `uphtic` (without `n`: a config written for the seed keeps
/// the host's network); the mount namespace is always unshared.
public struct NamespaceSet: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public init(_ namespace: Namespace) {
        self.rawValue = 1 << UInt8(Namespace.allCases.firstIndex(of: namespace)!)
    }
    public static let all = NamespaceSet(
        Namespace.allCases.filter { $0 != .net }.map(NamespaceSet.init))
    public func contains(_ namespace: Namespace) -> Bool { contains(NamespaceSet(namespace)) }
    /// The set in canonical letter order, e.g. `uphtic`.
    public var letters: String { String(Namespace.allCases.filter(contains).map(\.rawValue)) }
}

/// A memory limit in bytes, or no limit (`max` / `-1`).
public enum MemoryLimit: Sendable, Hashable {
    case bytes(Int64)
    case unlimited
}

/// A limit on the number of processes, or none (`max`).
public enum ProcessLimit: Sendable, Hashable {
    case count(Int64)
    case unlimited
}

/// A bind mount from the host into the container (`mount`, `mount_ro`, YAML `mounts`).
public struct MountSpec: Sendable, Equatable {
    public var source: Located<String>
    /// The destination as written; the checker normalises it (`CheckedConfig.Mount.destination`).
    public var destination: Located<String>
    public var readOnly: Bool
    /// False when the mount opts out of the id map (`SOURCE:DEST:noidmap`, YAML `idmap: false`):
    /// with `u` and `id_map_mode=idmap` the source is then bound plainly.
    public var idmap: Bool
    public init(source: Located<String>, destination: Located<String>, readOnly: Bool, idmap: Bool = true) {
        self.source = source
        self.destination = destination
        self.readOnly = readOnly
        self.idmap = idmap
    }
}

/// How the root (and the mount sources) meet the user namespace's id map (`id_map_mode`,
/// language.md §12).
public enum IDMapMode: String, Sendable, Equatable, CaseIterable {
    /// Mounted through an idmapped mount: on-disk ids 0…65535 are the container's 0…65535.
    case idmap
    /// Plain binds: the files must already be owned by the `id_map_start` range.
    case none
}

/// A block device's `MAJOR:MINOR` number.
public struct DeviceNumber: Sendable, Hashable, CustomStringConvertible {
    public var major: UInt32
    public var minor: UInt32
    public init(major: UInt32, minor: UInt32) {
        self.major = major
        self.minor = minor
    }
    public var description: String { "\(major):\(minor)" }
}

/// A throttle on one block device (`iops_limit`, `io_bw_limit`, YAML `io`).
/// The seed's keys limit reads and writes alike; so does every limit here.
public struct IOLimit: Sendable, Equatable {
    public enum Kind: String, Sendable { case iops, bytesPerSecond = "bps" }
    public var device: Located<DeviceNumber>
    public var kind: Kind
    public var value: Located<UInt64>
    public init(device: Located<DeviceNumber>, kind: Kind, value: Located<UInt64>) {
        self.device = device
        self.kind = kind
        self.value = value
    }
}

/// The typed AST of one config file, whichever form it was written in.
///
/// Single-valued keys are optional (absent when not written); repeatable keys are lists in
/// source order. Semantic rules across keys and on the filesystem are the checker's job.
public struct ContainerConfig: Sendable {
    public var form: ConfigForm
    public var root: Setting<String>?
    public var initProgram: Setting<InitProgram>?
    public var namespaces: Setting<NamespaceSet>?
    public var maxPhysicalMemory: Setting<MemoryLimit>?
    public var maxMemory: Setting<MemoryLimit>?
    public var maxProcesses: Setting<ProcessLimit>?
    public var cpuShare: Setting<Int>?
    public var netClassID: Setting<UInt32>?
    public var mounts: [Setting<MountSpec>] = []
    public var ioLimits: [Setting<IOLimit>] = []
    public var idMapStart: Setting<UInt32>?
    /// `stop_signal`: the signal number (1…64) `container stop` sends to init.
    public var stopSignal: Setting<Int32>?
    public var netBridge: Setting<String>?
    public var netAddress: Setting<InterfaceAddress>?
    public var netGateway: Setting<IPAddress>?
    public var idMapMode: Setting<IDMapMode>?
    /// True when the front end could not read the whole file (`file-too-large`, `yaml-syntax`,
    /// `yaml-not-mapping`, nesting too deep): the settings are only what it did read, so later
    /// stages must not report a key as missing.
    public var isIncomplete: Bool = false

    public init(form: ConfigForm) { self.form = form }

    /// True when `key` was written, with a valid value or not. The occurrences of `mount` and
    /// `mount_ro` share one list (so do `iops_limit` and `io_bw_limit`): either is written when
    /// its list is not empty.
    /// (`isPresent`, not `!= nil`: the optimiser merges the `!= nil` of every `Setting<T>?`
    /// into one function that asks the runtime for `Setting<T>`'s metadata, a page of private
    /// memory in every start; docs/performance.md.)
    public func isWritten(_ key: ConfigKey) -> Bool {
        switch key {
        case .root: root.isPresent
        case .initProgram: initProgram.isPresent
        case .namespaces: namespaces.isPresent
        case .maxPhysicalMemory: maxPhysicalMemory.isPresent
        case .maxMemory: maxMemory.isPresent
        case .maxProcesses: maxProcesses.isPresent
        case .cpuShare: cpuShare.isPresent
        case .netClassID: netClassID.isPresent
        case .mount, .mountReadOnly: !mounts.isEmpty
        case .iopsLimit, .ioBandwidthLimit: !ioLimits.isEmpty
        case .idMapStart: idMapStart.isPresent
        case .stopSignal: stopSignal.isPresent
        case .netBridge: netBridge.isPresent
        case .netAddress: netAddress.isPresent
        case .netGateway: netGateway.isPresent
        case .idMapMode: idMapMode.isPresent
        }
    }
}

/// What a front end hands to the checker: the file, its AST, and the syntax diagnostics.
public struct ParsedConfig: Sendable {
    public var file: SourceFile
    public var config: ContainerConfig
    public var diagnostics: [Diagnostic]
    public init(file: SourceFile, config: ContainerConfig, diagnostics: [Diagnostic]) {
        self.file = file
        self.config = config
        self.diagnostics = diagnostics
    }
}

extension Optional {
    /// Whether a value is there, read without copying it (see `ContainerConfig.isWritten`).
    @inline(__always)
    var isPresent: Bool {
        if case .some = self { true } else { false }
    }
}
