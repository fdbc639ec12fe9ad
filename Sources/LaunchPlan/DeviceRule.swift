/// One entry of the container's device allow-list: a node type, its numbers and the accesses
/// allowed on it. The same list is written to v1's `devices.allow` and compiled into the v2
/// eBPF device filter (`attachDeviceFilter`); every device not listed is denied.
public struct DeviceRule: Sendable, Equatable {
    /// The kind of device node, as `devices.allow` and `ls -l` spell it.
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        case character = "c"
        case block = "b"
    }

    /// What may be done with the device: `r` open for reading, `w` open for writing,
    /// `m` mknod.
    public struct Access: OptionSet, Sendable, Equatable, Hashable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        public static let read = Access(rawValue: 1)
        public static let write = Access(rawValue: 2)
        public static let mknod = Access(rawValue: 4)
        public static let all: Access = [.read, .write, .mknod]

        /// The letters in the fixed order `rwm` (`rm` for read and mknod).
        public var letters: String {
            (contains(.read) ? "r" : "") + (contains(.write) ? "w" : "") + (contains(.mknod) ? "m" : "")
        }

        /// Parses letters from `rwm`, each at most once, at least one; nil otherwise.
        public init?(letters: String) {
            var access = Access()
            for letter in letters {
                let bit: Access
                switch letter {
                case "r": bit = .read
                case "w": bit = .write
                case "m": bit = .mknod
                default: return nil
                }
                guard !access.contains(bit) else { return nil }
                access.insert(bit)
            }
            guard !access.isEmpty else { return nil }
            self = access
        }
    }

    public var kind: Kind
    public var major: UInt32
    /// nil: every minor number (`c 136:*`, the pty slaves of a devpts instance).
    public var minor: UInt32?
    public var access: Access

    public init(kind: Kind, major: UInt32, minor: UInt32?, access: Access) {
        self.kind = kind
        self.major = major
        self.minor = minor
        self.access = access
    }

    /// `c 1:3 rwm`: the rule as `devices.allow` takes it.
    public var text: String { "\(kind.rawValue) \(major):\(minor.map(String.init) ?? "*") \(access.letters)" }

    /// Whether this rule allows `access` (every requested bit) on the device `kind major:minor`.
    /// The reference semantics the eBPF program is tested against.
    public func allows(_ kind: Kind, major: UInt32, minor: UInt32, access requested: Access) -> Bool {
        kind == self.kind && major == self.major && (self.minor == nil || minor == self.minor)
            && access.isSuperset(of: requested)
    }
}

extension ContainerDefaults {
    /// The device allow-list: every node of the fresh /dev (`deviceNodes`, all character
    /// devices), read, write and mknod, and the container's pseudo-terminals (`ptyRules`);
    /// nothing else.
    public static var deviceRules: [DeviceRule] {
        deviceNodes.map { DeviceRule(kind: .character, major: $0.major, minor: $0.minor, access: .all) } + ptyRules
    }

    /// The container's own devpts instance: its `ptmx` (c 5:2, the target of the /dev/ptmx
    /// symlink) and its slaves (c 136:*, /dev/pts/N and the /dev/console bind), as runc and
    /// crun allow them. Without them `tty`, job control and a pty opened inside fail.
    public static let ptyRules: [DeviceRule] = [
        DeviceRule(kind: .character, major: 5, minor: 2, access: .all),
        DeviceRule(kind: .character, major: 136, minor: nil, access: .all),
    ]

    /// Set to `1` in the environment of `container plan`/`start` to plan a cgroup v2 start
    /// without the eBPF device filter (a kernel without CONFIG_CGROUP_BPF): the plan omits
    /// `attachDeviceFilter` and says so in a note. docs/security.md explains the risk.
    public static let allowUnfilteredDevicesVariable = "CONTAINERS_ALLOW_UNFILTERED_DEVICES"
}
