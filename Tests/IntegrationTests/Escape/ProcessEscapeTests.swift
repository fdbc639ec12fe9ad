import Foundation
import Testing

extension Integration {
    /// Threats from processes and state files: leaked fds, pid files that lie, descendants
    /// that leave init's tree, concurrent starts, names that are paths, setuid, /proc.
    @Suite struct ProcessEscapeTests {
        /// CVE-2024-21626: an fd the caller left open must not reach init.
        @Test func fdsLeakedByTheCallerDoNotReachInit() throws {
            let env = try TestEnvironment()
            try env.writeScript("/sbin/test-init", "exec sleep 100000")
            try env.writeConfig("fds", init: "/sbin/test-init", namespaces: "ph")
            // The shell opens fds 5, 7 and 9 without close-on-exec, then execs the binary.
            let script = "exec 5</etc/hostname 7<\(env.base.path) 9>>\(env.base.path)/io/leak; exec \"$0\" \"$@\""
            // Spawned without Foundation's Process: see DirectSpawn (a leak must fail, not hang).
            let result = try DirectSpawn.run(
                "/bin/sh", ["-c", script, env.binary, "start", "fds", "--path", env.statePath],
                environment: env.environment, scratchDirectory: env.base.appendingPathComponent("io"))
            try #require(result.status == 0, "\(result)")
            var pid: Int32?
            eventually {
                pid = (try? env.listed("fds"))??.pid
                return pid != nil
            }
            let initPID = try #require(pid)

            let descriptors = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(initPID)/fd")
            #expect(Set(descriptors) == ["0", "1", "2"], "init's fds: \(descriptors)")
            // The magic links resolve to the inodes themselves: init's cwd must be its root
            // directory, not a directory of the host it was handed.
            var cwd = stat(), root = stat()
            #expect(stat("/proc/\(initPID)/cwd", &cwd) == 0 && stat("/proc/\(initPID)/root", &root) == 0)
            #expect(cwd.st_dev == root.st_dev && cwd.st_ino == root.st_ino, "init's cwd is not its root")
        }

        /// Pid reuse: a pid file naming an unrelated process must neither kill it nor make
        /// `list` say the container runs.
        @Test func aStalePidFileNamingAnUnrelatedSleepIsLeftAlone() throws {
            let env = try TestEnvironment()
            try env.writeScript("/sbin/test-init", "exec sleep 100000")
            try env.writeConfig("stale", init: "/sbin/test-init", namespaces: "ph")
            let unrelated = try HostProcess(["sleep", "100004"])
            let pidFile = URL(fileURLWithPath: env.statePath + "/pids/stale")
            // kill first: list and kill remove a stale pid file, so each gets a fresh one.
            try Data("\(unrelated.pid)\n".utf8).write(to: pidFile)
            let kill = try env.container(["kill", "stale"])

            #expect(kill.status == 1, "not running: \(kill)")
            #expect(processExists(unrelated.pid), "kill signalled the pid file's process")
            try Data("\(unrelated.pid)\n".utf8).write(to: pidFile)
            #expect(try env.listed("stale") == .init(name: "stale", running: false, pid: nil))
            #expect(processExists(unrelated.pid))
        }

        /// `atoi("garbage")` is 0 and `kill(0, 9)` kills the caller's process group.
        @Test(arguments: ["garbage", "0", "-1", ""])
        func aGarbagePidFileIsNeverSignalled(_ content: String) throws {
            let env = try TestEnvironment()
            try env.writeScript("/sbin/test-init", "exec sleep 100000")
            try env.writeConfig("garbage", init: "/sbin/test-init", namespaces: "ph")
            let pid = try env.startDetached("garbage")
            try Data(content.utf8).write(to: URL(fileURLWithPath: env.statePath + "/pids/garbage"))

            #expect(try env.listed("garbage") == .init(name: "garbage", running: true, pid: nil))
            let kill = try env.container(["kill", "garbage"])

            #expect(kill.status == 0, "killed by cgroup, whatever the pid file says: \(kill)")
            #expect(!processExists(pid))
        }

        /// Without a pid namespace, a daemon that double-forked is no longer in init's process
        /// tree; it is still in the cgroup, and kill must reach it.
        @Test func aDoubleForkedDaemonWithoutPidNamespaceDiesOnKill() throws {
            let env = try TestEnvironment()
            try env.writeScript("/sbin/test-init", "(sleep 100003 &)\necho daemon-started\nexec sleep 100000")
            try env.writeConfig("daemon", init: "/sbin/test-init", namespaces: "h")
            try env.startDetached("daemon")
            #expect(env.waitForLog("daemon", containing: "daemon-started"))
            #expect(eventually { Set(env.processes(of: "daemon")).count >= 2 })
            let members = Set(env.processes(of: "daemon"))

            let result = try env.container(["kill", "daemon"])

            #expect(result.status == 0, "\(result)")
            for member in members { #expect(!processExists(member), "pid \(member) survived the kill") }
            #expect(env.processes(of: "daemon").isEmpty)
        }

        @Test func twentyConcurrentStartsGiveExactlyOneInstance() throws {
            let env = try TestEnvironment()
            try env.writeScript("/sbin/test-init", "exec sleep 100000")
            try env.writeConfig("once", init: "/sbin/test-init", namespaces: "ph")

            let runs = try (0..<20).map { _ in try env.startContainerCommand(["start", "once"]) }
            let results = try runs.map { try $0.wait(timeout: 60) }

            #expect(results.filter { $0.status == 0 }.count == 1, "\(results.map(\.status))")
            #expect(results.allSatisfy { !$0.timedOut })
            let instances = env.processes(of: "once")
            #expect(Set(instances).count == 1, "one init, no second instance: \(instances)")
            let listed = try env.listed("once")
            #expect(listed?.running == true && listed?.pid == instances.first)
        }

        /// The lock, deterministically: a start stopped (test hook) right after it created its
        /// cgroups holds the lock while they are still empty. A second start must be refused
        /// by the lock and leave those cgroups alone; without the lock its `ensureNotRunning`
        /// would take them for a stopped container's leftovers, remove them and start a
        /// second instance. Resumed, the first start completes.
        @Test func aSecondStartIsRefusedWhileTheFirstHoldsFreshEmptyCgroups() throws {
            let env = try TestEnvironment()
            try env.writeScript("/sbin/test-init", "exec sleep 100000")
            try env.writeConfig("held", init: "/sbin/test-init", namespaces: "ph", extra: ["max_processes=30"])
            let planned = try env.plannedSteps("held")
            let lastCreate = try #require(planned.lastIndex { $0.action == "createCgroup" }) + 1
            let first = try env.runner.start(
                env.binary, ["start", "held", "--path", env.statePath],
                environment: env.environment.merging(["CONTAINERS_STOP_AFTER_STEP": String(lastCreate)]) { $1 })
            let firstPID = first.process.processIdentifier
            defer { kill(firstPID, SIGCONT) }
            let stopped = eventually {
                guard let stat = procFile(firstPID, "stat"), let close = stat.lastIndex(of: ")") else { return false }
                return stat[stat.index(after: close)...].split(separator: " ").first == "T"
            }
            try #require(stopped, "the first start stopped after step \(lastCreate)")
            let pidsCgroup = env.cgroupPath("pids", "held")
            try #require(
                CgroupSweeper.isDirectory(pidsCgroup) && CgroupSweeper.processes(pidsCgroup).isEmpty,
                "the first start's cgroups exist and are empty")

            let second = try env.container(["start", "held"])

            #expect(second.status == 1, "\(second)")
            #expect(second.stderr.contains("being started or supervised"), "refused by the lock: \(second)")
            #expect(CgroupSweeper.isDirectory(pidsCgroup), "the first start's fresh cgroup was left alone")
            kill(firstPID, SIGCONT)
            let resumed = try first.wait(timeout: 30)
            #expect(resumed.status == 0, "the first start completes: \(resumed)")
            #expect(Set(env.processes(of: "held")).count == 1, "one instance")
            #expect(env.cgroupValue("pids", "held", "pids.max") == "30")
        }

        /// The seed pastes NAME into paths: `kill ../x` would read and unlink outside pids/.
        /// `kill` takes only a NAME, refused as a usage error (2). `start` reads an argument
        /// with a `/` as a config FILE (language.md §6); `../victim` is no readable config
        /// here, and whatever start says, nothing may change.
        @Test(arguments: [
            ["kill", "../victim"], ["kill", "../../etc/victim"], ["kill", "."],
            ["start", "../victim"], ["start", "-d", "../victim"],
        ])
        func aNameThatIsAPathIsRefusedWithNothingTouched(_ arguments: [String]) throws {
            let env = try TestEnvironment()
            // A pid file one level up from pids/, where `pids/../victim` points.
            let bait = env.statePath + "/victim"
            try Data("\(getpid())\n".utf8).write(to: URL(fileURLWithPath: bait))
            let before = HostMarker.read(env.statePath)
            let cgroupsBefore = CgroupSweeper.hierarchies().filter {
                CgroupSweeper.isDirectory($0 + "/" + env.cgroupParent)
            }

            let result = try env.container(arguments)

            #expect(result.status != 0, "\(result)")
            if arguments[0] == "kill" {
                #expect(result.status == 2, "an invalid name is a usage error: \(result)")
                #expect(result.stderr.contains("name"), "\(result)")
            }
            #expect(HostMarker.read(env.statePath) == before, "nothing in the state directory changed")
            #expect(FileManager.default.fileExists(atPath: bait))
            #expect(cgroupsBefore.isEmpty)
            #expect(
                CgroupSweeper.hierarchies().allSatisfy { !CgroupSweeper.isDirectory($0 + "/" + env.cgroupParent) },
                "no cgroup was created")
        }

        /// A setuid-root binary inside cannot raise privileges: init runs with NoNewPrivs, so a
        /// process that dropped to uid 1000 stays uid 1000 when it execs a setuid-root copy of
        /// the helper. (No user namespace: there, root inside is real root, the worst case.)
        @Test func setuidInsideCannotGainPrivileges() throws {
            let env = try TestEnvironment()
            try StaticHelper.build(StaticHelper.setuidProbe, into: env.rootfs + "/bin/suid-helper")
            chown(env.rootfs + "/bin/suid-helper", 0, 0)
            chmod(env.rootfs + "/bin/suid-helper", 0o4755)
            try env.writeScript(
                "/sbin/test-init",
                """
                grep NoNewPrivs /proc/self/status
                /bin/suid-helper
                exit 0
                """)
            try env.writeConfig("suid", init: "/sbin/test-init", namespaces: "ph")

            let result = try env.container(["start", "-d", "suid"])

            #expect(result.status == 0, "\(result)")
            let log = env.log("suid")
            #expect(log.contains("NoNewPrivs:\t1"), "\(log)")
            #expect(log.contains("euid-after-setuid=1000"), "the setuid bit raised privileges: \(log)")
        }

        /// The masks are real mounts, not the side effect of a dropped capability: every masked
        /// path the host's kernel has carries a mount in the container, and every read-only
        /// one a read-only mount (mountinfo read by init itself). Reading kcore gives nothing,
        /// writing sysrq-trigger is refused (where the kernel has them).
        @Test func procKcoreIsMaskedAndSysrqTriggerIsReadOnly() throws {
            let env = try TestEnvironment()
            try env.writeScript(
                "/sbin/test-init",
                """
                echo "kcore-bytes=$(head -c 16 /proc/kcore 2>/dev/null | wc -c)"
                if echo h > /proc/sysrq-trigger 2>/dev/null; then echo sysrq-WRITABLE; else echo sysrq-refused; fi
                awk '{ print "mount " $5 " " $6 }' /proc/self/mountinfo
                exit 0
                """)
            try env.writeConfig("procmask", init: "/sbin/test-init", namespaces: "ph")

            let result = try env.container(["start", "-d", "procmask"])

            #expect(result.status == 0, "\(result)")
            let log = env.log("procmask")
            #expect(log.contains("kcore-bytes=0"), "\(log)")
            #expect(log.contains("sysrq-refused"), "\(log)")
            var mounts: [String: String] = [:]  // mount point → options (the last mount wins)
            for line in log.split(separator: "\n") where line.hasPrefix("mount ") {
                let fields = line.split(separator: " ")
                if fields.count == 3 { mounts[String(fields[1])] = String(fields[2]) }
            }
            let masked = ["/proc/kcore", "/proc/keys", "/proc/timer_list", "/proc/sched_debug", "/proc/acpi", "/proc/scsi"]
            let readOnly = ["/proc/sys", "/proc/sysrq-trigger", "/proc/bus", "/proc/fs", "/proc/irq"]
            let present = (masked + readOnly).filter { FileManager.default.fileExists(atPath: $0) }
            // Kernels differ (this VM has no /proc/kcore nor /proc/sysrq-trigger, which makes the
            // two checks above vacuous there): some masked path and /proc/sys must exist.
            #expect(masked.contains(where: present.contains) && present.contains("/proc/sys"), "the host has them: \(present)")
            for path in masked where present.contains(path) {
                #expect(mounts[path] != nil, "\(path) is masked by a mount: \(mounts)")
            }
            for path in readOnly where present.contains(path) {
                #expect(mounts[path]?.split(separator: ",").first == "ro", "\(path) is mounted read-only: \(mounts)")
            }
        }
    }
}
