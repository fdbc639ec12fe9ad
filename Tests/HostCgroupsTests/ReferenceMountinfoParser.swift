#if canImport(Glibc)
import Glibc
#endif
import HostCgroups

/// The probe's parsers as they were before they were rewritten on bytes (commit f296a33), kept
/// verbatim as the reference `ParserEquivalenceTests` compares the shipped parsers with: only the
/// names changed, and `contains(Character(…))` spells out the overload the HostCgroups module
/// (which does not import Foundation) chose for `contains("/")`: here Foundation's substring
/// search would be chosen, which finds the `/` inside the Character `"\u{0600}/"`. Do not optimise
/// or fix this copy; it defines the behaviour to keep.
enum ReferenceMountinfoParser {
    /// Probes through `read` (path → the file's text, nil when unreadable): the checker passes
    /// its filesystem view, so a fake host can hold a fake mountinfo.
    static func probe(root: String, reading read: (String) -> String?) -> HostCgroups {
        var host = parse(mountinfo: read(CgroupProbe.mountinfoPath) ?? "", root: root)
        if let v2Root = host.v2Root, let text = read(v2Root + "/cgroup.controllers") {
            host.v2Controllers = parseList(text)
        }
        if let v2Root = host.v2Root, let text = read(CgroupProbe.ownCgroupPath), let own = v2Cgroup(fromProcCgroup: text) {
            host.launcherV2Cgroup = own
            let me = String(getpid())
            let members = read(v2Root + (own == "/" ? "" : own) + "/cgroup.procs") ?? ""
            // Bytes, not Characters (grapheme breaking of ~100 pids: 125,000 instructions).
            host.launcherCgroupIsShared = members.utf8.split(separator: UInt8(ascii: "\n"))
                .contains { !$0.elementsEqual(me.utf8) }
        }
        return host
    }

    /// The host described by the text of a mountinfo file (text in, model out, for tests);
    /// `v2Controllers` is left nil (unknown).
    static func parse(mountinfo: String, root: String) -> HostCgroups {
        let root = HostCgroups.trimmingTrailingSlashes(root)
        // Every mount on, under or above the root. A mount on a path that is already a mount
        // point, or above one (a tmpfs over /sys/fs/cgroup, `ip netns exec`'s fresh /sys),
        // hides what was there: the hidden mounts stay listed, so each cgroup mount counts only
        // when resolving its own path from `/` reaches it (`PathResolution`).
        var mounts = ReferencePathResolution()
        var cgroupMounts: [(id: Substring, entry: ReferenceMountinfoEntry)] = []
        // Split on bytes, not Characters: splitting a String by Character runs grapheme
        // breaking over every byte (callgrind: ~0.6 M instructions for a 20-line mountinfo).
        for lineBytes in mountinfo.utf8.split(separator: UInt8(ascii: "\n")) {
            let line = Substring(lineBytes)
            // Only the first five fields of every line (ids and mount point); the rest only of
            // cgroup mounts under the root.
            let head = line.utf8.split(separator: UInt8(ascii: " "), maxSplits: 5).map(Substring.init)
            guard head.count > 5 else { continue }
            let point = ReferenceMountinfoEntry.unescape(head[4])
            let under = point == root || point.hasPrefix(root + "/")
            guard under || point == "/" || root.hasPrefix(point + "/") else { continue }
            mounts.add(id: head[0], parent: head[1], point: point)
            if under, ReferenceMountinfoEntry.isCgroupMount(line), let entry = ReferenceMountinfoEntry(line) {
                cgroupMounts.append((head[0], entry))
            }
        }
        let visible = cgroupMounts.filter { mounts.topmost(at: $0.entry.mountPoint) == $0.id }.map(\.entry)

        var v2Root: String?
        // An array, not a Set: at most seven elements, and `start` probes in a fresh process
        // where every generic container specialisation first touched costs page faults.
        var mounted: [CgroupV1Controller] = []
        for entry in visible {
            if entry.fileSystemType == "cgroup2" {
                // The root itself wins over a nested cgroup2 mount.
                if v2Root == nil || entry.mountPoint == root { v2Root = entry.mountPoint }
            } else if entry.fileSystemType == "cgroup" {
                let options = entry.superOptions.split(separator: ",").map(String.init)
                // Directly under the root, named after the controller or after the
                // co-mounted group (`cpu,cpuacct`, reached through the `cpu` symlink).
                let name = entry.mountPoint.dropFirst(root.count + 1)
                guard !name.isEmpty, !name.contains(Character("/")) else { continue }
                for controller in CgroupV1Controller.allCases
                where options.contains(controller.rawValue) && !mounted.contains(controller) {
                    mounted.append(controller)
                }
            }
        }
        return HostCgroups(origin: .probed, root: root, v1Controllers: mounted, v2Root: v2Root)
    }

    /// The v2 path of `/proc/PID/cgroup` text: the `0::PATH` line's PATH, nil when there is none
    /// (a v1-only host) or it is not absolute (`(deleted)` suffixes and the like are kept out).
    static func v2Cgroup(fromProcCgroup text: String) -> String? {
        for line in text.utf8.split(separator: UInt8(ascii: "\n")).map(Substring.init) where line.hasPrefix("0::") {
            let path = String(line.dropFirst(3))
            return path.hasPrefix("/") && !path.contains(Character(" ")) ? path : nil
        }
        return nil
    }

    static func parseList(_ text: String) -> [CgroupV2Controller] {
        let names = text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" })
        return CgroupV2Controller.allCases.filter { names.contains(Substring($0.rawValue)) }
    }
}

/// Which mount a path reaches, from mountinfo's ids: from `/`, at each longer prefix of the
/// path, the mount on that prefix whose parent is the current one (then any stacked on it).
/// Mounts whose parent is not listed hang off a virtual root, so partial texts resolve too.
struct ReferencePathResolution {
    private var mounts: [(id: Substring, parent: Substring, point: String)] = []

    mutating func add(id: Substring, parent: Substring, point: String) {
        mounts.append((id, parent, point))
    }

    /// The id of the mount `path` reaches, nil when it is on no listed mount.
    func topmost(at path: String) -> Substring? {
        var prefixes = ["/"]
        var prefix = ""
        for component in path.utf8.split(separator: UInt8(ascii: "/")).map(Substring.init) {
            // Concrete appends: `"/" + component` (String + Substring) is the generic `+`,
            // unspecialised here (callgrind: 44,000 instructions a call, ten calls a probe).
            prefix.append("/")
            prefix.append(contentsOf: component)
            prefixes.append(prefix)
        }
        var current: Substring?
        for prefix in prefixes {
            while let child = mounts.first(where: { $0.point == prefix && isChild($0.parent, of: current) }) {
                current = child.id
            }
        }
        return current
    }

    private func isChild(_ parent: Substring, of current: Substring?) -> Bool {
        guard let current else { return !mounts.contains { $0.id == parent } }
        return parent == current
    }
}

/// One line of /proc/PID/mountinfo (proc(5)):
/// `ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTIONS`.
struct ReferenceMountinfoEntry {
    var mountPoint: String
    var fileSystemType: String
    var superOptions: String

    init?(_ line: Substring) {
        let fields = line.utf8.split(separator: UInt8(ascii: " ")).map(Substring.init)
        guard fields.count >= 10, let dash = fields.firstIndex(of: "-"), dash >= 6,
            dash + 3 < fields.count
        else { return nil }
        mountPoint = Self.unescape(fields[4])
        fileSystemType = String(fields[dash + 1])
        superOptions = String(fields[dash + 3])
    }

    /// Whether the line's filesystem type starts with `cgroup` (`cgroup`, `cgroup2`), decided on
    /// the bytes before the line is split into fields: most mounts of a host are not cgroups.
    /// ` - ` only occurs as the separator before the type (spaces in fields are escaped).
    static func isCgroupMount(_ line: Substring) -> Bool {
        let needle = " - cgroup".utf8
        let bytes = line.utf8
        var start = bytes.startIndex
        while let space = bytes[start...].firstIndex(of: UInt8(ascii: " ")) {
            if bytes[space...].starts(with: needle) { return true }
            start = bytes.index(after: space)
        }
        return false
    }

    /// mountinfo writes space, tab, newline and backslash as `\OOO` octal escapes.
    static func unescape(_ field: Substring) -> String {
        // Every line's mount point comes through here: most have nothing to unescape.
        guard field.utf8.contains(UInt8(ascii: "\\")) else { return String(field) }
        var out: [UInt8] = []
        let bytes = Array(field.utf8)
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "\\"), i + 3 < bytes.count,
                let value = UInt8(String(decoding: bytes[(i + 1)...(i + 3)], as: UTF8.self), radix: 8)
            {
                out.append(value)
                i += 4
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
