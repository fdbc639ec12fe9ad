import ConfigLanguage

/// A config that passed the checker with no error: every required value present and valid.
/// Only this type reaches the plan generator, so a config that does not check cannot start.
public struct CheckedConfig: Sendable, Equatable {
    /// The container's name (the config's file name without `.yaml`/`.yml`).
    public var name: String
    /// The normalised absolute path of the root filesystem.
    public var root: String
    public var initProgram: InitProgram
    public var namespaces: NamespaceSet
    public var maxPhysicalMemory: MemoryLimit?
    /// Physical + swap.
    public var maxMemory: MemoryLimit?
    public var maxProcesses: ProcessLimit?
    public var cpuShare: Int?
    public var netClassID: UInt32?
    /// Mounts in source order, destinations normalised.
    public var mounts: [Mount]
    /// I/O limits in source order.
    public var ioLimits: [DeviceLimit]
    /// First host uid/gid that container id 0 maps to (65536 ids are mapped).
    public var idMapStart: UInt32
    /// The signal `container stop` sends to init (`stop_signal`, default SIGTERM = 15).
    public var stopSignal: Int32

    /// The default of `stop_signal`: SIGTERM.
    public static let defaultStopSignal: Int32 = 15
    /// The host bridge the container's veth joins (`net_bridge`); nil: no veth (only `lo`
    /// with `n`).
    public var netBridge: String?
    /// The container's address on `eth0` (`net_address`).
    public var netAddress: InterfaceAddress?
    /// The default route's gateway (`net_gateway`).
    public var netGateway: IPAddress?
    /// How the root and the mount sources meet the id map (used only with `u`); `idmap` when
    /// `id_map_mode` is not written.
    public var idMapMode: IDMapMode

    /// The default first host id of the id map when `id_map_start` is not written.
    public static let defaultIDMapStart: UInt32 = 100_000

    public struct Mount: Sendable, Equatable {
        public var source: String
        public var destination: String
        public var readOnly: Bool
        /// False when the mount opted out of the id map (`:noidmap`, YAML `idmap: false`).
        public var idmap: Bool
        public init(source: String, destination: String, readOnly: Bool, idmap: Bool = true) {
            self.source = source
            self.destination = destination
            self.readOnly = readOnly
            self.idmap = idmap
        }
    }

    public struct DeviceLimit: Sendable, Equatable {
        public var device: DeviceNumber
        public var kind: IOLimit.Kind
        public var value: UInt64
        public init(device: DeviceNumber, kind: IOLimit.Kind, value: UInt64) {
            self.device = device
            self.kind = kind
            self.value = value
        }
    }

    /// Every field is an argument without a default: a field added for a new key is a compile
    /// error at each place that builds the model until it is given, never a silently dropped key.
    public init(
        name: String, root: String, initProgram: InitProgram, namespaces: NamespaceSet,
        maxPhysicalMemory: MemoryLimit?, maxMemory: MemoryLimit?,
        maxProcesses: ProcessLimit?, cpuShare: Int?, netClassID: UInt32?,
        mounts: [Mount], ioLimits: [DeviceLimit],
        idMapStart: UInt32, idMapMode: IDMapMode, stopSignal: Int32,
        netBridge: String?, netAddress: InterfaceAddress?, netGateway: IPAddress?
    ) {
        self.name = name
        self.root = root
        self.initProgram = initProgram
        self.namespaces = namespaces
        self.maxPhysicalMemory = maxPhysicalMemory
        self.maxMemory = maxMemory
        self.maxProcesses = maxProcesses
        self.cpuShare = cpuShare
        self.netClassID = netClassID
        self.mounts = mounts
        self.ioLimits = ioLimits
        self.idMapStart = idMapStart
        self.stopSignal = stopSignal
        self.netBridge = netBridge
        self.netAddress = netAddress
        self.netGateway = netGateway
        self.idMapMode = idMapMode
    }

    /// True when the root and the mounts that do not opt out are mounted idmapped: `u` with
    /// `id_map_mode=idmap`.
    public var usesIDMappedMounts: Bool { namespaces.contains(.user) && idMapMode == .idmap }
}
