import Foundation
import Testing

extension Integration {
    /// A config that checks clean starts (issue 10 item 4): the start failures the root's
    /// filesystem used to cause with `u`, where init runs as an unprivileged host uid.
    @Suite struct CheckedConfigStartsTests {
        /// `check` passes, then `start -d` runs init to its end; its log is returned.
        static func checkThenStart(_ env: TestEnvironment, _ name: String) throws -> String {
            let check = try env.container(["check", name])
            try #require(check.status == 0, "the config checks clean: \(check)")
            let start = try env.container(["start", "-d", name])
            #expect(start.status == 0, "a config that checks clean starts: \(start)")
            return env.log(name)
        }

        /// With `u` the container's root cannot mkdir in the root-owned rootfs: the launcher
        /// creates the missing targets (the plan's own /sys, /tmp, /proc and the config's
        /// mount targets, nested, for a directory and for a file) before the namespaces.
        @Test func missingMountTargetsAreCreatedByTheLauncher() throws {
            let env = try TestEnvironment()
            for missing in ["/sys", "/tmp", "/proc", "/mnt"] {
                try FileManager.default.removeItem(atPath: env.rootfs + missing)
            }
            let shared = env.base.path + "/shared"
            try FileManager.default.createDirectory(atPath: shared, withIntermediateDirectories: true)
            try Data("from-the-host\n".utf8).write(to: URL(fileURLWithPath: shared + "/file"))
            chmod(shared, 0o755)
            chmod(shared + "/file", 0o644)
            try env.writeScript("/sbin/test-init", "cat /mnt/deep/data/file /etc/extra; ls -d /sys/kernel /proc/self; echo probe-done")
            try env.writeConfig(
                "web", init: "/sbin/test-init", namespaces: "all",
                extra: [
                    "mount=\(shared):/mnt/deep/data", "mount_ro=\(shared)/file:/etc/extra",
                ])

            let log = try Self.checkThenStart(env, "web")

            #expect(log.contains("from-the-host\nfrom-the-host\n/proc/self\n/sys/kernel\nprobe-done"), "\(log)")
            var info = stat()
            #expect(lstat(env.rootfs + "/mnt/deep/data", &info) == 0 && info.st_mode & S_IFMT == S_IFDIR)
            #expect(lstat(env.rootfs + "/etc/extra", &info) == 0 && info.st_mode & S_IFMT == S_IFREG)
        }

        /// A missing target is never created through a symlink out of the root, even when the
        /// symlink is planted after the check (the start is stopped right before
        /// createMountTargets, `/mnt` swapped for a link to a host directory, then resumed): the
        /// host directory stays untouched, the launcher warns, and the start fails at the bind
        /// (a `mount_ro`, whose target init cannot resolve either).
        @Test func aTargetSwappedForASymlinkAfterTheCheckIsNotCreatedOnTheHost() throws {
            let env = try TestEnvironment()
            let outside = env.base.path + "/outside"
            try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
            try env.writeScript("/sbin/test-init", "echo probe-done")
            try env.writeConfig("web", init: "/sbin/test-init", namespaces: "all", extra: ["mount_ro=/etc:/mnt/escape/deep"])
            let planned = try env.plannedSteps("web")
            let before = try #require(planned.firstIndex { $0.action == "createMountTargets" })
            let start = try env.runner.start(
                env.binary, ["start", "-d", "web", "--path", env.statePath],
                environment: env.environment.merging(["CONTAINERS_STOP_AFTER_STEP": String(before)]) { $1 })
            let pid = start.process.processIdentifier
            defer { kill(pid, SIGCONT) }
            try #require(
                eventually {
                    guard let stat = procFile(pid, "stat"), let close = stat.lastIndex(of: ")") else { return false }
                    return stat[stat.index(after: close)...].split(separator: " ").first == "T"
                }, "the start stopped after step \(before)")
            try FileManager.default.removeItem(atPath: env.rootfs + "/mnt")
            try FileManager.default.createSymbolicLink(atPath: env.rootfs + "/mnt", withDestinationPath: outside)
            kill(pid, SIGCONT)

            let result = try start.wait(timeout: 30)

            #expect(result.status == 1, "\(result)")
            #expect(result.stderr.contains("warning: createMountTargets: openat2("), "the launcher refused the symlink: \(result)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: outside).isEmpty, "nothing was created outside the root")
            #expect(!env.log("web").contains("probe-done"))
        }

        /// A root and a mount source below a directory of mode 0700 (owned by root): the child
        /// opens both before the id maps take effect, so init never traverses the path as the
        /// mapped uid.
        @Test func aRootBelowAPrivateDirectoryStartsWithU() throws {
            let env = try TestEnvironment()
            let locked = env.base.path + "/locked"
            try FileManager.default.createDirectory(atPath: locked, withIntermediateDirectories: true)
            chmod(locked, 0o700)
            let root = locked + "/rootfs"
            try RootfsBuilder.build(at: root)
            let data = locked + "/data"
            try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
            try Data("private-source\n".utf8).write(to: URL(fileURLWithPath: data + "/file"))
            chmod(data, 0o755)
            try Data("#!/bin/sh\ncat /data/file\necho probe-done $(id -u)\n".utf8).write(to: URL(fileURLWithPath: root + "/sbin/test-init"))
            chmod(root + "/sbin/test-init", 0o755)
            try env.writeRawConfig("web", "root=\(root)\ninit=/sbin/test-init\nnamespaces=all\nmount_ro=\(data):/data\n")

            let log = try Self.checkThenStart(env, "web")

            #expect(log.contains("private-source\nprobe-done 0"), "the root and a mount source below it: \(log)")
        }
    }
}
