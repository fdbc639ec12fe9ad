import Foundation
import Testing

extension Integration {
    /// `container exec` and `container stop` against real containers.
    @Suite struct ExecStopTests {
        /// The namespaces of a config `all`, as /proc/PID/ns names (plus the mount namespace).
        static let namespaceFiles = ["mnt", "user", "pid", "uts", "time", "ipc", "cgroup"]

        @Test func execRunsTheCommandInsideWithItsStatus() throws {
            let env = try TestEnvironment()
            try env.writeScript("/sbin/test-init", "exec sleep 100000")
            try env.writeConfig("box", init: "/sbin/test-init", namespaces: "all")
            _ = try env.startDetached("box")

            let hello = try exec(env, ["box", "--", "sh", "-c", "echo hello; echo $$; ls /proc/$$/fd; pwd"])
            #expect(hello.status == 0, "\(hello)")
            let lines = hello.stdout.split(separator: "\n").map(String.init)
            #expect(lines.first == "hello")
            let pid = Int(lines.count > 1 ? lines[1] : "") ?? 0
            #expect(pid > 1 && pid < 100, "a small pid of the container's pid namespace, not init's 1: \(lines)")
            #expect(Array(lines.dropFirst(2)) == ["0", "1", "2", "/"], "no host fd leaked, cwd /: \(lines)")

            #expect(try exec(env, ["box", "sh", "-c", "exit 3"]).status == 3)
            let missing = try exec(env, ["box", "no-such-command"])
            #expect(missing.status == 127 && missing.stderr.contains("not found inside the container"), "\(missing)")
            let notExecutable = try exec(env, ["box", "/etc"])
            #expect(notExecutable.status == 126 && notExecutable.stderr.contains("cannot be executed"), "\(notExecutable)")
            let sealed = try exec(env, ["box", "@/bin/busybox", "echo", "from the host"])
            #expect(sealed.status == 0 && sealed.stdout == "from the host\n", "a host program runs from its sealed copy: \(sealed)")
            let forced = try exec(env, ["-t", "box", "sh", "-c", "[ -t 0 ] && [ -t 1 ] && echo terminal"])
            #expect(forced.status == 0 && forced.stdout.contains("terminal"), "-t gives a pseudo-terminal: \(forced)")
            let refused = try exec(env, ["-T", "box", "sh", "-c", "[ -t 0 ] || echo plain"])
            #expect(refused.status == 0 && refused.stdout == "plain\n", "-T: plain stdio: \(refused)")
            let caller = env.environment.merging(["EXEC_TEST_VARIABLE": "kept"]) { $1 }
            let policy = "echo \"[$EXEC_TEST_VARIABLE] $PATH\""
            let cleared = try env.runner.run(env.binary, ["exec", "box", "sh", "-c", policy], environment: caller)
            #expect(
                cleared.stdout == "[] /usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n",
                "init's environment, not the caller's: \(cleared)")
            let kept = try env.runner.run(env.binary, ["exec", "-e", "box", "sh", "-c", "echo \"[$EXEC_TEST_VARIABLE]\""], environment: caller)
            #expect(kept.stdout == "[kept]\n", "-e keeps the caller's environment: \(kept)")
            let piped = try exec(env, ["box", "cat"], stdin: "line one\nline two\n")
            #expect(piped.status == 0 && piped.stdout == "line one\nline two\n", "plain stdio without a terminal: \(piped)")
        }

        /// Under a real terminal (script(1)), `exec -t` gives the command a pty of the
        /// container's own devpts: `tty` names it (/dev/pts/N inside; a host pty's slave has no
        /// name there), the caller's window size is its size; without a terminal `-T` still
        /// passes stdio straight through.
        @Test func execUnderATerminalGivesAPtyOfTheContainersDevpts() throws {
            let env = try TestEnvironment()
            try env.writeScript("/sbin/test-init", "exec sleep 100000")
            try env.writeConfig("box", init: "/sbin/test-init", namespaces: "all")
            _ = try env.startDetached("box")
            let exec = "\(env.binary) exec"

            let tty = try underATerminal(env, "\(exec) -t box tty")
            #expect(tty.status == 0, "\(tty)")
            // The terminal may echo a control character before the line (script's ^@ on EOF).
            let number = tty.stdout.firstMatch(of: /\/dev\/pts\/([0-9]+)/).flatMap { Int($0.1) }
            #expect(number.map { $0 < 16 } == true, "tty names a small /dev/pts/N of the container's devpts: \(tty)")
            #expect(!tty.stdout.contains("not a tty"), "\(tty)")

            let size = try underATerminal(env, "stty rows 33 cols 77; \(exec) -t box sh -c 'stty size; echo ok'")
            #expect(size.status == 0 && size.stdout.contains("33 77") && size.stdout.contains("ok"), "the caller's size: \(size)")

            let missing = try underATerminal(env, "\(exec) -t box no-such-command")
            #expect(missing.status == 127 && missing.stdout.contains("not found inside the container"), "the error on the pty: \(missing)")
            let piped = try self.exec(env, ["-T", "box", "sh", "-c", "[ -t 0 ] || [ -t 1 ] || echo plain; cat"], stdin: "in\n")
            #expect(piped.status == 0 && piped.stdout == "plain\nin\n", "no terminal: stdio straight through: \(piped)")
        }

        private func underATerminal(_ env: TestEnvironment, _ command: String) throws -> RunResult {
            try env.runner.run("/usr/bin/script", ["-qec", command, "/dev/null"], stdin: "", environment: env.environment, timeout: 30)
        }

        @Test func execJoinsEveryNamespaceAndTheCgroupOfInit() throws {
            let env = try TestEnvironment()
            try env.writeScript("/sbin/test-init", "exec sleep 100000")
            try env.writeConfig("joined", init: "/sbin/test-init", namespaces: "all")
            let initPID = try env.startDetached("joined")

            let script =
                "for n in \(Self.namespaceFiles.joined(separator: " ")); do readlink /proc/self/ns/$n; done; "
                + "echo ---; cat /proc/self/cgroup; echo ---; cat /proc/1/cgroup"
            let result = try exec(env, ["joined", "sh", "-c", script])
            #expect(result.status == 0, "\(result)")
            let parts = result.stdout.components(separatedBy: "---\n")
            try #require(parts.count == 3, "\(result)")
            let inside = parts[0].split(separator: "\n").map(String.init)
            let initLinks = Self.namespaceFiles.map { (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(initPID)/ns/\($0)")) ?? "?" }
            #expect(inside == initLinks, "the exec'd process is in init's namespaces")
            #expect(parts[1] == parts[2], "the exec'd process is in init's cgroups")
        }

        @Test func theJoiningProcessIsNonDumpableAndInTheCgroupBeforeItsCommandRuns() throws {
            let env = try TestEnvironment()
            try env.writeScript("/sbin/test-init", "exec sleep 100000")
            try env.writeConfig("watched", init: "/sbin/test-init", namespaces: "all")
            let initPID = try env.startDetached("watched")
            let steps = try env.plannedSteps("watched", ["--exec", "true"])
            let join = try #require(steps.firstIndex { $0.action == "joinNamespaces" })

            // The joining process (`container exec` itself) stops itself right after joining
            // (test hook); the test looks at it from the host, then lets it go on. The trace
            // records PR_GET_DUMPABLE after each step of the launcher and the command (the kernel
            // shows it nowhere in /proc).
            let trace = env.base.appendingPathComponent("exec-trace").path
            let running = try env.runner.start(
                env.binary, ["exec", "watched", "true"],
                environment: env.environment.merging([
                    "CONTAINERS_STOP_AFTER_STEP": String(join + 1), "CONTAINERS_TRACE_STEPS": trace,
                ]) { $1 })
            var stopped: Int32?
            #expect(
                eventually {
                    stopped = env.processes(of: "watched").first { $0 != initPID && procState($0) == "T" }
                    return stopped != nil
                }, "the joining process, stopped, is in the container's cgroup")
            #expect(stopped == running.process.processIdentifier, "the joining process is `container exec` itself")
            if let stopped {
                for file in Self.namespaceFiles {
                    let mine = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(stopped)/ns/\(file)")
                    let theirs = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(initPID)/ns/\(file)")
                    // pid and time apply to children only: the joiner's own stay the host's.
                    if file == "pid" || file == "time" { continue }
                    #expect(mine != nil && mine == theirs, "\(file)")
                }
                #expect(procFile(stopped, "cgroup") == procFile(initPID, "cgroup"))
                kill(stopped, SIGCONT)
            }
            let result = try running.wait(timeout: 20)
            #expect(result.status == 0, "\(result)")
            let lines = (try String(contentsOfFile: trace, encoding: .utf8)).split(separator: "\n").map(String.init)
            let actions = lines.map { String($0.split(separator: " ")[2]) }
            let firstEnter = try #require(actions.firstIndex(of: "enterCgroup"), "\(lines)")
            let joined = try #require(actions.firstIndex(of: "joinNamespaces"), "\(lines)")
            #expect(actions.lastIndex(of: "enterCgroup")! < joined, "every cgroup before any namespace: \(lines)")
            #expect(actions[joined + 1] == "forkCommand" && lines[joined + 1].contains(" launcher "), "\(lines)")
            let joining = lines[firstEnter...joined + 1]
            #expect(
                joining.allSatisfy { $0.contains(" launcher ") && $0.hasSuffix(" dumpable=0") },
                "non-dumpable while it joins, before anything of the container can reach it: \(lines)")
            #expect(
                lines.filter { $0.contains(" init ") && !$0.contains("execCommand") }.allSatisfy { $0.hasSuffix(" dumpable=0") },
                "the command's process inherits it: \(lines)")
        }

        @Test func execIntoAStoppedOrKilledContainerIsRefused() throws {
            let env = try TestEnvironment()
            try env.writeScript("/sbin/test-init", "exec sleep 100000")
            try env.writeConfig("gone", init: "/sbin/test-init", namespaces: "ph")
            let never = try exec(env, ["gone", "true"])
            #expect(never.status == 1 && never.stderr.contains("not running"), "\(never)")

            _ = try env.startDetached("gone")
            #expect(try exec(env, ["gone", "true"]).status == 0)
            #expect(try env.container(["kill", "gone"]).status == 0)
            let killed = try exec(env, ["gone", "true"])
            #expect(killed.status == 1 && killed.stderr.contains("not running"), "\(killed)")
            #expect(try exec(env, ["bad/name", "true"]).status == 2)
            #expect(try exec(env, ["gone"]).status == 2, "no command is a usage error")
        }

        @Test func execRefusesAPidFileThatNamesAProcessOutsideTheCgroup() throws {
            let env = try TestEnvironment()
            try env.writeScript("/sbin/test-init", "exec sleep 100000")
            try env.writeConfig("forged", init: "/sbin/test-init", namespaces: "all")
            _ = try env.startDetached("forged")
            // A recycled or forged pid: a host process that is not the container's init.
            let host = try env.runner.start("/bin/sleep", ["100000"])
            defer {
                kill(host.process.processIdentifier, SIGKILL)
                _ = try? host.wait(timeout: 5)
            }
            try "\(host.process.processIdentifier)\n".write(toFile: env.statePath + "/pids/forged", atomically: true, encoding: .utf8)

            let result = try exec(env, ["forged", "sh", "-c", "readlink /proc/self/ns/mnt"])
            #expect(result.status == 1 && result.stderr.contains("not in the container's cgroup"), "\(result)")
            #expect(result.stdout.isEmpty, "nothing ran in the host process's namespaces")
        }

        @Test func execWithTheUserNamespaceIsRootInsideMappedOutside() throws {
            let env = try TestEnvironment()
            try env.writeScript("/sbin/test-init", "exec sleep 100000")
            try env.writeConfig("mapped", init: "/sbin/test-init", namespaces: "up", extra: ["id_map_start=200000"])
            _ = try env.startDetached("mapped")
            let result = try exec(env, ["mapped", "sh", "-c", "id -u; id -g; cat /proc/self/uid_map"])
            #expect(result.status == 0, "\(result)")
            let lines = result.stdout.split(separator: "\n").map { $0.split(separator: " ").joined(separator: " ") }
            #expect(lines == ["0", "0", "0 200000 65536"], "\(result)")
        }

        @Test func stopEndsAnInitThatExitsOnTheSignalAtOnce() throws {
            let env = try TestEnvironment()
            try env.writeScript("/sbin/test-init", "trap 'exit 0' TERM\nwhile :; do sleep 100000 & wait $!; done")
            try env.writeConfig("polite", init: "/sbin/test-init", namespaces: "ph")
            let pid = try env.startDetached("polite")
            let began = Date()
            let result = try env.container(["stop", "polite", "--time", "20"])
            #expect(result.status == 0 && result.stdout.contains("exited on signal 15"), "\(result)")
            #expect(Date().timeIntervalSince(began) < 15, "no wait for the deadline")
            #expect(!processExists(pid))
            #expect(env.processes(of: "polite").isEmpty)
            #expect(!FileManager.default.fileExists(atPath: env.statePath + "/pids/polite"))
        }

        @Test func stopKillsAnInitThatIgnoresTheSignalAfterTheGraceTime() throws {
            let env = try TestEnvironment()
            // pid 1 of a pid namespace ignores a signal it has no handler for.
            try env.writeScript("/sbin/test-init", "exec sleep 100000")
            try env.writeConfig("stubborn", init: "/sbin/test-init", namespaces: "ph")
            let pid = try env.startDetached("stubborn")
            let began = Date()
            let result = try env.container(["stop", "stubborn", "--time", "1"])
            let elapsed = Date().timeIntervalSince(began)
            #expect(result.status == 0 && result.stdout.contains("killed after 1 s"), "\(result)")
            #expect(elapsed >= 1, "waited the grace time: \(elapsed)")
            #expect(!processExists(pid))
            #expect(env.processes(of: "stubborn").isEmpty)
            let again = try env.container(["stop", "stubborn"])
            #expect(again.status == 1 && again.stderr.contains("not running"), "\(again)")
        }

        @Test func stopSendsTheConfiguredStopSignal() throws {
            let env = try TestEnvironment()
            try env.writeScript("/sbin/test-init", "trap '' TERM\ntrap 'exit 0' USR1\nwhile :; do sleep 100000 & wait $!; done")
            try env.writeConfig("custom", init: "/sbin/test-init", namespaces: "ph", extra: ["stop_signal=sigusr1"])
            _ = try env.startDetached("custom")
            let result = try env.container(["stop", "custom", "--time", "20"])
            #expect(result.status == 0 && result.stdout.contains("exited on signal 10"), "\(result)")
        }

        private func exec(_ env: TestEnvironment, _ arguments: [String], stdin: String? = nil) throws -> RunResult {
            try env.runner.run(env.binary, ["exec"] + arguments, stdin: stdin, environment: env.environment)
        }
    }
}

/// The one-letter state of /proc/PID/stat (`T` stopped, `S` sleeping…).
private func procState(_ pid: Int32) -> String? {
    guard let stat = procFile(pid, "stat"), let close = stat.lastIndex(of: ")") else { return nil }
    return stat[stat.index(after: close)...].split(separator: " ").first.map(String.init)
}
