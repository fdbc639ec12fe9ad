import ConfigLanguage
import ConfigSource
import Diagnostics
import HostCgroups
import Testing
@testable import ConfigChecker

/// The rules that need no filesystem, on hand-built ASTs.
@Suite struct SemanticRuleTests {
    let noFilesystem = CheckOptions(useFilesystem: false)

    @Test func absentRequiredKeysAreReportedAtTheTopInOrder() {
        let builder = ConfigBuilder(["# nothing"])
        let result = ConfigChecker.check(builder.parsed, name: "web", options: noFilesystem)
        #expect(result.codes == ["missing-required-key", "missing-required-key", "missing-required-key"])
        #expect(result.diagnostics.allSatisfy { $0.range == .point(0) && $0.severity == .error })
        #expect(
            result.diagnostics.map(\.message).enumerated().allSatisfy { index, message in
                message.contains("'\(["root", "init", "namespaces"][index])'")
            })
        #expect(result.checked == nil)
    }

    @Test func yamlExampleUsesYamlSpelling() {
        let builder = ConfigBuilder(["{}"], form: .yaml)
        let result = ConfigChecker.check(builder.parsed, name: "web", options: noFilesystem)
        #expect(result.diagnostics.first?.message.contains("root: /srv/web") == true)
    }

    @Test func presentButInvalidKeyIsNotMissing() {
        var builder = ConfigBuilder.minimal()
        builder.config.root?.value = nil
        builder.diagnostics = [Diagnostic(.pathNotAbsolute, "relative", at: builder.config.root!.valueRange)]
        let result = ConfigChecker.check(builder.parsed, name: "web", options: noFilesystem)
        #expect(result.codes == ["path-not-absolute"])
        #expect(result.checked == nil)
    }

    @Test func keyOnADroppedLineWithARestoringFixItIsNotMissing() {
        var builder = ConfigBuilder(["rot=/srv/web", "init /sbin/init", "namespace=all"])
        let rot = builder.range(of: "rot")
        let initLine = builder.range(of: "init /sbin/init")
        let namespace = builder.range(of: "namespace")
        builder.diagnostics = [
            Diagnostic(.unknownKey, "unknown", at: rot, fixIts: [FixIt("fix", replacing: rot, with: "root")]),
            Diagnostic(
                .missingEquals, "no =", at: initLine,
                fixIts: [FixIt("fix", replacing: SourceRange(initLine.lowerBound + 4, initLine.lowerBound + 5), with: "=")]),
            Diagnostic(.unknownKey, "unknown", at: namespace),  // no fix-it: namespaces stays missing
        ]
        let result = ConfigChecker.check(builder.parsed, name: "web", options: noFilesystem)
        // At equal positions the parser's diagnostics come first.
        #expect(result.codes == ["unknown-key", "missing-required-key", "missing-equals", "unknown-key"])
        #expect(result.diagnostics[1].message.contains("'namespaces'"))
    }

    @Test func noMissingKeysWhenTheParserGaveUp() {
        var builder = ConfigBuilder(["root: [", ""], form: .yaml)
        builder.diagnostics = [Diagnostic(.yamlSyntax, "bad", at: SourceRange(6, 7))]
        let result = ConfigChecker.check(builder.parsed, name: "web", options: noFilesystem)
        #expect(result.codes == ["yaml-syntax"])
    }

    @Test func noMissingKeysWhenTheFrontEndSaysItReadOnlyPart() {
        var builder = ConfigBuilder(["root: /srv/\u{FFFD}", ""], form: .yaml)
        builder.config.isIncomplete = true
        builder.diagnostics = [Diagnostic(.invalidUTF8, "bad", at: SourceRange(11, 12))]
        let result = ConfigChecker.check(builder.parsed, name: "web", options: noFilesystem)
        #expect(result.codes == ["invalid-utf8"])
    }

    @Test func cleanConfigYieldsCheckedModelWithDefaults() {
        let builder = ConfigBuilder.minimal()
        let result = ConfigChecker.check(builder.parsed, name: "web", options: noFilesystem)
        #expect(result.diagnostics.isEmpty)
        #expect(
            result.checked
                == CheckedConfig(
                    name: "web", root: "/srv/web", initProgram: InitProgram(path: "/sbin/init", location: .insideRoot),
                    namespaces: .all, maxPhysicalMemory: nil, maxMemory: nil, maxProcesses: nil, cpuShare: nil,
                    netClassID: nil, mounts: [], ioLimits: [], idMapStart: CheckedConfig.defaultIDMapStart, idMapMode: .idmap,
                    stopSignal: CheckedConfig.defaultStopSignal,
                    netBridge: nil, netAddress: nil, netGateway: nil))
        #expect(result.checked?.idMapStart == CheckedConfig.defaultIDMapStart)
    }

    @Test func rootIsNormalisedWithAFixIt() throws {
        let builder = ConfigBuilder.minimal(root: "/srv//web/./")
        let result = ConfigChecker.check(builder.parsed, name: "web", options: noFilesystem)
        #expect(result.codes == ["path-not-normalized"])
        let diagnostic = try #require(result.diagnostics.first)
        #expect(diagnostic.severity == .warning)
        // At the doubled `/` (the first thing out of normal form); the fix-it rewrites the path.
        let root = try #require(builder.config.root?.valueRange)
        #expect(diagnostic.range == SourceRange(root.lowerBound + 5, root.lowerBound + 6))
        #expect(diagnostic.fixIts.map(\.range) == [root])
        #expect(diagnostic.fixIts.map(\.replacement) == ["/srv/web"])
        #expect(result.checked?.root == "/srv/web")
    }

    @Test func mountDestinationRules() throws {
        var builder = ConfigBuilder.minimal(extra: [
            "mount=/a:/data/", "mount=/b:/x/../y", "mount=/c:/", "mount_ro=/d:/data", "mount=/e:/opt",
        ])
        builder.config.mounts = [
            builder.mount("mount", "/a", "/data/"), builder.mount("mount", "/b", "/x/../y"),
            builder.mount("mount", "/c", "/"), builder.mount("mount_ro", "/d", "/data"),
            builder.mount("mount", "/e", "/opt"),
        ]
        let result = ConfigChecker.check(builder.parsed, name: "web", options: noFilesystem)
        #expect(
            result.codes == [
                "path-not-normalized", "mount-destination-dotdot", "mount-destination-root",
                "duplicate-mount-destination",
            ])
        let duplicate = try #require(result.diagnostics.last)
        #expect(duplicate.range == builder.config.mounts[3].value?.destination.range)
        #expect(duplicate.notes.map(\.range) == [builder.config.mounts[0].value!.destination.range])
        #expect(result.checked == nil)
    }

    @Test func checkedMountsHaveNormalisedDestinations() {
        var builder = ConfigBuilder.minimal(extra: ["mount_ro=/srv/www:/var//www/"])
        builder.config.mounts = [builder.mount("mount_ro", "/srv/www", "/var//www/")]
        let result = ConfigChecker.check(builder.parsed, name: "web", options: noFilesystem)
        #expect(result.codes == ["path-not-normalized"])
        #expect(result.checked?.mounts == [CheckedConfig.Mount(source: "/srv/www", destination: "/var/www", readOnly: true)])
    }

    @Test func sameDeviceSameKindTwiceIsAnError() throws {
        var builder = ConfigBuilder.minimal(extra: [
            "iops_limit=8:0 100", "io_bw_limit=8:0 1000", "iops_limit=8:16 5", "iops_limit=8:0 200",
        ])
        builder.config.ioLimits = [
            builder.ioLimit("iops_limit", major: 8, minor: 0, value: 100),
            builder.ioLimit("io_bw_limit", major: 8, minor: 0, value: 1000),
            builder.ioLimit("iops_limit", major: 8, minor: 16, value: 5),
            builder.ioLimit("iops_limit", major: 8, minor: 0, value: 200),
        ]
        let result = ConfigChecker.check(builder.parsed, name: "web", options: noFilesystem)
        #expect(result.codes == ["duplicate-device-limit"])
        let diagnostic = try #require(result.diagnostics.first)
        #expect(diagnostic.range == builder.config.ioLimits[3].value?.device.range)
        #expect(diagnostic.notes.map(\.range) == [builder.config.ioLimits[0].value!.device.range])
    }

    @Test func totalMemoryBelowPhysicalPointsAtTotalWithNoteAtPhysical() throws {
        var builder = ConfigBuilder.minimal(extra: ["max_physical_memory=1G", "max_memory=512M"])
        builder.config.maxPhysicalMemory = builder.setting("max_physical_memory", "1G", MemoryLimit.bytes(1 << 30))
        builder.config.maxMemory = builder.setting("max_memory", "512M", MemoryLimit.bytes(512 << 20))
        let result = ConfigChecker.check(builder.parsed, name: "web", options: noFilesystem)
        #expect(result.codes == ["memory-total-below-physical"])
        let diagnostic = try #require(result.diagnostics.first)
        #expect(diagnostic.range == builder.config.maxMemory?.valueRange)
        #expect(diagnostic.notes.map(\.range) == [builder.config.maxPhysicalMemory!.valueRange])
    }

    @Test(arguments: [
        (MemoryLimit.bytes(1 << 30), MemoryLimit.bytes(1 << 30), false),
        (MemoryLimit.bytes(1 << 30), MemoryLimit.unlimited, false),
        (MemoryLimit.unlimited, MemoryLimit.bytes(1 << 30), true),
        (MemoryLimit.bytes(1 << 30), MemoryLimit.bytes((1 << 30) - 1), true),
    ])
    func totalAgainstPhysical(physical: MemoryLimit, total: MemoryLimit, isError: Bool) {
        var builder = ConfigBuilder.minimal(extra: ["max_physical_memory=P", "max_memory=T"])
        builder.config.maxPhysicalMemory = builder.setting("max_physical_memory", "P", physical)
        builder.config.maxMemory = builder.setting("max_memory", "T", total)
        let result = ConfigChecker.check(builder.parsed, name: "web", options: noFilesystem)
        #expect(result.codes.contains("memory-total-below-physical") == isError)
    }

    @Test func sizeBelowFourMebibytesWarns() {
        var builder = ConfigBuilder.minimal(extra: ["max_physical_memory=4194303", "max_memory=4M"])
        builder.config.maxPhysicalMemory = builder.setting("max_physical_memory", "4194303", MemoryLimit.bytes(4_194_303))
        builder.config.maxMemory = builder.setting("max_memory", "4M", MemoryLimit.bytes(4 << 20))
        let result = ConfigChecker.check(builder.parsed, name: "web", options: noFilesystem)
        #expect(result.codes == ["size-too-small"])
        #expect(result.diagnostics.first?.range == builder.config.maxPhysicalMemory?.valueRange)
        #expect(result.checked != nil, "a warning does not block the checked model")
    }

    @Test(arguments: ["phtic", "uphtic"])
    func idMapNeedsTheUserNamespace(namespaces: String) {
        var builder = ConfigBuilder.minimal(namespaces: namespaces, extra: ["id_map_start=200000"])
        builder.config.idMapStart = builder.setting("id_map_start", "200000", UInt32(200_000))
        let result = ConfigChecker.check(builder.parsed, name: "web", options: noFilesystem)
        #expect(result.codes == (namespaces.contains("u") ? [] : ["id-map-without-user-namespace"]))
        #expect(result.checked?.idMapStart == 200_000)
    }

    @Test(arguments: [(.v2, true), (.v1, false), (nil, false)] as [(CgroupVersion?, Bool)])
    func netClassIDOnCgroupV2(version: CgroupVersion?, warns: Bool) {
        var builder = ConfigBuilder.minimal(extra: ["net_classid=0x00100001"])
        builder.config.netClassID = builder.setting("net_classid", "0x00100001", UInt32(0x0010_0001))
        let options = CheckOptions(useFilesystem: false, cgroupVersion: version)
        let result = ConfigChecker.check(builder.parsed, name: "web", options: options)
        #expect(result.codes == (warns ? ["net-classid-no-effect"] : []))
    }

    @Test func diagnosticsAreInSourceOrderWithTheParsers() {
        var builder = ConfigBuilder.minimal(root: "/srv//web", extra: ["max_memory=1", "bogus=1"])
        builder.config.maxMemory = builder.setting("max_memory", "1", MemoryLimit.bytes(1))
        let bogus = builder.range(of: "bogus")
        builder.diagnostics = [Diagnostic(.unknownKey, "unknown", at: bogus)]
        let result = ConfigChecker.check(builder.parsed, name: "web", options: noFilesystem)
        #expect(result.codes == ["path-not-normalized", "size-too-small", "unknown-key"])
        #expect(result.checked == nil)
    }
}
