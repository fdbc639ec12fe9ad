import ConfigChecker
import ConfigLanguage
import ContainerState
import Foundation
import JSONSupport
import LaunchPlan
import OCIBundle
import Testing

private typealias S = OCITestSupport

/// The mapping of language.md §10, key by key, and the shared defaults: each value of the
/// bundle is compared with what the native plan does with the same checked config.
@Suite struct OCISpecTests {
    /// The native v1 plan of the same config (fixed layout), for cross-checks.
    static func nativeWrites(_ config: CheckedConfig) throws -> [(String, String)] {
        let layout = CgroupLayout(version: .v1, v1Root: "/sys/fs/cgroup", v2Root: nil, parent: "p")
        let plan = try PlanGenerator.generate(
            config,
            options: PlanOptions(
                cgroupLayout: layout, stateDirectory: StateDirectory(path: "/c"), configPath: "/c/configs/web",
                configBytes: []))
        return plan.steps.compactMap { if case let .writeCgroup(path, value) = $0.action { (path, value) } else { nil } }
    }

    static func nativeValue(_ writes: [(String, String)], _ file: String) -> String? {
        writes.first { $0.0.hasSuffix("/" + file) }?.1
    }

    @Test(
        arguments: [
            (["max_physical_memory=64M", "max_memory=128M"], 67_108_864, 134_217_728),
            (["max_physical_memory=64M"], 67_108_864, nil),
            (["max_memory=1G"], 1_073_741_824, 1_073_741_824),
            (["max_physical_memory=128M", "max_memory=128M"], 134_217_728, 134_217_728),
            (["max_physical_memory=64M", "max_memory=max"], 67_108_864, -1),
            (["max_physical_memory=-1"], -1, nil),
        ] as [([String], Int64, Int64?)])
    func memoryLimitAndSwapAreTheNativeV1Values(lines: [String], limit: Int64, swap: Int64?) throws {
        let spec = try S.spec(lines)
        let memory = try #require(spec.config.at("linux.resources.memory"))
        #expect(memory["limit"]?.integerValue == limit)
        #expect(memory["swap"]?.integerValue == swap, "memory.swap is memory + swap (v1 memsw)")
        let native = try Self.nativeWrites(try S.check((["root=/srv/web", "init=/sbin/init", "namespaces=none"] + lines).joined(separator: "\n") + "\n"))
        #expect(Self.nativeValue(native, "memory.limit_in_bytes") == String(limit))
        #expect(Self.nativeValue(native, "memory.memsw.limit_in_bytes") == swap.map(String.init))
    }

    @Test func noMemoryKeyNoMemoryObject() throws {
        #expect(try S.spec([]).config.at("linux.resources.memory") == nil)
        #expect(try S.spec([]).config.at("linux.resources").map(\.keys) == ["devices"])
    }

    @Test func processesSharesClassIDAndBlockIO() throws {
        let spec = try S.spec([
            "max_processes=50", "cpu_share=512", "net_classid=0x00100001",
            "iops_limit=8:0 1000", "io_bw_limit=8:16 10M", "iops_limit=259:3 7",
        ])
        let resources = try #require(spec.config.at("linux.resources"))
        #expect(resources.at("pids.limit")?.integerValue == 50)
        #expect(resources.at("cpu.shares")?.integerValue == 512, "cpu.shares is the v1 value; runtimes convert for v2")
        #expect(resources.at("network.classID")?.integerValue == 0x0010_0001)
        let blockIO = try #require(resources["blockIO"])
        #expect(blockIO.keys == ["throttleReadBpsDevice", "throttleWriteBpsDevice", "throttleReadIOPSDevice", "throttleWriteIOPSDevice"])
        func entries(_ key: String) -> [[Int64]] {
            (blockIO[key]?.arrayValue ?? []).map { [$0["major"], $0["minor"], $0["rate"]].compactMap { $0?.integerValue } }
        }
        #expect(entries("throttleReadIOPSDevice") == [[8, 0, 1000], [259, 3, 7]])
        #expect(entries("throttleWriteIOPSDevice") == entries("throttleReadIOPSDevice"))
        #expect(entries("throttleReadBpsDevice") == [[8, 16, 10_485_760]])
        #expect(entries("throttleWriteBpsDevice") == entries("throttleReadBpsDevice"))
        #expect(try S.spec(["max_processes=max"]).config.at("linux.resources.pids.limit")?.integerValue == -1)
    }

    @Test func deviceAllowListDeniesAllThenAllowsExactlyTheDevNodes() throws {
        let spec = try S.spec([])
        let rules = try #require(spec.config.at("linux.resources.devices")?.arrayValue)
        #expect(rules.first == .object([("allow", .bool(false)), ("access", .string("rwm"))]))
        let allowed = rules.dropFirst().map {
            "\($0["type"]?.stringValue ?? "") \($0["major"]?.integerValue ?? -1):\($0["minor"]?.integerValue ?? -1) \($0["access"]?.stringValue ?? "")"
        }
        // An absent minor is every minor (c 136:*, the pty slaves).
        #expect(allowed == ContainerDefaults.deviceNodes.map { "c \($0.major):\($0.minor) rwm" } + ["c 5:2 rwm", "c 136:-1 rwm"])
        #expect(rules.last?["minor"] == nil)
        let nodes = try #require(spec.config.at("linux.devices")?.arrayValue)
        #expect(nodes.map { $0["path"]?.stringValue } == ContainerDefaults.deviceNodes.map { "/dev/" + $0.name })
        #expect(nodes.map { $0["fileMode"]?.integerValue } == ContainerDefaults.deviceNodes.map { Int64($0.mode) })
    }

    @Test(arguments: [
        ("none", ["mount"]), ("u", ["mount", "user"]), ("p", ["pid", "mount"]), ("h", ["uts", "mount"]),
        ("t", ["mount", "time"]), ("i", ["ipc", "mount"]), ("c", ["mount", "cgroup"]),
        ("all", ["pid", "ipc", "uts", "mount", "user", "cgroup", "time"]),
    ])
    func eachLetterIsItsNamespaceAndMountIsAlways(letters: String, types: [String]) throws {
        let spec = try S.spec([], namespaces: letters)
        #expect(spec.config.at("linux.namespaces")?.arrayValue?.compactMap { $0["type"]?.stringValue } == types)
        let hasUTS = types.contains("uts")
        #expect(spec.config["hostname"]?.stringValue == (hasUTS ? "web" : nil), "hostname = NAME with h only (runc refuses it without uts)")
        #expect((spec.config.at("linux.uidMappings") != nil) == types.contains("user"))
        #expect((spec.config.at("linux.timeOffsets") != nil) == types.contains("time"))
        #expect(spec.notes.contains(where: { $0.contains("timeOffsets 0") }) == types.contains("time"), "\(spec.notes)")
    }

    @Test func userNamespaceMapsOneRangeOf65536FromIDMapStart() throws {
        for (lines, start) in [([String](), Int64(CheckedConfig.defaultIDMapStart)), (["id_map_start=200000"], 200_000)] {
            let spec = try S.spec(lines, namespaces: "up")
            let expected = JSONValue.array([
                .object([
                    ("containerID", .integer(0)), ("hostID", .integer(start)), ("size", .integer(65_536)),
                ])
            ])
            #expect(spec.config.at("linux.uidMappings") == expected)
            #expect(spec.config.at("linux.gidMappings") == expected)
        }
    }

    @Test func mountsAreTheNativeTreeInOrder() throws {
        let spec = try S.spec(["mount=/srv/data:/data", "mount_ro=/etc/resolv.conf:/etc/resolv.conf"], namespaces: "p")
        let mounts = try #require(spec.config["mounts"]?.arrayValue)
        #expect(
            mounts.map { $0["destination"]?.stringValue ?? "" }
                == ["/proc", "/dev", "/dev/pts", "/dev/shm", "/tmp", "/sys", "/data", "/etc/resolv.conf"])
        func options(_ index: Int) -> [String] { mounts[index]["options"]?.arrayValue?.compactMap(\.stringValue) ?? [] }
        #expect(mounts[0]["type"]?.stringValue == "proc")
        #expect(options(1).joined(separator: ",") == ContainerDefaults.devTmpfsOptions)
        #expect(mounts[2]["type"]?.stringValue == "devpts" && options(2).joined(separator: ",") == ContainerDefaults.devptsOptions)
        #expect(options(3).joined(separator: ",") == ContainerDefaults.shmTmpfsOptions)
        #expect(options(4).joined(separator: ",") == ContainerDefaults.tmpTmpfsOptions)
        #expect(mounts[5]["source"]?.stringValue == "/sys" && options(5).prefix(2) == ["rbind", "rro"], "the host's /sys, read-only recursively")
        #expect(mounts[6]["source"]?.stringValue == "/srv/data" && options(6) == ["rbind"])
        #expect(options(7) == ["rbind", "ro"])
        // mqueue only with `i`, after /dev/shm as natively.
        let withIPC = try #require(try S.spec([], namespaces: "pi").config["mounts"]?.arrayValue)
        #expect(withIPC.map { $0["destination"]?.stringValue ?? "" } == ["/proc", "/dev", "/dev/pts", "/dev/shm", "/dev/mqueue", "/tmp", "/sys"])
        #expect(spec.notes.contains { $0.hasPrefix("mount: ") }, "rw mount failure semantics differ: \(spec.notes)")
    }

    @Test func userNamespaceWithoutPidNamespaceBindsTheHostsProc() throws {
        let spec = try S.spec([], namespaces: "u")
        let proc = try #require(spec.config["mounts"]?.arrayValue?.first)
        #expect(proc["type"]?.stringValue == "bind" && proc["source"]?.stringValue == "/proc")
        #expect(spec.notes.contains { $0.contains("u without p") })
    }

    @Test func hostInitIsBoundReadOnlyAndRunFromThere() throws {
        let spec = try S.spec(["init=@/usr/local/bin/tini"])
        #expect(spec.config.at("process.args") == .array([.string(OCISpec.hostInitPath)]))
        let last = try #require(spec.config["mounts"]?.arrayValue?.last)
        #expect(last["destination"]?.stringValue == OCISpec.hostInitPath)
        #expect(last["source"]?.stringValue == "/usr/local/bin/tini")
        #expect(last["options"]?.arrayValue?.contains(.string("ro")) == true, "the host's binary must not be writable from inside")
        #expect(spec.notes.contains { $0.contains("@/usr/local/bin/tini") })
        #expect(try S.spec([]).config.at("process.args") == .array([.string("/sbin/init")]))
    }

    @Test func processIsWhatTheNativeStartGivesInit() throws {
        let spec = try S.spec([])
        let process = try #require(spec.config["process"])
        #expect(process["env"] == .array(ContainerDefaults.environment.map(JSONValue.string)))
        #expect(process["cwd"]?.stringValue == "/")
        #expect(process["noNewPrivileges"]?.boolValue == true)
        #expect(process.at("user.uid")?.integerValue == 0)
        let kept = JSONValue.array(ContainerDefaults.keptCapabilities.map { .string(Capability.name($0).uppercased()) })
        #expect(process.at("capabilities")?.keys == ["bounding", "effective", "permitted"], "no inheritable or ambient capabilities")
        for set in ["bounding", "effective", "permitted"] { #expect(process.at("capabilities.\(set)") == kept) }
        #expect(kept.arrayValue?.contains(.string("CAP_SYS_ADMIN")) == false)
        #expect(spec.config.at("linux.maskedPaths") == .array((ContainerDefaults.maskedProcPaths + ContainerDefaults.maskedSysPaths).map(JSONValue.string)))
        #expect(spec.config.at("linux.readonlyPaths") == .array(ContainerDefaults.readOnlyProcPaths.map(JSONValue.string)))
        #expect(spec.config.at("root") == .object([("path", .string("/srv/web")), ("readonly", .bool(false))]))
        #expect(spec.config.at("linux.rootfsPropagation")?.stringValue == "rprivate")
        #expect(spec.config.at("linux.cgroupsPath")?.stringValue == "/minimal_containers/web")
        #expect(spec.notes.first?.contains("logs/web") == true, "the log and pid file have no OCI equivalent")
    }

    @Test func theSameConfigGivesTheSameBytes() throws {
        let text = try String(contentsOf: S.fixtureDirectory.appendingPathComponent("configs/everything"), encoding: .utf8)
        let first = OCISpec.generate(try S.check(text, fileName: "everything"), options: S.options("everything"))
        let second = OCISpec.generate(try S.check(text, fileName: "everything"), options: S.options("everything"))
        #expect(first.text == second.text)
        #expect(first.text.hasSuffix("}\n"))
        #expect(try JSONValue.parse(Array(first.text.utf8)) == first.config)
        #expect(OCISpec.generate(try S.check(text, fileName: "everything")).config.at("linux.cgroupsPath") == nil)
    }

    /// Every golden is valid against the runtime-spec JSON Schema Debian ships
    /// (scripts/validate-oci.py; the schema comes with golang-github-opencontainers-specs-dev,
    /// installed by scripts/install-deps.sh), and the validator does reject a broken config.
    @Test func goldensAreValidAgainstTheRuntimeSpecSchema() throws {
        let goldens = S.configs.map { S.fixtureDirectory.appendingPathComponent("expected/\($0).json").path }
        let valid = try Self.validate(goldens)
        #expect(valid.status == 0, "\(valid.output)")
        let broken = FileManager.default.temporaryDirectory.appendingPathComponent("oci-broken-\(getpid()).json")
        defer { try? FileManager.default.removeItem(at: broken) }
        try Data(#"{"ociVersion": "1.1.0", "linux": {"namespaces": [{"type": "bogus"}]}}"#.utf8).write(to: broken)
        let invalid = try Self.validate([broken.path])
        #expect(invalid.status == 1, "the validator rejects an unknown namespace type: \(invalid.output)")
    }

    static func validate(_ paths: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [S.repositoryRoot.appendingPathComponent("scripts/validate-oci.py").path] + paths
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }
}
