import Foundation
import Testing

extension Integration {
    /// No cgroup, no container: on a host where the container cannot get a cgroup of its own
    /// (none mounted) or a device allow-list (v1 without devices), `start` refuses before
    /// anything changes and `check` says the same error. Each host is made in a private mount
    /// namespace (a tmpfs over /sys/fs/cgroup), which vanishes with the command.
    @Suite struct HostCgroupTests {
        /// A unique `sleep` argument, so a container started despite the refusal (in no cgroup,
        /// where the cgroup sweep cannot see it) is still found, and killed, by its command line.
        static func marker() -> String { String(UInt32.random(in: 100_000_000...999_999_999)) }

        /// Processes whose command line is `sleep MARKER`.
        static func sleepers(_ marker: String) -> [Int32] {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
            return entries.compactMap(Int32.init).filter { pid in
                let line = procFile(pid, "cmdline")?.replacingOccurrences(of: "\0", with: " ") ?? ""
                return line.hasPrefix("sleep \(marker)")
            }
        }

        /// Starts `name` on the host `setup` makes and proves nothing changed: refused with
        /// exit 1 and `expected` in the message, no pid file, no process, no cgroup under the
        /// parent in any host hierarchy, nothing in the namespace's /sys/fs/cgroup but `keep`.
        func expectRefusal(
            _ env: TestEnvironment, _ name: String, marker: String, setup: String, keep: [String],
            expected: [String]
        ) throws {
            defer { for pid in Self.sleepers(marker) { kill(pid, SIGKILL) } }
            let start = try env.containerInMountNamespace(
                setup, ["start", name], after: "ls -A /sys/fs/cgroup | tr '\\n' ' '")

            #expect(start.status == 1, "\(start)")
            try #require(start.stdout.contains("--- after"), "the namespace was set up: \(start)")
            #expect(start.stderr.contains("[cgroup-unusable]"), "\(start)")
            for text in expected { #expect(start.stderr.contains(text), "names \(text): \(start)") }
            #expect(start.stderr.contains("nothing was started"), "\(start)")
            let left = start.stdout.components(separatedBy: "--- after\n").last ?? ""
            #expect(Set(left.split(separator: " ").map(String.init)) == Set(keep), "nothing created in the tmpfs: \(left)")
            #expect(!FileManager.default.fileExists(atPath: env.statePath + "/pids/" + name), "no pid file")
            #expect(eventually(timeout: 1) { Self.sleepers(marker).isEmpty }, "no container process")
            for hierarchy in CgroupSweeper.hierarchies() {
                #expect(
                    !CgroupSweeper.isDirectory(hierarchy + "/" + env.cgroupParent + "/" + name),
                    "no cgroup in \(hierarchy)")
            }

            let check = try env.containerInMountNamespace(setup, ["check", name])
            #expect(check.status == 1, "\(check)")
            #expect(check.stdout.contains("error: this host cannot run a container"), "\(check)")
            for text in expected { #expect(check.stdout.contains(text), "check names \(text): \(check)") }
            let plan = try env.containerInMountNamespace(setup, ["plan", name])
            #expect(plan.status == 1 && plan.stderr.contains("[cgroup-unusable]"), "plan --cgroup auto is start: \(plan)")
        }

        @Test func withNoCgroupMountedStartIsRefusedAndCheckSaysWhy() throws {
            let env = try TestEnvironment()
            let marker = Self.marker()
            try env.writeScript("/sbin/test-init", "exec sleep \(marker)")
            try env.writeConfig("bare", init: "/sbin/test-init", namespaces: "h", extra: ["max_processes=10"])
            try expectRefusal(
                env, "bare", marker: marker, setup: "mount -t tmpfs none /sys/fs/cgroup", keep: [],
                expected: ["no cgroup hierarchy is mounted at /sys/fs/cgroup", "mount -t cgroup2 none /sys/fs/cgroup"])
        }

        @Test func onAV1HostWithoutTheDevicesControllerStartIsRefused() throws {
            let env = try TestEnvironment()
            let marker = Self.marker()
            try env.writeScript("/sbin/test-init", "exec sleep \(marker)")
            try env.writeConfig("nodev", init: "/sbin/test-init", namespaces: "h", extra: ["max_processes=10"])
            let controllers = ["freezer", "memory", "pids"]
            let mounts = controllers.map { "mkdir /sys/fs/cgroup/\($0) && mount -t cgroup -o \($0) \($0) /sys/fs/cgroup/\($0)" }
            try expectRefusal(
                env, "nodev", marker: marker,
                setup: (["mount -t tmpfs none /sys/fs/cgroup"] + mounts).joined(separator: " && "),
                keep: controllers,
                expected: [
                    "the devices cgroup controller is not mounted at /sys/fs/cgroup/devices",
                    "mount -t cgroup -o devices devices /sys/fs/cgroup/devices",
                ])
        }

        /// A plan saved on this host is not run on a host without cgroups: `start --plan`
        /// compiles it again for the host it runs on, which refuses.
        @Test func aSavedPlanIsRefusedWhereThereIsNoCgroup() throws {
            let env = try TestEnvironment()
            let marker = Self.marker()
            defer { for pid in Self.sleepers(marker) { kill(pid, SIGKILL) } }
            try env.writeScript("/sbin/test-init", "exec sleep \(marker)")
            try env.writeConfig("saved", init: "/sbin/test-init", namespaces: "h")
            let plan = try env.container(["plan", "saved", "--format", "json"])
            try #require(plan.status == 0, "\(plan)")
            let planFile = env.base.path + "/saved.json"
            try Data(plan.stdout.utf8).write(to: URL(fileURLWithPath: planFile))

            let start = try env.containerInMountNamespace("mount -t tmpfs none /sys/fs/cgroup", ["start", "--plan", planFile])

            #expect(start.status == 1, "\(start)")
            #expect(start.stderr.contains("no cgroup hierarchy is mounted at /sys/fs/cgroup"), "\(start)")
            #expect(eventually(timeout: 1) { Self.sleepers(marker).isEmpty }, "no container process")
            #expect(!FileManager.default.fileExists(atPath: env.statePath + "/pids/saved"), "no pid file")
        }

        /// `plan --cgroup v2` on this (v1) host is a dry run for a v2 host with every
        /// controller, says so, and is not a plan `start --plan` runs here.
        @Test func anAssumedV2PlanHasEveryLimitAndIsNotStartedHere() throws {
            let env = try TestEnvironment()
            try env.writeScript("/sbin/test-init", "exec sleep 100000")
            try env.writeConfig("elsewhere", init: "/sbin/test-init", namespaces: "h", extra: ["max_processes=10"])
            let plan = try env.container(["plan", "elsewhere", "--format", "json", "--cgroup", "v2"])
            try #require(plan.status == 0, "\(plan)")
            #expect(plan.stdout.contains("planned for a cgroup v2 host with every controller available (--cgroup v2); this host was not probed"), "\(plan)")
            #expect(plan.stdout.contains("/sys/fs/cgroup/\(env.cgroupParent)/elsewhere/pids.max"), "\(plan)")
            let auto = try env.container(["plan", "elsewhere"])
            #expect(auto.status == 0 && !auto.stdout.contains("this host was not probed"), "\(auto)")
            let planFile = env.base.path + "/elsewhere.json"
            try Data(plan.stdout.utf8).write(to: URL(fileURLWithPath: planFile))

            let start = try env.container(["start", "--plan", planFile])

            #expect(start.status == 1, "\(start)")
            #expect(start.stderr.contains("is not the plan of"), "\(start)")
            #expect(env.processes(of: "elsewhere").isEmpty)
        }
    }
}
