import Foundation
import Testing

extension Integration {
    /// The v2 path, for real: on the development machines a cgroup2 hierarchy without
    /// controllers is mounted at /sys/fs/cgroup/unified, so a v2 plan without limits creates,
    /// attaches, kills (`cgroup.kill`) and waits (`cgroup.events`) there.
    @Suite struct CgroupV2Tests {
        @Test func aV2PlanStartsInTheUnifiedHierarchyAndKillUsesCgroupKill() throws {
            let env = try TestEnvironment()
            try #require(CgroupSweeper.hierarchies().contains("/sys/fs/cgroup/unified"),
                         "this test needs the cgroup2 hierarchy at /sys/fs/cgroup/unified")
            try env.writeScript("/sbin/test-init", "(sleep 100005 &)\nexec sleep 100000")
            try env.writeConfig("unified", init: "/sbin/test-init", namespaces: "h")
            let plan = try env.container(["plan", "unified", "--format", "json", "--cgroup", "v2"])
            try #require(plan.status == 0, "\(plan)")
            let planFile = env.base.path + "/unified-plan.json"
            try Data(plan.stdout.utf8).write(to: URL(fileURLWithPath: planFile))

            let start = try env.container(["start", "--plan", planFile])

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
