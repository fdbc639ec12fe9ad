import TestSupport

/// Generated mountinfo texts for `ParserEquivalenceTests`: lines built from fields a real host
/// has and fields that only a broken or hostile one would, then damaged at random.
enum MountinfoGenerator {
    static let points = [
        "/", "/sys", "/sys/", "/sys/fs", "/sys/fs/cgroup", "/sys/fs/cgroup/", "//sys//fs/cgroup/pids",
        "/sys/fs/cgroup/cpu", "/sys/fs/cgroup/memory", "/sys/fs/cgroup/devices", "/sys/fs/cgroup/freezer",
        "/sys/fs/cgroup/pids", "/sys/fs/cgroup/blkio", "/sys/fs/cgroup/net_cls", "/sys/fs/cgroup/unified",
        "/sys/fs/cgroup/cpu,cpuacct", "/sys/fs/cgroup/net_cls,net_prio", "/sys/fs/cgroup/deep/devices",
        "/sys/fs/cgroup/devices/x", "/sys/fs/cgroupx", "/tmp/net_cls", #"/sys/fs/cgroup/with\040space"#,
        #"/sys/fs/cgroup/a\134b"#, #"/sys/fs/cgroup/\377"#, #"/sys/fs/cgroup/\1"#, #"/sys\057fs/cgroup"#,
        #"/srv/my\040cgroups"#, "/srv/my cgroups", "/srv/\u{E9}", "/srv/e\u{301}", "/srv/e\u{301}/pids",
        "/sys/fs/cgroup/\u{E9}", "/sys/fs/cgroup/\u{301}pids", "/sys/fs/cgroup/\u{0600}", "/sys/fs/cgroup/\u{0600}/x",
        "/sys/fs/\u{212A}", "/sys/fs/K", "/sys/fs/K/pids", "/sys/fs/cgroup/pids\r", #"/sys/fs/cgroup/a\015\012b"#,
        "/sys/fs/cgroup\r", "/sys/fs/cgroup/\u{0600}/", "/sys/fs/cgroup\u{301}/pids",
    ]
    static let types = ["cgroup", "cgroup2", "cgroup", "cgroup2", "tmpfs", "sysfs", "cgroup2x", "cgroup\u{E9}", "-"]
    static let superOptions = [
        "rw,cpu,cpuacct", "rw,devices", "rw,name=systemd", "rw,nsdelegate", "rw", "rw,pids", "rw,memory",
        "rw,freezer", "rw,blkio", "rw,net_cls,net_prio", "rw,,memory", "devices", "rw,pids,\u{301}",
        "rw,\u{0600},devices", "devices,\u{301}x", "rw,devices\u{301}", "rw,\u{E9},freezer", "rw,pids\r",
    ]
    static let optionalFields = ["shared:1", "master:2", "propagate_from:3", "unbindable", "-", "shared:\u{E9}"]
    static let separators = [" ", " ", " ", " ", "  ", "\t", " \u{301}"]

    /// A text of up to a dozen lines over the points above, with unique ids (a repeated id could
    /// make the reference's resolution loop forever), parents among them or unlisted.
    static func text(_ random: inout SeededRandom) -> String {
        var lines: [String] = []
        let count = random.below(13)
        var ids: [String] = []
        for index in 0..<count {
            let id = random.below(10) == 0 ? "x\(index)" : "\(20 + index)"
            ids.append(id)
        }
        // Half the texts start as a host does: a tmpfs on the root, hierarchies mounted on it.
        let hostLike = random.below(2) == 0
        if hostLike { lines.append("\(count + 100) 1 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755") }
        for index in 0..<count {
            if hostLike, random.below(3) != 0 {
                let names = ["cpu", "memory", "devices", "freezer", "pids", "blkio", "net_cls", "systemd", "cpu,cpuacct"]
                let name = names[random.below(names.count)]
                let v2 = random.below(4) == 0
                lines.append(
                    "\(ids[index]) \(count + 100) 0:3\(index) / /sys/fs/cgroup/\(v2 ? "unified" : name) rw,relatime"
                        + (v2 ? " - cgroup2 cgroup2 rw" : " - cgroup cgroup rw,\(name)"))
                continue
            }
            switch random.below(20) {
            case 0: lines.append("")
            case 1: lines.append("garbage line")
            default: lines.append(line(id: ids[index], ids: ids, &random))
            }
        }
        var text = lines.joined(separator: random.below(6) == 0 ? "\r\n" : "\n")
        if random.below(4) == 0 { text += "\n" }
        return damaged(text, &random)
    }

    static func line(id: String, ids: [String], _ random: inout SeededRandom) -> String {
        let parent = random.below(4) == 0 ? ["1", "0", id][random.below(3)] : ids[random.below(ids.count)]
        var fields = [id, parent, "0:\(random.below(60))", random.below(5) == 0 ? "/sub" : "/"]
        let common = ["/", "/sys", "/sys/fs/cgroup", "/sys/fs/cgroup/unified", "/sys/fs/cgroup/pids", "/sys/fs/cgroup/devices"]
        fields.append(random.below(2) == 0 ? common[random.below(common.count)] : points[random.below(points.count)])
        fields.append(random.below(2) == 0 ? "rw,relatime" : "rw,nosuid,nodev")
        for _ in 0..<[0, 0, 1, 2][random.below(4)] { fields.append(optionalFields[random.below(optionalFields.count)]) }
        switch random.below(12) {
        case 0: break  // no separator
        case 1: fields.append("--")
        default: fields.append("-")
        }
        fields.append(types[random.below(types.count)])
        if random.below(10) != 0 { fields.append(random.below(2) == 0 ? "cgroup" : "none") }
        if random.below(10) != 0 { fields.append(superOptions[random.below(superOptions.count)]) }
        var line = ""
        for (index, field) in fields.enumerated() {
            if index > 0 { line += random.below(8) == 0 ? separators[random.below(separators.count)] : " " }
            line += field
        }
        if random.below(15) == 0 { line += " " }
        if random.below(15) == 0 { line = " " + line }
        return line
    }

    /// `text`, sometimes truncated or with bytes that are not UTF-8 inserted, then decoded as
    /// the probe decodes a file (ill-formed sequences become U+FFFD).
    static func damaged(_ text: String, _ random: inout SeededRandom) -> String {
        var bytes = Array(text.utf8)
        if random.below(10) == 0, !bytes.isEmpty { bytes.removeLast(random.below(bytes.count)) }
        if random.below(8) == 0 {
            for _ in 0..<1 + random.below(3) {
                let junk: [UInt8] = [0xFF, 0xC3, 0x80, 0xE2, 0xCC][random.below(5)...].prefix(1 + random.below(2)).map { $0 }
                bytes.insert(contentsOf: junk, at: random.below(bytes.count + 1))
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
