import ConfigLanguage
import ConfigSource
import Diagnostics
import Testing
@testable import ConfigChecker

/// The id_map_mode rules (language.md §12) against an in-memory filesystem whose idmap
/// support is given per path.
@Suite struct IDMapRuleTests {
    /// FakeFileSystem with an answer for idmapped mounts: paths under `refusing` are ramfs.
    struct Probe: FileSystemProbe {
        let fake: FakeFileSystem
        var refusing: [String] = []
        func linkStatus(_ path: String) -> FileStatus? { fake.linkStatus(path) }
        func status(_ path: String) -> FileStatus? { fake.status(path) }
        func symlinkTarget(_ path: String) -> String? { fake.symlinkTarget(path) }
        func readPrefix(_ path: String, maxBytes: Int) -> [UInt8]? { fake.readPrefix(path, maxBytes: maxBytes) }
        func idmapSupport(_ path: String) -> IDMapSupport {
            refusing.contains { path == $0 || path.hasPrefix($0 + "/") }
                ? .unsupported(fileSystem: "ramfs", reason: "test") : .supported
        }
    }

    static func check(_ text: String, rootOwner: UInt32 = 0, refusing: [String] = [], yaml: Bool = false) -> CheckResult {
        let fs = FakeFileSystem()
        fs.directory("/srv/web", owner: rootOwner)
        fs.file("/srv/web/sbin/init")
        fs.directory("/srv/data")
        fs.mountCgroups(v1: ["devices", "freezer", "pids", "memory", "net_cls"])
        fs.file("/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes", mode: 0o644, contents: "")
        let parsed = ConfigParser.parse(SourceFile(path: yaml ? "web.yaml" : "web", bytes: Array(text.utf8)))
        return ConfigChecker.check(parsed, name: "web", options: CheckOptions(fileSystem: Probe(fake: fs, refusing: refusing)))
    }

    static let base = "root=/srv/web\ninit=/sbin/init\nnamespaces=uph\n"

    @Test func aRootOwnedByHostRootIsCleanWithTheDefault() {
        let result = Self.check(Self.base + "mount=/srv/data:/data\n")
        #expect(result.diagnostics.map(\.code) == [])
        #expect(result.checked?.idMapMode == .idmap && result.checked?.usesIDMappedMounts == true)
        #expect(result.checked?.mounts.first?.idmap == true)
    }

    @Test func aChownedRootWithTheDefaultIsAMismatchPointingAtTheRoot() {
        let result = Self.check(Self.base, rootOwner: 100_000)
        // Owned by someone else than host root: also insecure in idmap mode.
        #expect(result.diagnostics.map(\.code) == ["root-insecure", "id-map-mode-mismatch"])
        #expect(result.diagnostics.last?.message.contains("add 'id_map_mode=none'") == true)
        #expect(result.diagnostics.last?.fixIts.isEmpty == true)
    }

    @Test func aChownedRootWithNoneIsNeitherAMismatchNorInsecure() {
        let result = Self.check(Self.base + "id_map_mode=none\n", rootOwner: 100_000)
        #expect(result.diagnostics.map(\.code) == [])
        #expect(result.checked?.usesIDMappedMounts == false)
        // Another owner is still insecure.
        #expect(
            Self.check(Self.base + "id_map_mode=none\n", rootOwner: 1000).diagnostics.map(\.code)
                == ["root-insecure", "id-map-mode-mismatch"])
    }

    @Test func noneWithAHostRootRootGetsTheFixItToIdmap() throws {
        let result = Self.check(Self.base + "id_map_mode=none\n")
        let diagnostic = try #require(result.diagnostics.first)
        #expect(diagnostic.code == "id-map-mode-mismatch" && diagnostic.severity == .warning)
        #expect(diagnostic.fixIts.map(\.replacement) == ["idmap"])
    }

    @Test func unsupportedRootAndMountSourcesAreErrorsUnlessOptedOut() {
        let result = Self.check(
            Self.base + "mount=/srv/data:/data\nmount_ro=/srv/data:/ro:noidmap\n",
            refusing: ["/srv/web", "/srv/data"])
        #expect(result.diagnostics.map(\.code) == ["idmap-unsupported", "idmap-unsupported"])
        #expect(result.diagnostics.last?.fixIts.map(\.replacement) == [":noidmap"])
        #expect(result.checked == nil)
        // With none, or without u, nothing is idmapped and nothing is probed.
        #expect(Self.check(Self.base + "id_map_mode=none\n", rootOwner: 100_000, refusing: ["/srv/web"]).diagnostics.isEmpty)
        let withoutUser = Self.check("root=/srv/web\ninit=/sbin/init\nnamespaces=ph\n", refusing: ["/srv/web"])
        #expect(withoutUser.diagnostics.isEmpty)
    }

    @Test func yamlMountsOptOutWithIdmapFalse() {
        let yaml =
            "root: /srv/web\ninit: /sbin/init\nnamespaces: [user, pid]\nmounts:\n  - { source: /srv/data, target: /data, idmap: false }\n  - /srv/data:/plain:noidmap\n"
        let result = Self.check(yaml, refusing: ["/srv/data"], yaml: true)
        #expect(result.diagnostics.map(\.code) == [])
        #expect(result.checked?.mounts.map(\.idmap) == [false, false])
    }
}
