import Foundation
import Testing

extension Integration {
    /// The v2 path, for real: on the development machines a cgroup2 hierarchy without
    /// controllers is mounted at /sys/fs/cgroup/unified. Mounted again on /sys/fs/cgroup in a
    /// private mount namespace, it makes a pure v2 host for the probe there, so `plan` (auto)
    /// and `start --plan` create and attach in it, and `kill` (from the host, which sees it at
    /// /sys/fs/cgroup/unified) kills (`cgroup.kill`) and waits (`cgroup.events`) there.
    @Suite struct CgroupV2Tests {
        /// A pure cgroup v2 host, for `containerInMountNamespace`.
        static let v2Host = "mount -t cgroup2 none /sys/fs/cgroup"

        @Test func aV2PlanStartsInTheUnifiedHierarchyAndKillUsesCgroupKill() throws {
            let env = try TestEnvironment()
            try #require(
                CgroupSweeper.hierarchies().contains("/sys/fs/cgroup/unified"),
                "this test needs the cgroup2 hierarchy at /sys/fs/cgroup/unified")
            try env.writeScript("/sbin/test-init", "(sleep 100005 &)\nexec sleep 100000")
            try env.writeConfig("unified", init: "/sbin/test-init", namespaces: "h")
            let plan = try env.containerInMountNamespace(Self.v2Host, ["plan", "unified", "--format", "json"])
            try #require(plan.status == 0, "\(plan)")
            let json = try #require(plan.stdout.components(separatedBy: "--- after").first)
            #expect(json.contains("\"cgroup\" : \"v2\"") || json.contains("\"cgroup\": \"v2\""), "probed as v2: \(json)")
            let planFile = env.base.path + "/unified-plan.json"
            try Data(json.utf8).write(to: URL(fileURLWithPath: planFile))

            let start = try env.containerInMountNamespace(Self.v2Host, ["start", "--plan", planFile])

            try #require(start.status == 0, "\(start)")
            let cgroup = env.cgroupPath("unified", "unified")
            #expect(eventually { CgroupSweeper.processes(cgroup).count >= 2 }, "init and its daemon are in \(cgroup)")
            let events = (try? String(contentsOfFile: cgroup + "/cgroup.events", encoding: .utf8)) ?? ""
            #expect(events.contains("populated 1"), "\(events)")
            let members = CgroupSweeper.processes(cgroup)
            #expect(try env.listed("unified")?.running == true)

            let kill = try env.container(["kill", "unified"])

            #expect(kill.status == 0, "\(kill)")
            for member in members { #expect(!processExists(member)) }
            #expect(!CgroupSweeper.isDirectory(cgroup), "the v2 cgroup is removed")
        }
    }
}
