import Foundation
import Testing

extension Integration {
    /// The three ways `container start` runs init (language.md §6).
    @Suite struct StartModeTests {
        @Test func detachedReturnsWithInitRunningAndItsOutputInTheLog() throws {
            let env = try TestEnvironment()
            try env.writeScript("/sbin/test-init", "echo init-started\nexec sleep 100000")
            try env.writeConfig("web", init: "/sbin/test-init")

            let pid = try env.startDetached("web")

            #expect(processExists(pid))
            #expect(env.processes(of: "web").contains(pid))
            #expect(env.waitForLog("web", containing: "init-started"))
        }

        @Test func foregroundExitsWithInitsStatus() throws {
            let env = try TestEnvironment()
            try env.writeScript("/sbin/test-init", "echo foreground-ran\nexit 7")
            try env.writeConfig("web", init: "/sbin/test-init")

            let result = try env.container(["start", "-d", "web"])

            #expect(result.status == 7, "\(result)")
            #expect(env.log("web").contains("foreground-ran"))
            #expect(try env.listed("web")?.running == false, "init exited, so the container stopped")
        }

        @Test func shellModeRunsShellWithPipedInput() throws {
            let env = try TestEnvironment()
            try env.writeScript("/sbin/test-init", "exit 3")
            try env.writeConfig("web", init: "/sbin/test-init")

            // A non-tty stdin: the commands are piped, the shell exits at end of input.
            let result = try env.runner.run(
                env.binary, ["start", "-s", "web", "--path", env.statePath], stdin: "echo hi-from-shell\n",
                environment: env.environment.merging(["SHELL": "/bin/sh"]) { $1 }, timeout: 20)

            #expect(!result.timedOut, "the shell did not see the end of its input: \(result)")
            #expect(result.stdout.contains("hi-from-shell"), "\(result)")
            #expect(result.status == 0, "\(result)")
        }

        @Test func startingARunningContainerIsRefusedAndLeavesItRunning() throws {
            let env = try TestEnvironment()
            try env.writeScript("/sbin/test-init", "exec sleep 100000")
            try env.writeConfig("web", init: "/sbin/test-init")
            let pid = try env.startDetached("web")

            let second = try env.container(["start", "web"])

            #expect(second.status == 1, "\(second)")
            #expect(processExists(pid))
            #expect(try env.listed("web") == .init(name: "web", running: true, pid: pid))
        }

        @Test func aConfigWithErrorsNeverStarts() throws {
            let env = try TestEnvironment()
            try env.writeRawConfig("web", "root=\(env.rootfs)\ninit=/bin/sh\nnamespaces=all\nbogus_key=1\n")

            let result = try env.container(["start", "web"])

            #expect(result.status != 0)
            #expect(env.processes(of: "web").isEmpty)
            #expect(!CgroupSweeper.isDirectory(env.cgroupPath("pids", "web")), "nothing on the system changed")
        }
    }
}
