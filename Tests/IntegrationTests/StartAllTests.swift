import Foundation
import Testing

extension Integration {
    /// `start-all`: every configured container that is not running, past failures.
    @Suite struct StartAllTests {
        @Test func startsTheGoodSkipsTheRunningReportsTheBroken() throws {
            let env = try TestEnvironment()
            try env.writeScript("/sbin/test-init", "exec sleep 100000")
            try env.writeConfig("good1", init: "/sbin/test-init", namespaces: "ph")
            try env.writeConfig("good2", init: "/sbin/test-init", namespaces: "ph")
            try env.writeConfig("already", init: "/sbin/test-init", namespaces: "ph")
            try env.writeRawConfig("broken", "root=\(env.rootfs)\ninit=/sbin/test-init\nnamespaces=xyz\n")
            let runningPID = try env.startDetached("already")

            let result = try env.container(["start-all"], timeout: 60)

            #expect(result.status != 0, "a failure makes start-all fail: \(result)")
            #expect(!result.timedOut, "start-all returns when done")
            let output = result.stdout + result.stderr
            #expect(output.contains("broken"), "the broken one is reported: \(result)")
            #expect(output.contains("already"), "the running one is reported as skipped: \(result)")
            let listed = try env.listJSON()
            #expect(listed.first { $0.name == "good1" }?.running == true)
            #expect(listed.first { $0.name == "good2" }?.running == true)
            #expect(listed.first { $0.name == "broken" }?.running == false)
            #expect(
                listed.first { $0.name == "already" } == .init(name: "already", running: true, pid: runningPID),
                "the running container is left as it was")
        }

        @Test func allGoodExitsZero() throws {
            let env = try TestEnvironment()
            try env.writeScript("/sbin/test-init", "exec sleep 100000")
            try env.writeConfig("one", init: "/sbin/test-init", namespaces: "h")
            // One container in the YAML form: start-all finds configs/NAME.yaml too.
            try env.writeRawConfig("two.yaml", "root: \(env.rootfs)\ninit: /sbin/test-init\nnamespaces: h\n")

            let result = try env.container(["start-all"], timeout: 60)

            #expect(result.status == 0, "\(result)")
            #expect(try env.listJSON(["-r"]).map(\.name) == ["one", "two"])
        }
    }
}
