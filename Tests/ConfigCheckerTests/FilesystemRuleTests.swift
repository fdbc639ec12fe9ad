import ConfigLanguage
import ConfigSource
import Diagnostics
import HostCgroups
import Testing
@testable import ConfigChecker

/// The F rules against an in-memory filesystem.
@Suite struct FilesystemRuleTests {
    /// A root at /srv/web with an ELF init, a shell, and a v1 cgroup tree with every controller.
    static func world() -> FakeFileSystem {
        let fs = FakeFileSystem()
        fs.directory("/srv/web")
        fs.file("/srv/web/sbin/init")
        fs.file("/srv/web/bin/sh")
        fs.directory("/srv/data")
        fs.mountCgroups(v1: ["devices", "freezer", "pids", "memory", "net_cls"])
        fs.file("/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes", mode: 0o644, contents: "")
        fs.directory("/sys/dev/block/8:0")
        fs.directory("/sys/dev/block/8:1")
        fs.file("/sys/dev/block/8:1/partition", mode: 0o444, contents: "1\n")
        return fs
    }

    func check(_ builder: ConfigBuilder, _ fs: FakeFileSystem, useFilesystem: Bool = true) -> CheckResult {
        ConfigChecker.check(
            builder.parsed, name: "web",
            options: CheckOptions(useFilesystem: useFilesystem, fileSystem: fs))
    }

    @Test func healthyWorldIsClean() {
        let result = check(.minimal(), Self.world())
        #expect(result.diagnostics.isEmpty)
        #expect(result.checked != nil)
    }

    @Test func rootProblems() {
        let fs = Self.world()
        fs.file("/srv/file")
        fs.symlink("/srv/link", to: "/srv/web")
        fs.directory("/srv/open", mode: 0o777)
        fs.directory("/srv/theirs", mode: 0o755, owner: 1000)
        #expect(check(.minimal(root: "/srv/none"), fs).codes == ["root-not-found"])
        #expect(check(.minimal(root: "/srv/file"), fs).codes == ["root-not-directory"])
        #expect(check(.minimal(root: "/srv/link"), fs).codes == ["root-is-symlink"])
        #expect(check(.minimal(root: "/srv/open"), fs).codes == ["root-insecure", "init-not-found"])
        let theirs = check(.minimal(root: "/srv/theirs"), fs)
        #expect(theirs.codes.first == "root-insecure")
        #expect(theirs.diagnostics.first?.message.contains("uid 1000") == true)
    }

    @Test func filesystemRulesAreSkippedWithoutTheFilesystem() {
        let result = check(.minimal(root: "/nowhere", initPath: "/nothing"), FakeFileSystem(), useFilesystem: false)
        #expect(result.diagnostics.isEmpty)
    }

    @Test func initSymlinksStayInsideTheRoot() {
        let fs = Self.world()
        // Absolute target: re-rooted, so this finds /srv/web/bin/sh.
        fs.symlink("/srv/web/sbin/abs", to: "/bin/sh")
        // Climbs above the root: clamped at the root, so the host's /srv/host-init is NOT found.
        fs.file("/srv/host-init")
        fs.symlink("/srv/web/sbin/climb", to: "../../../../srv/host-init")
        fs.symlink("/srv/web/sbin/escape", to: "/srv/host-init")
        fs.symlink("/srv/web/sbin/loop1", to: "loop2")
        fs.symlink("/srv/web/sbin/loop2", to: "/sbin/loop1")
        #expect(check(.minimal(initPath: "/sbin/abs"), fs).diagnostics.isEmpty)
        #expect(check(.minimal(initPath: "/sbin/climb"), fs).codes == ["init-not-found"])
        #expect(check(.minimal(initPath: "/sbin/escape"), fs).codes == ["init-not-found"])
        let loop = check(.minimal(initPath: "/sbin/loop1"), fs)
        #expect(loop.codes == ["init-not-found"])
        #expect(loop.diagnostics.first?.message.contains("40") == true)
    }

    @Test func initMustBeAnExecutableRegularFile() {
        let fs = Self.world()
        fs.file("/srv/web/sbin/plain", mode: 0o644)
        #expect(check(.minimal(initPath: "/sbin/plain"), fs).codes == ["init-not-executable"])
        #expect(check(.minimal(initPath: "/sbin"), fs).codes == ["init-not-executable"])
        #expect(check(.minimal(initPath: "/sbin/missing"), fs).codes == ["init-not-found"])
    }

    @Test func scriptInterpreterMustExistInsideTheRoot() {
        let fs = Self.world()
        fs.file("/srv/web/sbin/good", contents: "#! /bin/sh -e\necho hi\n")
        fs.file("/srv/web/sbin/bad", contents: "#!/usr/bin/python3\n")
        fs.file("/usr/bin/python3")  // on the host only: does not count
        let bad = check(.minimal(initPath: "/sbin/bad"), fs)
        #expect(check(.minimal(initPath: "/sbin/good"), fs).diagnostics.isEmpty)
        #expect(bad.codes == ["init-interpreter-missing"])
        #expect(bad.diagnostics.first?.severity == .warning)
        #expect(bad.checked != nil)
    }

    @Test func hostInitIsCheckedOnTheHost() {
        let fs = Self.world()
        fs.file("/opt/tool")
        fs.file("/opt/data", mode: 0o600)
        #expect(check(.minimal(initPath: "@/opt/tool"), fs).diagnostics.isEmpty)
        #expect(check(.minimal(initPath: "@/opt/data"), fs).codes == ["init-not-executable"])
        #expect(check(.minimal(initPath: "@/opt/none"), fs).codes == ["init-not-found"])
    }

    @Test func mountSourceAndDestinationSymlinks() throws {
        let fs = Self.world()
        fs.symlink("/srv/web/var/run", to: "/run")
        fs.directory("/srv/web/run")
        fs.symlink("/srv/web/out", to: "../../../etc")
        var builder = ConfigBuilder.minimal(extra: [
            "mount=/srv/none:/data", "mount=/srv/data:/var/run/data", "mount=/srv/data:/out/x", "mount=/srv/data:/new/dir",
        ])
        builder.config.mounts = [
            builder.mount("mount", "/srv/none", "/data"), builder.mount("mount", "/srv/data", "/var/run/data"),
            builder.mount("mount", "/srv/data", "/out/x"), builder.mount("mount", "/srv/data", "/new/dir"),
        ]
        let result = check(builder, fs)
        #expect(result.codes == ["mount-source-not-found", "mount-destination-symlink", "mount-destination-symlink"])
        // `/srv/none`: at `none`, the component the host's lookup cannot get past.
        let source = try #require(builder.config.mounts[0].value?.source.range)
        #expect(result.diagnostics[0].range == SourceRange(source.lowerBound + 5, source.upperBound))
        let throughRun = result.diagnostics[1]
        // `/var/run/data`: at `run`, the symlink; a fix-it would rewrite the whole destination.
        let destination = try #require(builder.config.mounts[1].value?.destination.range)
        #expect(throughRun.range == SourceRange(destination.lowerBound + 5, destination.lowerBound + 8))
        #expect(throughRun.message.contains("'/var/run'"))
        #expect(throughRun.fixIts.map(\.replacement) == [])  // /run/data does not exist yet
        fs.directory("/srv/web/run/data")
        let again = check(builder, fs)
        #expect(again.diagnostics[1].fixIts.map(\.replacement) == ["/run/data"])
        #expect(again.diagnostics[1].fixIts.map(\.range) == [destination])
    }

    @Test func blockDevices() {
        var builder = ConfigBuilder.minimal(extra: ["iops_limit=8:0 10", "iops_limit=8:1 10", "io_bw_limit=9:9 10"])
        builder.config.ioLimits = [
            builder.ioLimit("iops_limit", major: 8, minor: 0, value: 10),
            builder.ioLimit("iops_limit", major: 8, minor: 1, value: 10),
            builder.ioLimit("io_bw_limit", major: 9, minor: 9, value: 10),
        ]
        let result = check(builder, Self.world())
        #expect(result.codes == ["block-device-is-partition", "block-device-not-found"])
        #expect(
            result.diagnostics.map(\.range) == [
                builder.config.ioLimits[1].value!.device.range,
                builder.config.ioLimits[2].value!.device.range,
            ])
    }

    func limitsBuilder() -> ConfigBuilder {
        var builder = ConfigBuilder.minimal(extra: ["max_physical_memory=1G", "max_memory=2G", "net_classid=1"])
        builder.config.maxPhysicalMemory = builder.setting("max_physical_memory", "1G", MemoryLimit.bytes(1 << 30))
        builder.config.maxMemory = builder.setting("max_memory", "2G", MemoryLimit.bytes(2 << 30))
        builder.config.netClassID = builder.setting("net_classid", "1", UInt32(1))
        return builder
    }

    @Test func cgroupV1ControllersPresentOrMissing() {
        #expect(check(limitsBuilder(), Self.world()).diagnostics.isEmpty)
        let bare = FakeFileSystem()
        bare.directory("/srv/web")
        bare.file("/srv/web/sbin/init")
        bare.mountCgroups(v1: ["devices"])
        let result = check(limitsBuilder(), bare)
        #expect(result.codes == ["controller-missing", "controller-missing", "controller-missing"])
        bare.mountCgroups(v1: ["devices", "memory"])
        let noSwap = check(limitsBuilder(), bare)
        #expect(noSwap.codes == ["controller-missing", "controller-missing"])
        #expect(noSwap.diagnostics.first?.message.contains("swap") == true)
    }

    @Test func cgroupV2ControllersAndNetClassID() {
        let fs = FakeFileSystem()
        fs.directory("/srv/web")
        fs.file("/srv/web/sbin/init")
        fs.mountCgroups(v2: "/sys/fs/cgroup")
        fs.file("/sys/fs/cgroup/cgroup.controllers", mode: 0o444, contents: "cpuset cpu io memory pids\n")
        #expect(check(limitsBuilder(), fs).codes == ["net-classid-no-effect"])
        fs.file("/sys/fs/cgroup/cgroup.controllers", mode: 0o444, contents: "cpu io pids\n")
        #expect(check(limitsBuilder(), fs).codes == ["controller-missing", "controller-missing", "net-classid-no-effect"])
    }

    /// No cgroup, no container: without a hierarchy to hold the container's cgroup, or on v1
    /// without the devices controller, the check fails with an error naming what to mount.
    @Test func aHostWithoutAUsableCgroupIsAnError() throws {
        let fs = FakeFileSystem()
        fs.directory("/srv/web")
        fs.file("/srv/web/sbin/init")
        fs.directory("/sys/fs/cgroup")
        let none = check(.minimal(), fs)
        #expect(none.codes == ["cgroup-unusable"])
        let error = try #require(none.diagnostics.first)
        #expect(error.severity == .error)
        #expect(error.message.contains("no cgroup hierarchy is mounted at /sys/fs/cgroup"), "\(error.message)")
        #expect(error.message.contains("mount -t cgroup2 none /sys/fs/cgroup"), "\(error.message)")
        #expect(none.checked == nil)

        fs.mountCgroups(v1: ["memory", "pids"])
        let noDevices = check(.minimal(), fs)
        #expect(noDevices.codes == ["cgroup-unusable"])
        #expect(noDevices.diagnostics.first?.message.contains("mount -t cgroup -o devices devices /sys/fs/cgroup/devices") == true)

        fs.mountCgroups(v1: ["memory", "pids", "devices"])
        #expect(check(.minimal(), fs).diagnostics.isEmpty)
        fs.mountCgroups(v2: "/sys/fs/cgroup")
        #expect(check(.minimal(), fs).diagnostics.isEmpty, "v2: the eBPF device filter is assumed")
        #expect(
            check(.minimal(), FakeFileSystem(), useFilesystem: false).diagnostics.isEmpty,
            "--no-filesystem never probes")
    }

    /// The host the plan is made for wins over the filesystem: `plan --cgroup v2` checks against
    /// a v2 host with every controller, whatever this one has.
    @Test func anAssumedHostIsCheckedInsteadOfTheProbedOne() {
        let fs = FakeFileSystem()
        fs.directory("/srv/web")
        fs.file("/srv/web/sbin/init")
        let result = ConfigChecker.check(
            limitsBuilder().parsed, name: "web",
            options: CheckOptions(
                cgroupHost: .assumed(.v2), fileSystem: fs))
        #expect(result.codes == ["net-classid-no-effect"])
        let v1 = ConfigChecker.check(
            limitsBuilder().parsed, name: "web",
            options: CheckOptions(
                cgroupHost: .assumed(.v1), fileSystem: fs))
        #expect(v1.codes.isEmpty, "an assumed host has swap accounting too")
    }
}
