import Foundation
import Testing
@testable import ConfigChecker

/// The real probe (lstat/stat/readlink/openat) on a temporary tree.
@Suite struct HostFileSystemProbeTests {
    @Test func seesKindsModesLinksAndContents() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("probe-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: base) }
        try FileManager.default.createDirectory(atPath: base + "/dir", withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: base + "/dir/script", contents: Data("#!/bin/sh\necho\n".utf8))
        chmod(base + "/dir/script", 0o750)
        try FileManager.default.createSymbolicLink(atPath: base + "/link", withDestinationPath: "dir/script")
        try FileManager.default.createSymbolicLink(atPath: base + "/dangling", withDestinationPath: "/nonexistent/x")

        let probe = HostFileSystemProbe()
        #expect(probe.linkStatus(base + "/dir")?.kind == .directory)
        #expect(probe.linkStatus(base + "/link")?.kind == .symlink)
        #expect(probe.status(base + "/link") == FileStatus(kind: .regular, permissions: 0o750, ownerID: getuid()))
        #expect(probe.symlinkTarget(base + "/link") == "dir/script")
        #expect(probe.symlinkTarget(base + "/dir") == nil)
        #expect(probe.linkStatus(base + "/dangling")?.kind == .symlink)
        #expect(probe.status(base + "/dangling") == nil)
        #expect(probe.linkStatus(base + "/dir/script/below") == nil, "a file is not a directory")
        #expect(probe.readPrefix(base + "/link", maxBytes: 2) == Array("#!".utf8))
        #expect(probe.readPrefix(base + "/dir/script", maxBytes: 100) == Array("#!/bin/sh\necho\n".utf8))
        #expect(probe.readPrefix(base + "/missing", maxBytes: 10) == nil)
    }

    @Test func sysfsAndCgroupRootsAreInjectable() {
        let fs = FakeFileSystem()
        fs.directory("/srv/web")
        fs.file("/srv/web/sbin/init")
        fs.directory("/fake/block/8:0")
        fs.mountCgroups(v2: "/fake/cgroup", root: "/fake/cgroup")
        fs.file("/fake/cgroup/cgroup.controllers", mode: 0o444, contents: "memory\n")
        var builder = ConfigBuilder.minimal(extra: ["iops_limit=8:0 10", "net_classid=1", "max_memory=1G"])
        builder.config.ioLimits = [builder.ioLimit("iops_limit", major: 8, minor: 0, value: 10)]
        builder.config.netClassID = builder.setting("net_classid", "1", UInt32(1))
        builder.config.maxMemory = builder.setting("max_memory", "1G", .bytes(1 << 30))
        let options = CheckOptions(fileSystem: fs, blockDeviceDirectory: "/fake/block", cgroupRoot: "/fake/cgroup")
        let result = ConfigChecker.check(builder.parsed, name: "web", options: options)
        // The device is found under /fake/block, and /fake/cgroup is a v2 root with memory.
        #expect(result.codes == ["net-classid-no-effect"])
    }
}
