import Foundation
import Testing

extension Integration {
    /// `list` (text and JSON) and `kill`, decided by the cgroup.
    @Suite struct ListKillTests {
        @Test func listShowsEveryConfiguredContainerInTextAndJSON() throws {
            let env = try TestEnvironment()
            try env.writeScript("/sbin/test-init", "exec sleep 100000")
            try env.writeConfig("alpha", init: "/sbin/test-init", namespaces: "ph")
            try env.writeConfig("beta", init: "/sbin/test-init", namespaces: "ph")
            try env.writeRawConfig("beta~", "editor leftover, not a container\n")
            let long = "z" + String(repeating: "-long", count: 8)  // 41 characters: wider than the column
            try env.writeConfig(long, init: "/sbin/test-init", namespaces: "ph")
            let pid = try env.startDetached("alpha")

            #expect(
                try env.listJSON() == [
                    .init(name: "alpha", running: true, pid: pid),
                    .init(name: "beta", running: false, pid: nil),
                    .init(name: long, running: false, pid: nil),
                ])
            #expect(try env.listJSON(["-r"]) == [.init(name: "alpha", running: true, pid: pid)])

            let text = try env.container(["list"])
            #expect(text.status == 0)
            // The seed's two columns first (the usage columns follow: ListUsageTests).
            let rows = text.stdout.split(separator: "\n").map { Array($0.split(separator: " ").map(String.init).prefix(2)) }
            #expect(rows == [["NAME", "RUNNING"], ["alpha", "Yes"], ["beta", "No"], [long, "No"]], "\(text)")
            #expect(
                text.stdout.hasPrefix("NAME" + String(repeating: " ", count: 28) + "RUNNING "),
                "the seed's header: NAME padded to 32 columns")
            let running = try env.container(["list", "-r"])
            #expect(!running.stdout.contains("beta"))
        }

        @Test func killStopsEveryProcessAndCleansUp() throws {
            let env = try TestEnvironment()
            try env.writeScript("/sbin/test-init", "sleep 100001 &\nsleep 100002 &\nexec sleep 100000")
            try env.writeConfig("victim", init: "/sbin/test-init", namespaces: "ph")
            let pid = try env.startDetached("victim")
            #expect(eventually { env.processes(of: "victim").count >= 3 })
            let members = env.processes(of: "victim")

            let result = try env.container(["kill", "victim"])

            #expect(result.status == 0, "\(result)")
            for member in members { #expect(!processExists(member), "pid \(member) survived") }
            #expect(!processExists(pid))
            for controller in ["pids", "freezer", "devices", "unified"] {
                #expect(!CgroupSweeper.isDirectory(env.cgroupPath(controller, "victim")))
            }
            #expect(!FileManager.default.fileExists(atPath: env.statePath + "/pids/victim"))
            #expect(try env.listed("victim") == .init(name: "victim", running: false, pid: nil))
        }

        @Test func aRunningContainerWhoseConfigWasRemovedIsStillListedAndKillable() throws {
            let env = try TestEnvironment()
            try env.writeScript("/sbin/test-init", "exec sleep 100000")
            try env.writeConfig("orphan", init: "/sbin/test-init", namespaces: "h")
            let pid = try env.startDetached("orphan")
            try FileManager.default.removeItem(atPath: env.statePath + "/configs/orphan")

            #expect(try env.listJSON() == [.init(name: "orphan", running: true, pid: pid)])
            let kill = try env.container(["kill", "orphan"])

            #expect(kill.status == 0, "\(kill)")
            #expect(!processExists(pid))
            #expect(try env.listJSON() == [], "a stopped container without a config is gone")
        }

        @Test func killingAForegroundContainerEndsItsStartWithSIGKILLStatus() throws {
            let env = try TestEnvironment()
            try env.writeScript("/sbin/test-init", "echo up\nexec sleep 100000")
            try env.writeConfig("front", init: "/sbin/test-init", namespaces: "ph")
            let foreground = try env.startContainerCommand(["start", "-d", "front"])
            #expect(env.waitForLog("front", containing: "up"))
            #expect(eventually { (try? env.listed("front"))??.running == true })

            let kill = try env.container(["kill", "front"])
            let start = try foreground.wait(timeout: 20)

            #expect(kill.status == 0, "\(kill)")
            #expect(start.status == 128 + SIGKILL, "start -d reports init's death by SIGKILL: \(start)")
            #expect(try env.listed("front") == .init(name: "front", running: false, pid: nil))
        }

        @Test func killOfAStoppedContainerSaysSoAndExitsOne() throws {
            let env = try TestEnvironment()
            try env.writeScript("/sbin/test-init", "exit 0")
            try env.writeConfig("idle", init: "/sbin/test-init", namespaces: "h")

            let result = try env.container(["kill", "idle"])

            #expect(result.status == 1, "\(result)")
            #expect(result.stderr.contains("not running"), "\(result)")
        }

        @Test func aContainerWhoseInitExitedLeavesNothingAfterTheNextList() throws {
            let env = try TestEnvironment()
            try env.writeScript("/sbin/test-init", "exit 0")
            try env.writeConfig("brief", init: "/sbin/test-init", namespaces: "h")
            let result = try env.container(["start", "-d", "brief"])
            #expect(result.status == 0, "\(result)")

            #expect(try env.listed("brief") == .init(name: "brief", running: false, pid: nil))

            for controller in ["pids", "freezer", "devices", "unified"] {
                #expect(
                    !CgroupSweeper.isDirectory(env.cgroupPath(controller, "brief")),
                    "empty cgroups of a stopped container are removed by list")
            }
        }
    }
}
