import ConfigChecker
import ConfigLanguage
import HostCgroups
import LaunchPlan
import Testing

private typealias S = PlanTestSupport

/// What the plan does when the host lacks a controller the config needs: it leaves it out
/// and says so in a note (creating it would fail, or create a plain directory), and the
/// checker warns about the same key.
@Suite struct PlanGeneratorHostTests {
    @Test func unmountedV1ControllerIsLeftOutWithANote() throws {
        var layout = S.v1Layout
        layout.mountedV1Controllers = [.devices, .freezer, .pids, .memory]
        let config = S.config(maxMemory: .bytes(1 << 30), netClassID: 7)
        let plan = try PlanGenerator.generate(
            config,
            options: PlanOptions(
                cgroupLayout: layout, stateDirectory: S.state, configPath: "/c/web", configBytes: []))
        #expect(
            !plan.steps.contains { step in
                if case let .createCgroup(path) = step.action { path.contains("net_cls") } else { false }
            })
        #expect(S.written(plan, "memory.memsw.limit_in_bytes") == String(1 << 30))
        #expect(plan.notes.contains { $0.contains("net_cls") && $0.contains("net_classid is not applied") })
    }

    @Test func unavailableV2ControllerIsLeftOutWithANote() throws {
        var layout = S.v2Layout
        layout.availableV2Controllers = [.pids]
        let config = S.config(maxPhysicalMemory: .bytes(1 << 28), maxProcesses: .count(5), cpuShare: 100)
        let plan = try PlanGenerator.generate(
            config,
            options: PlanOptions(
                cgroupLayout: layout, stateDirectory: S.state, configPath: "/c/web", configBytes: []))
        #expect(S.written(plan, "cgroup.subtree_control") == "+pids")
        #expect(S.written(plan, "pids.max") == "5")
        #expect(S.written(plan, "memory.max") == nil)
        #expect(S.written(plan, "cpu.weight") == nil)
        #expect(plan.notes.contains { $0.hasPrefix("the memory controller is not available") })
        #expect(plan.notes.contains { $0.hasPrefix("the cpu controller is not available") })
    }

    /// The running host, through the same path `plan` and `start` use: whatever it has, every
    /// cgroup the plan creates is under a mounted hierarchy.
    @Test func hostOptionsOnlyUseMountedHierarchies() throws {
        let probe = CgroupProbe.probeHost()
        let options = PlanOptions.forHost(
            probe, parent: try CgroupLayout.parentFromEnvironment(), stateDirectory: .init(path: "relative/state"), configPath: "configs/web", configBytes: [])
        #expect(options.stateDirectory.path.hasPrefix("/"))
        #expect(options.configPath.hasPrefix("/") && options.configPath.hasSuffix("/configs/web"))
        try #require(probe.shortfall == nil, "this host has a usable cgroup: \(probe)")
        let plan = try PlanGenerator.generate(S.config(maxPhysicalMemory: .bytes(1 << 30), netClassID: 1), options: options)
        for step in plan.steps {
            guard case let .createCgroup(path) = step.action else { continue }
            if options.cgroupLayout.version == .v1 {
                #expect(probe.v1Controllers.contains { path.hasPrefix(probe.root + "/" + $0.rawValue + "/") })
            } else {
                #expect(path.hasPrefix((probe.v2Root ?? probe.root) + "/"))
            }
        }
    }

    @Test(arguments: [
        ("/a/./b/../c", "/a/c"), ("/../x", "/x"), ("//a//b/", "/a/b"), ("/", "/"),
    ])
    func absolutePathNormalises(input: String, expected: String) {
        #expect(absolutePath(input) == expected)
    }
}
