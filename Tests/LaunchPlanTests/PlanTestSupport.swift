import ConfigChecker
import ConfigLanguage
import ConfigSource
import ContainerState
import Foundation
import HostCgroups
import LaunchPlan

/// Fixed, machine-independent inputs for plans in tests and goldens.
enum PlanTestSupport {
    static let state = StateDirectory(path: "/containers")

    /// A hybrid host as on the development machines: v1 controllers under /sys/fs/cgroup,
    /// cgroup2 at /sys/fs/cgroup/unified.
    static let v1Layout = CgroupLayout(
        version: .v1, v1Root: "/sys/fs/cgroup", v2Root: "/sys/fs/cgroup/unified",
        parent: "minimal_containers")

    /// A pure v2 host.
    static let v2Layout = CgroupLayout(
        version: .v2, v1Root: "/sys/fs/cgroup", v2Root: "/sys/fs/cgroup", parent: "minimal_containers",
        mountedV1Controllers: [])

    static func layout(_ version: CgroupVersion) -> CgroupLayout {
        version == .v1 ? v1Layout : v2Layout
    }

    static func options(_ version: CgroupVersion, name: String, bytes: [UInt8] = Array("x".utf8)) -> PlanOptions {
        PlanOptions(
            cgroupLayout: layout(version), stateDirectory: state,
            configPath: "/containers/configs/\(name)", configBytes: bytes)
    }

    /// A checked config built by hand (no parser involved).
    static func config(
        name: String = "web", namespaces: String = "", maxPhysicalMemory: MemoryLimit? = nil,
        maxMemory: MemoryLimit? = nil, maxProcesses: ProcessLimit? = nil, cpuShare: Int? = nil,
        netClassID: UInt32? = nil, mounts: [CheckedConfig.Mount] = [],
        ioLimits: [CheckedConfig.DeviceLimit] = [], idMapStart: UInt32 = CheckedConfig.defaultIDMapStart,
        netBridge: String? = nil, netAddress: InterfaceAddress? = nil, netGateway: IPAddress? = nil,
        idMapMode: IDMapMode = .idmap
    ) -> CheckedConfig {
        var set = NamespaceSet()
        for letter in namespaces { set.insert(NamespaceSet(Namespace(rawValue: letter)!)) }
        return CheckedConfig(
            name: name, root: "/srv/\(name)", initProgram: InitProgram(path: "/sbin/init", location: .insideRoot),
            namespaces: set, maxPhysicalMemory: maxPhysicalMemory, maxMemory: maxMemory,
            maxProcesses: maxProcesses, cpuShare: cpuShare, netClassID: netClassID, mounts: mounts,
            ioLimits: ioLimits, idMapStart: idMapStart, idMapMode: idMapMode, stopSignal: CheckedConfig.defaultStopSignal,
            netBridge: netBridge, netAddress: netAddress, netGateway: netGateway)
    }

    static func plan(_ config: CheckedConfig, _ version: CgroupVersion) throws -> Plan {
        try PlanGenerator.generate(config, options: options(version, name: config.name))
    }

    /// The repository root, found from this file's path.
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let fixtureDirectory = repositoryRoot.appendingPathComponent("Fixtures/plan")

    /// Parses and checks a fixture config with the real pipeline (no filesystem rules, so the
    /// result does not depend on the machine). Fails with the diagnostics when it does not check.
    static func compileFixture(_ fileName: String, cgroup: CgroupVersion) throws -> (CheckedConfig, [UInt8]) {
        let url = fixtureDirectory.appendingPathComponent("configs/" + fileName)
        let bytes = [UInt8](try Data(contentsOf: url))
        let file = SourceFile(path: fileName, bytes: bytes)
        let parsed = ConfigParser.parse(file)
        var name = fileName
        if name.hasSuffix(".yaml") { name.removeLast(5) }
        let result = ConfigChecker.check(
            parsed, name: name, options: CheckOptions(useFilesystem: false, cgroupVersion: cgroup))
        guard let checked = result.checked else {
            throw FixtureError(
                message: "\(fileName) does not check: "
                    + result.diagnostics.map { "\($0.code): \($0.message)" }.joined(separator: "; "))
        }
        return (checked, bytes)
    }

    struct FixtureError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    /// The cgroup writes of a plan, as (path, value) pairs in order.
    static func writes(_ plan: Plan) -> [(String, String)] {
        plan.steps.compactMap { step in
            if case let .writeCgroup(path, value) = step.action { (path, value) } else { nil }
        }
    }

    /// The value written to the file whose path ends in `/file`, if any (the first one).
    static func written(_ plan: Plan, _ file: String) -> String? {
        writes(plan).first { $0.0.hasSuffix("/" + file) }?.1
    }

    static func actions(_ plan: Plan) -> [String] { plan.steps.map(\.action.name) }
}
