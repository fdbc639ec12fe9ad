#if canImport(Glibc)
import Glibc
#endif
import HostCgroups
import Testing
import TestSupport

/// The byte-level parsers answer exactly as the Character-level ones they replaced
/// (`ReferenceMountinfoParser`), for the fixtures and for generated variations of them:
/// escapes, optional fields, separators, nesting, over-mounts, truncation, non-ASCII text
/// (combining marks, prepend characters, canonically equivalent spellings) and ill-formed UTF-8.
@Suite struct ParserEquivalenceTests {
    static let roots = [
        "/sys/fs/cgroup", "/sys/fs/cgroup/", "/sys/fs/cgroup//", "/srv/my cgroups", "/", "/sys/fs/\u{212A}",
        "/srv/\u{E9}", "/srv/e\u{301}", "/sys/fs/cgroup/\u{0600}", "/sys/fs/cgroup\r",
    ]

    static let fixtures: [String] = [
        CgroupProbeTests.hybrid, CgroupProbeTests.pureV2, "",
        CgroupProbeTests.hybrid + "\n900 31 0:99 / /sys/fs/cgroup rw - tmpfs none rw",
        CgroupProbeTests.hybrid + "\n903 31 0:38 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw",
        "23 27 0:20 / /sys rw - sysfs sysfs rw\n" + CgroupProbeTests.hybrid + "\n27 1 0:1 / / rw - ext4 /dev/root rw"
            + "\n950 23 0:80 / /sys rw - sysfs sysfs rw\n951 36 0:81 / /sys/fs/cgroup/devices/x rw - tmpfs tmpfs rw",
        #"60 1 0:50 / /sys/fs/cgroup/with\040space\134x rw - cgroup2 cgroup2 rw"#,
        #"60 1 0:50 / /srv/my\040cgroups rw - cgroup2 cgroup2 rw"#,
        "32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct\n"
            + "33 31 0:30 / /sys/fs/cgroup/net_cls,net_prio rw - cgroup cgroup rw,net_cls,net_prio",
        "50 1 0:40 / /tmp/net_cls rw - cgroup net_cls rw,net_cls\n51 1 0:41 / /sys/fs/cgroupx rw - cgroup2 cgroup2 rw\n"
            + "52 31 0:42 / /sys/fs/cgroup/deep/devices rw - cgroup cgroup rw,devices\ngarbage line",
        // Where bytes and Characters part: a prepend character joins the `/` after it, a
        // combining mark the `,` before it.
        "1 0 0:1 / /sys/fs/cgroup/\u{0600}/x rw - cgroup cgroup rw,pids",
        "1 0 0:1 / /sys/fs/cgroup/pids rw - cgroup cgroup rw,\u{0600},devices",
        "1 0 0:1 / /sys/fs/cgroup/pids rw - cgroup cgroup rw,devices,\u{301}",
        "1 0 0:1 / /sys/fs/cgroup/\u{E9} rw - cgroup2 cgroup2 rw\n2 0 0:2 / /sys/fs/cgroup/e\u{301} rw - cgroup2 cgroup2 rw",
        // Five fields and a space: no sixth field, so no mount hides the one below it.
        "1 0 0:1 / /sys/fs/cgroup \n2 0 0:2 / /sys/fs/cgroup/pids rw - cgroup cgroup rw,pids",
        "1 0 0:1 / /sys/fs/cgroup  \n2 0 0:2 / /sys/fs/cgroup/pids rw - cgroup cgroup rw,pids",
        // Fields apart by two spaces: a `-` field, but no ` - cgroup` in the line.
        "1 0 0:1 / /sys/fs/cgroup/pids rw  -  cgroup cgroup rw,pids",
    ]

    @Test func fixturesAndTheRunningHostParseAsBefore() {
        var corpus = Self.fixtures
        corpus.append(Self.readHostMountinfo())
        for text in corpus {
            for root in Self.roots {
                #expect(CgroupProbe.parse(mountinfo: text, root: root) == ReferenceMountinfoParser.parse(mountinfo: text, root: root))
            }
        }
    }

    @Test func generatedMountinfoParsesAsBefore() {
        var random = SeededRandom(state: 13)
        var differences = 0
        var v1Hosts = 0
        var v2Hosts = 0
        for _ in 0..<3000 {
            let text = MountinfoGenerator.text(&random)
            let root = random.below(2) == 0 ? "/sys/fs/cgroup" : Self.roots[random.below(Self.roots.count)]
            let new = CgroupProbe.parse(mountinfo: text, root: root)
            let old = ReferenceMountinfoParser.parse(mountinfo: text, root: root)
            if new != old {
                differences += 1
                if differences <= 5 { Issue.record("root \(root.debugDescription), \(text.debugDescription): \(new) != \(old)") }
            }
            if !old.v1Controllers.isEmpty { v1Hosts += 1 }
            if old.v2Root != nil { v2Hosts += 1 }
        }
        #expect(differences == 0)
        // The corpus reaches both kinds of hierarchy often, so the comparison is not of empty results.
        #expect(v1Hosts > 300 && v2Hosts > 300, "v1 \(v1Hosts), v2 \(v2Hosts)")
    }

    /// Every backslash escape of three characters from digits, signs, letters and non-ASCII.
    @Test func everyShortEscapeUnescapesAsBefore() {
        let alphabet: [String] = ["0", "1", "3", "4", "7", "8", "9", "+", "-", "a", "\\", " ", "\u{E9}"]
        for first in alphabet {
            for second in alphabet {
                for third in alphabet {
                    let point = "/sys/fs/cgroup/x\\" + first + second + third + "y"
                    let text = "1 0 0:1 / \(point) rw - cgroup2 cgroup2 rw"
                    #expect(
                        CgroupProbe.parse(mountinfo: text, root: "/sys/fs/cgroup")
                            == ReferenceMountinfoParser.parse(mountinfo: text, root: "/sys/fs/cgroup"), "\(point)")
                }
            }
        }
        // The escapes the kernel writes do unescape (so the loop above compares real work).
        let escaped = #"1 0 0:1 / /sys/fs/cgroup/a\040b\011c\012d\134e rw - cgroup2 cgroup2 rw"#
        #expect(CgroupProbe.parse(mountinfo: escaped, root: "/sys/fs/cgroup").v2Root == "/sys/fs/cgroup/a b\tc\nd\\e")
    }

    @Test func generatedProcCgroupTextsReadAsBefore() {
        var random = SeededRandom(state: 7)
        let lines = [
            "0::/", "0::/system.slice/web.service", "0::", "0::relative", "0::/with space", "0::/a (deleted)",
            "0::/\u{301}x", "0:\u{301}:/x", "0::/x\r", "\u{0600}0::/x", "12:pids:/x", "1:name=systemd:/", "",
            "0::/\u{E9}", "0:: /x", "00::/x",
        ]
        var found = 0
        for _ in 0..<2000 {
            var text = ""
            for _ in 0..<random.below(5) {
                text += lines[random.below(lines.count)] + (random.below(4) == 0 ? "\r\n" : "\n")
            }
            let text2 = MountinfoGenerator.damaged(text, &random)
            let new = CgroupProbe.v2Cgroup(fromProcCgroup: text2)
            #expect(new == ReferenceMountinfoParser.v2Cgroup(fromProcCgroup: text2), "\(text2.debugDescription)")
            if new != nil { found += 1 }
        }
        #expect(found > 200)
    }

    @Test func generatedControllerListsReadAsBefore() {
        var random = SeededRandom(state: 11)
        let names = ["memory", "pids", "cpu", "io", "cpuset", "rdma", "iox", "pid", "\u{E9}", "\u{301}", "memory\u{301}", "\r", ""]
        let separators = [" ", "\n", "\t", "  ", "\r\n", ",", "\u{0600}", " \u{301}"]
        for _ in 0..<2000 {
            var text = ""
            for _ in 0..<random.below(8) {
                text += names[random.below(names.count)] + separators[random.below(separators.count)]
            }
            #expect(CgroupV2Controller.parseList(text) == ReferenceMountinfoParser.parseList(text), "\(text.debugDescription)")
        }
    }

    /// The whole probe, through fake files: the same reads in the same order, the same host,
    /// including whether the launcher's cgroup is shared.
    @Test func generatedHostsProbeAsBefore() {
        var random = SeededRandom(state: 5)
        let me = String(getpid())
        let procs = ["", me, me + "\n", "1234\n" + me + "\n", me + "\r\n", "\n\n" + me, "12" + me, me + "\n1\n"]
        let ownCgroups = ["0::/\n", "0::/system.slice/x.service\n", "12:pids:/\n", "0::relative\n"]
        let controllers = ["memory pids\n", "", "cpu io\tmemory\n", "\u{301}memory"]
        for _ in 0..<1000 {
            let mountinfo = random.below(3) == 0 ? CgroupProbeTests.hybrid : MountinfoGenerator.text(&random)
            let files: [String: String] = [
                "/proc/self/mountinfo": mountinfo,
                "/proc/self/cgroup": ownCgroups[random.below(ownCgroups.count)],
                "controllers": controllers[random.below(controllers.count)],
                "procs": procs[random.below(procs.count)],
            ]
            let newReads = ReadLog(files)
            let oldReads = ReadLog(files)
            let new = CgroupProbe.probe(root: "/sys/fs/cgroup", reading: newReads.read)
            let old = ReferenceMountinfoParser.probe(root: "/sys/fs/cgroup", reading: oldReads.read)
            #expect(new == old, "\(mountinfo.debugDescription)")
            #expect(new.launcherCgroupIsShared == old.launcherCgroupIsShared)
            #expect(newReads.paths == oldReads.paths)
        }
    }
}

/// Fake files that remember which paths were read.
private final class ReadLog {
    let files: [String: String]
    var paths: [String] = []

    init(_ files: [String: String]) { self.files = files }

    func read(_ path: String) -> String? {
        paths.append(path)
        if path.hasSuffix("/cgroup.controllers") { return files["controllers"] }
        if path.hasSuffix("/cgroup.procs") { return files["procs"] }
        return files[path]
    }
}

extension ParserEquivalenceTests {
    /// This machine's mountinfo, as the probe reads it (ill-formed UTF-8 repaired).
    static func readHostMountinfo() -> String {
        guard let file = fopen(CgroupProbe.mountinfoPath, "r") else { return "" }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        while case let byte = getc(file), byte != EOF { bytes.append(UInt8(byte)) }
        return String(decoding: bytes, as: UTF8.self)
    }
}
