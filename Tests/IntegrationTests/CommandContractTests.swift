import Foundation
import Testing

extension Integration {
    /// The command-line contract around `start`, `kill` and `check` (language.md §6).
    @Suite struct CommandContractTests {
        /// Runs `container start MODE web` with `/bin/sh` as the shell, a marker variable in
        /// the caller's environment, and `script` piped in.
        static func shell(_ env: TestEnvironment, _ mode: String, _ script: String) throws -> RunResult {
            try env.runner.run(
                env.binary, ["start", mode, "web", "--path", env.statePath], stdin: script,
                environment: env.environment.merging(["SHELL": "/bin/sh", "HARDENING_MARK": "from-the-caller"]) { $1 },
                timeout: 20)
        }

        @Test func shellKeepsTheCallersEnvironmentWithSeAndClearsItWithS() throws {
            let env = try TestEnvironment()
            try env.writeScript("/sbin/test-init", "exit 3")
            try env.writeConfig("web", init: "/sbin/test-init", namespaces: "ph")
            let script = "echo \"mark=[$HARDENING_MARK]\"; echo \"container=[$container]\"; echo \"path=[$PATH]\"\n"

            let cleared = try Self.shell(env, "-s", script)
            let kept = try Self.shell(env, "-se", script)

            #expect(cleared.status == 0 && kept.status == 0, "\(cleared)\n\(kept)")
            #expect(cleared.stdout.contains("mark=[]"), "-s clears the caller's variables: \(cleared)")
            #expect(kept.stdout.contains("mark=[from-the-caller]"), "-se keeps them: \(kept)")
            #expect(cleared.stdout.contains("container=[minimal_containers]"), "the plan's variables: \(cleared)")
            #expect(kept.stdout.contains("container=[minimal_containers]"), "the plan's variables fill in: \(kept)")
            let callerPath = ProcessInfo.processInfo.environment["PATH"] ?? ""
            #expect(kept.stdout.contains("path=[\(callerPath)]"), "-se keeps the caller's PATH: \(kept)")
            #expect(cleared.stdout.contains("path=[/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin]"), "\(cleared)")
        }

        /// Usage errors exit 2 (not ArgumentParser's 64), before anything is touched.
        @Test(arguments: [
            ["kill"], ["check", "--no-such-option", "web"], ["start", "../x"],
            ["start"], ["start", "-d", "-s", "web"], ["list", "--format", "yaml"],
        ])
        func usageErrorsExitWithStatus2(_ arguments: [String]) throws {
            let env = try TestEnvironment()
            try env.writeConfig("web", init: "/bin/true", namespaces: "ph")
            let before = HostMarker.read(env.statePath)

            let result = try env.container(arguments)

            #expect(result.status == 2, "\(arguments): \(result)")
            #expect(!result.stderr.isEmpty, "says why: \(result)")
            #expect(HostMarker.read(env.statePath) == before)
        }
    }
}
