import Foundation
import Testing

extension Integration {
    /// Faults: the launcher killed half-way, an init that exits at once, a read-only root, a
    /// missing cgroup controller, a full disk under the log (docs/runtime.md, "Faults").
    @Suite struct FaultTests {
        /// Mounts `mount ARGUMENTS` (util-linux) and records `target` for the cleanup.
        static func mount(_ env: TestEnvironment, _ arguments: [String], target: String) throws {
            let result = try env.runner.run("/bin/mount", arguments + [target])
            try #require(result.status == 0, "mount \(arguments) \(target): \(result)")
            env.didMount(target)
        }

        /// Writes zeros into `path` until the file system is full (ENOSPC).
        static func fill(_ path: String) throws {
            let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            try #require(descriptor >= 0)
            defer { close(descriptor) }
            let chunk = [UInt8](repeating: 0, count: 4096)
            while chunk.withUnsafeBytes({ write(descriptor, $0.baseAddress, $0.count) }) > 0 {}
            #expect(errno == ENOSPC, "filled up to ENOSPC, errno \(errno)")
        }

        /// `CONTAINERS_FAULT_AFTER_STEP=N` (a test hook) makes the launcher SIGKILL itself once
        /// step N is done. Whatever N, what is left never blocks the container: the next
        /// start works, or (once init was forked, and init goes on alone) it is refused as
        /// running and `kill` stops it; then a start works and exactly one init runs.
        @Test(arguments: [
            "lock", "ensureNotRunning", "createCgroup", "writeCgroup", "forkChild",
            "attachChild", "unshare", "writeIDMap", "forkInit", "pivotRoot", "exec",
            "writePidFile",
        ])
        func aLauncherKilledAfterAStepLeavesNothingThatBlocksTheNextStart(_ action: String) throws {
            let env = try TestEnvironment()
            try env.writeScript("/sbin/test-init", "exec sleep 100000")
            try env.writeConfig("crash", init: "/sbin/test-init", namespaces: "all", extra: ["max_processes=30"])
            let planned = try env.plannedSteps("crash")
            let step = try #require(planned.lastIndex { $0.action == action }, "the plan has \(action)") + 1
            let forkInit = try #require(planned.firstIndex { $0.action == "forkInit" }) + 1

            let crashed = try env.container(["start", "crash"], adding: ["CONTAINERS_FAULT_AFTER_STEP": String(step)])
            #expect(crashed.status == SIGKILL, "the launcher killed itself after step \(step) (\(action)): \(crashed)")

            if step < forkInit {
                // The child dies with the launcher (PDEATHSIG), a moment after it.
                #expect(eventually { env.processes(of: "crash").isEmpty }, "the child died with the launcher")
            }
            var next = try env.container(["start", "crash"])
            if step < forkInit {
                #expect(next.status == 0, "nothing of the killed start blocks the next: \(next)")
            } else if next.status != 0 {
                #expect(next.status == 1 && next.stderr.contains("is running"), "\(next)")
                let kill = try env.container(["kill", "crash"])
                #expect(kill.status == 0, "kill stops what the killed start left: \(kill)")
                next = try env.container(["start", "crash"])
                #expect(next.status == 0, "\(next)")
            }
            let pid = try #require(
                eventually { (try? env.listed("crash"))??.pid != nil } ? env.listed("crash")?.pid : nil,
                "list reports the new start's init")
            #expect(Set(env.processes(of: "crash")) == [pid], "one instance, nothing left from the killed start")
            #expect(env.cgroupValue("pids", "crash", "pids.max") == "30")
            let kill = try env.container(["kill", "crash"])
            #expect(kill.status == 0, "\(kill)")
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: env.statePath + "/pids")
            #expect(!leftovers.contains { $0.hasSuffix(".tmp") }, "no temporary pid file: \(leftovers)")
        }

        /// init that exits at once: a detached start succeeded (init was exec'd), list says not
        /// running, the next start works; in the foreground the exit status is init's.
        @Test func anInitThatExitsAtOnceIsStartedAndThenNotRunning() throws {
            let env = try TestEnvironment()
            try env.writeConfig("brief", init: "/bin/true", namespaces: "ph")

            let first = try env.container(["start", "brief"])

            #expect(first.status == 0, "\(first)")
            #expect(eventually { (try? env.listed("brief"))??.running == false }, "list: not running")
            let second = try env.container(["start", "brief"])
            #expect(second.status == 0, "\(second)")
            try env.writeConfig("brief", init: "/bin/false", namespaces: "ph")
            let foreground = try env.container(["start", "-d", "brief"])
            #expect(foreground.status == 1, "init's status: \(foreground)")
            #expect(env.processes(of: "brief").isEmpty)
        }

        /// No write into the root is needed: /proc, /dev, /dev/shm, /tmp and existing mount
        /// targets are mounted on, never created, and pivot_root creates no put_old.
        @Test func aReadOnlyRootStarts() throws {
            let env = try TestEnvironment()
            try env.writeScript(
                "/sbin/test-init",
                """
                if touch /probe 2>/dev/null; then echo root-writable; else echo root-read-only; fi
                [ -c /dev/null ] && [ -r /proc/self/status ] && echo mounts-ok
                exec sleep 100000
                """)
            try FileManager.default.createDirectory(atPath: env.base.path + "/tools", withIntermediateDirectories: true)
            try env.writeConfig(
                "rofs", init: "/sbin/test-init", namespaces: "all",
                extra: ["mount_ro=\(env.base.path)/tools:/mnt"])
            try Self.mount(env, ["--bind", env.rootfs], target: env.rootfs)
            try Self.mount(env, ["-o", "remount,bind,ro"], target: env.rootfs)

            let start = try env.container(["start", "rofs"])

            #expect(start.status == 0, "\(start)")
            #expect(env.waitForLog("rofs", containing: "mounts-ok"), "\(env.log("rofs"))")
            #expect(env.log("rofs").contains("root-read-only"), "\(env.log("rofs"))")
            _ = try env.container(["kill", "rofs"])
        }

        /// A mount target missing from a read-only root cannot be created: the launcher's
        /// createMountTargets warns, and the start fails at the bind step (a `mount_ro`),
        /// naming the step and the path.
        @Test func aMissingMountTargetInAReadOnlyRootFailsNamingTheStep() throws {
            let env = try TestEnvironment()
            try env.writeScript("/sbin/test-init", "exec sleep 100000")
            try FileManager.default.createDirectory(atPath: env.base.path + "/tools", withIntermediateDirectories: true)
            try env.writeConfig(
                "rofs", init: "/sbin/test-init", namespaces: "ph",
                extra: ["mount_ro=\(env.base.path)/tools:/opt/tools"])
            let planned = try env.plannedSteps("rofs")
            let bind = try #require(planned.firstIndex { $0.action == "bindMount" }) + 1
            try Self.mount(env, ["--bind", env.rootfs], target: env.rootfs)
            try Self.mount(env, ["-o", "remount,bind,ro"], target: env.rootfs)

            let start = try env.container(["start", "rofs"])

            #expect(start.status == 1, "\(start)")
            #expect(start.stderr.contains("warning: createMountTargets: mkdir("), "\(start)")
            #expect(start.stderr.contains("step \(bind) init bindMount"), "\(start)")
            #expect(start.stderr.contains("/opt") && start.stderr.contains("(EROFS)"), "\(start)")
            #expect(env.processes(of: "rofs").isEmpty)
            #expect(!CgroupSweeper.isDirectory(env.cgroupPath("pids", "rofs")), "undone")
        }

        /// A controller the host lacks is left out of the plan with a note naming it (v2: the
        /// unified hierarchy here offers no controller), and the start goes on without it.
        @Test func aMissingCgroupControllerIsNamedInANoteAndTheStartGoesOn() throws {
            let env = try TestEnvironment()
            try #require(
                CgroupSweeper.hierarchies().contains("/sys/fs/cgroup/unified"),
                "this test needs the cgroup2 hierarchy at /sys/fs/cgroup/unified")
            let controllers = (try? String(contentsOfFile: "/sys/fs/cgroup/unified/cgroup.controllers", encoding: .utf8)) ?? ""
            try #require(!controllers.contains("pids"), "the unified hierarchy offers pids here: \(controllers)")
            try env.writeScript("/sbin/test-init", "exec sleep 100000")
            try env.writeConfig("nopids", init: "/sbin/test-init", namespaces: "h", extra: ["max_processes=20"])
            // A pure v2 host for the probe: the unified hierarchy on /sys/fs/cgroup, privately.
            let start = try env.containerInMountNamespace(CgroupV2Tests.v2Host, ["start", "nopids"])

            #expect(start.status == 0, "\(start)")
            #expect(start.stderr.contains("the pids controller is not available"), "\(start)")
            #expect(env.log("nopids").contains("the pids controller is not available"))
            #expect(try env.listed("nopids")?.running == true)
            _ = try env.container(["kill", "nopids"])
        }

        /// net_cls: v1 without the net_cls hierarchy mounted degrades to a note; mounted, the
        /// class id is written.
        @Test func netClassIDDegradesToANoteWithoutTheNetClsHierarchy() throws {
            let env = try TestEnvironment()
            try env.writeScript("/sbin/test-init", "exec sleep 100000")
            try env.writeConfig("classed", init: "/sbin/test-init", namespaces: "h", extra: ["net_classid=0x00100001"])
            let mounted = CgroupSweeper.hierarchies().contains("/sys/fs/cgroup/net_cls")

            let start = try env.container(["start", "classed"])

            #expect(start.status == 0, "\(start)")
            if mounted {
                #expect(env.cgroupValue("net_cls", "classed", "net_cls.classid") == "1048577")
            } else {
                #expect(start.stderr.contains("net_cls"), "the note names the controller: \(start)")
            }
            _ = try env.container(["kill", "classed"])
        }

        /// A full file system under the log does not stop a start: the log is created, the
        /// container runs, its output is lost (ENOSPC) while the disk is full.
        @Test func aFullDiskUnderTheLogDoesNotStopAStart() throws {
            let env = try TestEnvironment()
            try env.writeScript("/sbin/test-init", "echo lost-output\nexec sleep 100000")
            try env.writeConfig("full", init: "/sbin/test-init", namespaces: "ph")
            try Self.mount(env, ["-t", "tmpfs", "-o", "size=16k", "tmpfs"], target: env.statePath + "/logs")
            try Self.fill(env.statePath + "/logs/filler")

            let start = try env.container(["start", "full"])

            #expect(start.status == 0, "\(start)")
            #expect(try env.listed("full")?.running == true)
            #expect(FileManager.default.fileExists(atPath: env.statePath + "/logs/full"))
            _ = try env.container(["kill", "full"])
        }

        /// A log that cannot be created (no inode left) stops the start before anything else,
        /// with the log's path and the errno.
        @Test func aLogThatCannotBeCreatedStopsTheStartClearly() throws {
            let env = try TestEnvironment()
            try env.writeScript("/sbin/test-init", "exec sleep 100000")
            try env.writeConfig("noinode", init: "/sbin/test-init", namespaces: "ph")
            try Self.mount(env, ["-t", "tmpfs", "-o", "size=64k,nr_inodes=4", "tmpfs"], target: env.statePath + "/logs")
            var made = 0
            while FileManager.default.createFile(atPath: env.statePath + "/logs/inode-\(made)", contents: nil) { made += 1 }

            let start = try env.container(["start", "noinode"])

            #expect(start.status == 1, "\(start)")
            #expect(start.stderr.contains(env.statePath + "/logs/noinode") && start.stderr.contains("(ENOSPC)"), "\(start)")
            #expect(env.processes(of: "noinode").isEmpty)
            #expect(!CgroupSweeper.isDirectory(env.cgroupPath("pids", "noinode")), "nothing was created")
            let second = try env.container(["start", "noinode"])
            #expect(second.status == 1, "still refused, the same way: \(second)")
        }
    }
}
