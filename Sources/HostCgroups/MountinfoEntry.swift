/// Which mount a path reaches, from mountinfo's ids: from `/`, at each longer prefix of the
/// path, the mount on that prefix whose parent is the current one (then any stacked on it).
/// Mounts whose parent is not listed hang off a virtual root, so partial texts resolve too.
struct PathResolution {
    // Arrays of Strings and Ints, not of tuples: no new generic instantiation to set up in the
    // fresh process every probe runs in.
    private var ids: [String] = .reserved()
    private var parents: [String] = .reserved()
    private var points: [String] = .reserved()
    /// Each point's byte count when it is ASCII, -1 otherwise (`point(_:is:)`).
    private var pointLengths: [Int] = .reserved()

    mutating func add(id: String, parent: String, point: String) {
        ids.append(id)
        parents.append(parent)
        points.append(point)
        pointLengths.append(KernelTextBytes.isASCII(point) ? point.utf8.count : -1)
    }

    /// The id of the mount `path` reaches, nil when it is on no listed mount.
    func topmost(at path: String) -> String? {
        var current = child(at: PathPrefix(bytes: [UInt8(ascii: "/")]), of: nil)
        KernelTextBytes.withBytes(of: path) { bytes in
            // The prefixes `/a`, `/a/b`… of the path's non-empty components.
            var prefix = PathPrefix(bytes: [])
            var components = ComponentCursor(KernelTextBytes(bytes: bytes))
            while let component = components.next() {
                prefix.append(UnsafeBufferPointer(rebasing: bytes[component]))
                current = child(at: prefix, of: current)
            }
        }
        return current
    }

    /// The last mount of a chain on `prefix` starting at a child of `current` (`current` itself
    /// when there is none).
    private func child(at prefix: PathPrefix, of current: String?) -> String? {
        var current = current
        while let next = points.indices.first(where: { point($0, is: prefix) && isChild(parents[$0], of: current) }) {
            current = ids[next]
        }
        return current
    }

    /// Whether the point of mount `index` equals `prefix` as Strings compare (canonical
    /// equivalence): byte for byte when both are ASCII, which spares making and comparing a
    /// String (a probe of a v1 host compares about a thousand times).
    private func point(_ index: Int, is prefix: PathPrefix) -> Bool {
        guard pointLengths[index] >= 0, prefix.isASCII else { return points[index] == prefix.string }
        guard pointLengths[index] == prefix.bytes.count else { return false }
        return KernelTextBytes.withBytes(of: points[index]) { point in
            var offset = 0
            while offset < point.count, point[offset] == prefix.bytes[offset] { offset += 1 }
            return offset == point.count
        }
    }

    private func isChild(_ parent: String, of current: String?) -> Bool {
        guard let current else { return !ids.contains(parent) }
        return parent == current
    }
}

/// A path prefix being resolved, as bytes.
private struct PathPrefix {
    private(set) var bytes: [UInt8]
    private(set) var isASCII = true

    init(bytes: [UInt8]) { self.bytes = bytes }

    /// The prefix one component longer: `/` and the component.
    mutating func append(_ component: UnsafeBufferPointer<UInt8>) {
        bytes.append(UInt8(ascii: "/"))
        bytes.append(contentsOf: component)
        isASCII = isASCII && !component.contains { $0 >= 0x80 }
    }

    var string: String { String(decoding: bytes, as: UTF8.self) }
}

/// The `/`-separated non-empty components of a path, as `utf8.split(separator: "/")` yields them.
private struct ComponentCursor {
    let text: KernelTextBytes
    var position = 0

    init(_ text: KernelTextBytes) { self.text = text }

    mutating func next() -> Range<Int>? {
        while position < text.count, text.bytes[position] == UInt8(ascii: "/") { position += 1 }
        guard position < text.count else { return nil }
        let start = position
        position = text.firstIndex(of: UInt8(ascii: "/"), in: position..<text.count)
        return start..<position
    }
}

/// The cgroup mounts of a mountinfo, in its order: arrays of Strings, not an array of entries,
/// whose storage type the runtime would set up first (11,000 instructions).
struct CgroupMountList {
    private var ids: [String] = .reserved()
    private var mountPoints: [String] = .reserved()
    private var fileSystemTypes: [String] = .reserved()
    private var superOptions: [String] = .reserved()

    /// Adds the mount of `line`, whose id and unescaped fifth field the caller has, when the
    /// line has ten fields at least and a `-` field after the sixth with three fields after it.
    mutating func append(_ text: KernelTextBytes, _ line: Range<Int>, id: String, mountPoint: String) {
        var fields = FieldCursor(text, line)
        var count = 0
        var dash: Int?
        var type: Range<Int>?
        var options: Range<Int>?
        while let field = fields.next() {
            if let dash {
                if count == dash + 1 { type = field }
                if count == dash + 3 { options = field }
            } else if text.isOnly(UInt8(ascii: "-"), field) {
                dash = count
            }
            count += 1
        }
        guard count >= 10, let dash, dash >= 6, dash + 3 < count, let type, let options else { return }
        ids.append(id)
        mountPoints.append(mountPoint)
        fileSystemTypes.append(text.string(type))
        superOptions.append(text.string(options))
    }

    var indices: Range<Int> { ids.indices }

    subscript(index: Int) -> MountinfoEntry {
        MountinfoEntry(
            id: ids[index], mountPoint: mountPoints[index], fileSystemType: fileSystemTypes[index],
            superOptions: superOptions[index])
    }
}

/// One line of /proc/PID/mountinfo (proc(5)):
/// `ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTIONS`.
struct MountinfoEntry {
    var id: String
    var mountPoint: String
    var fileSystemType: String
    var superOptions: String

    init(id: String, mountPoint: String, fileSystemType: String, superOptions: String) {
        self.id = id
        self.mountPoint = mountPoint
        self.fileSystemType = fileSystemType
        self.superOptions = superOptions
    }

    /// Whether the line's filesystem type starts with `cgroup` (`cgroup`, `cgroup2`), decided on
    /// the bytes before the line is split into fields: most mounts of a host are not cgroups.
    /// ` - ` only occurs as the separator before the type (spaces in fields are escaped).
    static func isCgroupMount(_ text: KernelTextBytes, _ line: Range<Int>) -> Bool {
        text.contains(" - cgroup", in: line)
    }

    /// Whether the mount point is a directory directly under `root` (the old Character-level
    /// `mountPoint.dropFirst(root.count + 1)` is non-empty and has no `/`).
    func isDirectlyUnder(root: String) -> Bool {
        guard KernelTextBytes.isPlainASCII(root), KernelTextBytes.isPlainASCII(mountPoint) else {
            let name = mountPoint.dropFirst(root.count + 1)
            return !name.isEmpty && !name.contains("/")
        }
        let nameStart = root.utf8.count + 1
        return KernelTextBytes.withBytes(of: mountPoint) { bytes in
            let name = nameStart..<max(nameStart, bytes.count)
            return !name.isEmpty && !KernelTextBytes(bytes: bytes).contains(UInt8(ascii: "/"), in: name)
        }
    }

    /// Adds to `controllers` those the comma-separated super options name and it lacks.
    func addNamedControllers(to controllers: inout [CgroupV1Controller]) {
        KernelTextBytes.withBytes(of: superOptions) { bytes in
            let text = KernelTextBytes(bytes: bytes)
            guard text.isPlainASCII(0..<text.count) else {
                // Characters: a non-ASCII byte may join a comma into a grapheme cluster.
                let options = superOptions.split(separator: ",").map(String.init)
                for controller in CgroupV1Controller.allCases
                where options.contains(controller.rawValue) && !controllers.contains(controller) {
                    controllers.append(controller)
                }
                return
            }
            var start = 0
            while start <= text.count {
                let end = text.firstIndex(of: UInt8(ascii: ","), in: start..<text.count)
                for controller in CgroupV1Controller.allCases
                where text.equals(start..<end, controller.rawValue) && !controllers.contains(controller) {
                    controllers.append(controller)
                }
                start = end + 1
            }
        }
    }

    /// mountinfo writes space, tab, newline and backslash as `\OOO` octal escapes.
    static func unescape(_ text: KernelTextBytes, _ field: Range<Int>) -> String {
        // Every line's mount point comes through here: most have nothing to unescape.
        guard text.contains(UInt8(ascii: "\\"), in: field) else { return text.string(field) }
        var out: [UInt8] = []
        var index = field.lowerBound
        while index < field.upperBound {
            if text.bytes[index] == UInt8(ascii: "\\"), index + 3 < field.upperBound,
                let value = octalByte(text.bytes[index + 1], text.bytes[index + 2], text.bytes[index + 3])
            {
                out.append(value)
                index += 4
            } else {
                out.append(text.bytes[index])
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The byte three characters after a backslash stand for, as `UInt8(_:radix: 8)` reads them:
    /// three octal digits up to 377, or a sign and two digits (`+17`; `-00` is 0).
    private static func octalByte(_ first: UInt8, _ second: UInt8, _ third: UInt8) -> UInt8? {
        func digit(_ byte: UInt8) -> UInt8? {
            byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "7") ? byte - UInt8(ascii: "0") : nil
        }
        guard let low = digit(third), let middle = digit(second) else { return nil }
        switch first {
        case UInt8(ascii: "+"): return middle * 8 + low
        case UInt8(ascii: "-"): return middle == 0 && low == 0 ? 0 : nil
        default:
            guard let high = digit(first), high <= 3 else { return nil }
            return high * 64 + middle * 8 + low
        }
    }
}

extension Array {
    /// An empty array with room for the mounts of a host on, under and above its cgroup root
    /// (about a dozen), so that filling it does not reallocate four times.
    fileprivate static func reserved() -> Self {
        var array = Self()
        array.reserveCapacity(16)
        return array
    }
}
