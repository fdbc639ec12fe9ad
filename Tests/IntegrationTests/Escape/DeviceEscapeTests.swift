import Foundation
import Testing

extension Integration {
    /// The device allow-list, attacked from inside a container without a user namespace (so
    /// init is host root and keeps CAP_MKNOD): creating or opening a device outside the list
    /// must fail with EPERM, every listed node must work. v1: the devices cgroup enforces it;
    /// v2: the eBPF filter (`attachDeviceFilter`). Both run on this hybrid host: a v2 plan puts
    /// the container only in the cgroup2 hierarchy (/sys/fs/cgroup/unified), where the v1
    /// devices controller does not see it, so the v2 runs prove the eBPF program alone.
    @Suite struct DeviceEscapeTests {
        /// Attacks: mknod of a character and a block device not in the list, and opening the
        /// host's /dev/kmsg (1:11, for writing: the "wrote into the kernel log") and the
        /// host's disk (read-only) through nodes the host planted in the root beforehand.
        @Test(arguments: ["v1", "v2"])
        func unlistedDevicesCannotBeCreatedOrOpened(_ version: String) throws {
            let env = try TestEnvironment()
            try Self.installProbe(env)
            let disk = try Self.plantNodes(env)
            try env.writeScript(
                "/sbin/test-init",
                """
                devprobe mknod c 1 11 /dev/kmsg-made
                devprobe mknod b \(disk.major) \(disk.minor) /dev/disk-made
                devprobe open-w /probe/kmsg
                devprobe open-r /probe/disk
                echo probe-done
                """)
            try env.writeConfig("devattack", init: "/sbin/test-init", namespaces: "ph")

            let log = try Self.run(env, "devattack", version: version)

            #expect(log.contains("mknod /dev/kmsg-made: EPERM\n"), "\(log)")
            #expect(log.contains("mknod /dev/disk-made: EPERM\n"), "\(log)")
            #expect(log.contains("open-w /probe/kmsg: EPERM\n"), "\(log)")
            #expect(log.contains("open-r /probe/disk: EPERM\n"), "\(log)")
        }

        /// Every node of the fresh /dev opens and reads/writes as its driver says, and can be
        /// created again with mknod (the `m` of `rwm`). /dev/tty reaches its driver, which
        /// answers ENXIO: a detached init has no controlling terminal (the filter's answer
        /// would be EPERM).
        @Test(arguments: ["v1", "v2"])
        func everyListedNodeWorks(_ version: String) throws {
            let env = try TestEnvironment()
            try Self.installProbe(env)
            try env.writeScript(
                "/sbin/test-init",
                """
                for node in null zero full random urandom; do
                    devprobe read /dev/$node
                    devprobe write /dev/$node
                done
                devprobe mknod c 1 3 /dev/null-made
                devprobe mknod c 1 9 /dev/urandom-made
                devprobe mknod c 5 0 /dev/tty-made
                devprobe read /dev/urandom-made
                devprobe open-r /dev/tty
                echo probe-done
                """)
            try env.writeConfig("devlisted", init: "/sbin/test-init", namespaces: "ph")

            let log = try Self.run(env, "devlisted", version: version)

            let expected = [
                "read /dev/null: ok 0", "write /dev/null: ok",
                "read /dev/zero: ok 1", "write /dev/zero: ok",
                "read /dev/full: ok 1", "write /dev/full: ENOSPC",
                "read /dev/random: ok 1", "write /dev/random: ok",
                "read /dev/urandom: ok 1", "write /dev/urandom: ok",
                "mknod /dev/null-made: ok", "mknod /dev/urandom-made: ok", "mknod /dev/tty-made: ok",
                "read /dev/urandom-made: ok 1",
                "open-r /dev/tty: ENXIO",
            ]
            for line in expected { #expect(log.contains(line + "\n"), "\(line) in\n\(log)") }
        }

        /// The documented opt-out: the plan omits the filter and says so; the start prints the
        /// note; and the attack then succeeds. So the v2 attack test above attacks something
        /// that really is open without the filter.
        @Test func theOptOutIsVisibleAndReallyUnfiltered() throws {
            let env = try TestEnvironment()
            try Self.installProbe(env)
            _ = try Self.plantNodes(env)
            try env.writeScript(
                "/sbin/test-init",
                """
                devprobe mknod c 1 11 /dev/kmsg-made
                devprobe open-w /probe/kmsg
                devprobe open-r /probe/disk
                echo probe-done
                """)
            try env.writeConfig("devoptout", init: "/sbin/test-init", namespaces: "ph")
            let optOut = ["CONTAINERS_ALLOW_UNFILTERED_DEVICES": "1"]

            let text = try env.container(["plan", "devoptout", "--cgroup", "v2"], adding: optOut)
            #expect(text.status == 0, "\(text)")
            #expect(!text.stdout.contains("attach the device filter"), "\(text.stdout)")
            #expect(text.stdout.contains("note: the device allow list is not enforced (CONTAINERS_ALLOW_UNFILTERED_DEVICES=1)"), "\(text.stdout)")
            let (log, start) = try Self.run(env, "devoptout", version: "v2", adding: optOut)

            #expect(start.stderr.contains("the device allow list is not enforced"), "the start says so: \(start)")
            #expect(log.contains("mknod /dev/kmsg-made: ok\n"), "\(log)")
            #expect(log.contains("open-w /probe/kmsg: ok\n"), "\(log)")
            #expect(log.contains("open-r /probe/disk: ok\n"), "\(log)")
            // Only exactly `1` opts out.
            let typo = try env.container(["plan", "devoptout", "--cgroup", "v2"], adding: ["CONTAINERS_ALLOW_UNFILTERED_DEVICES": "yes"])
            #expect(typo.stdout.contains("attach the device filter"), "\(typo)")
        }

        // MARK: - support

        /// Plans NAME on a host of `version` (v1: this hybrid host as it is; v2: a private mount
        /// namespace where /sys/fs/cgroup is a pure cgroup2 mount, so the probe sees a v2 host),
        /// checks that the plan holds that version's device defence (unless opted out), starts
        /// it detached with `start --plan` on the same host, and returns init's log once the
        /// probe finished.
        static func run(_ env: TestEnvironment, _ name: String, version: String) throws -> String {
            try run(env, name, version: version, adding: [:]).log
        }

        static func run(_ env: TestEnvironment, _ name: String, version: String, adding extra: [String: String]) throws -> (log: String, start: RunResult) {
            func onHost(_ arguments: [String]) throws -> RunResult {
                guard version == "v2" else { return try env.container(arguments, adding: extra) }
                var result = try env.containerInMountNamespace(CgroupV2Tests.v2Host, arguments, adding: extra)
                result.stdout = result.stdout.components(separatedBy: "--- after").first ?? ""
                return result
            }
            let plan = try onHost(["plan", name, "--format", "json"])
            try #require(plan.status == 0, "\(plan)")
            try #require(plan.stdout.contains("\"cgroup\": \"\(version)\"") || plan.stdout.contains("\"cgroup\" : \"\(version)\""), "\(plan)")
            if extra.isEmpty {
                let defence = version == "v2" ? "\"action\": \"attachDeviceFilter\"" : "devices.deny"
                try #require(plan.stdout.contains(defence), "the \(version) plan has \(defence)")
            }
            let planFile = env.base.path + "/\(name)-\(version).json"
            try Data(plan.stdout.utf8).write(to: URL(fileURLWithPath: planFile))
            let start = try onHost(["start", "--plan", planFile])
            try #require(start.status == 0, "\(start)")
            try #require(env.waitForLog(name, containing: "probe-done"), "the probe did not finish: \(env.log(name))")
            return (env.log(name), start)
        }

        /// Plants nodes in the root from the host (`ROOT/probe/kmsg` 1:11 and `ROOT/probe/disk`,
        /// a block device of this host), so that opening is attacked separately from mknod.
        /// The host itself must be able to open both (so a refusal inside is the container's
        /// defence, not a missing driver or this machine's own policy: here root may not open
        /// the disk holding `/`, so the first block device the host can open is used, the disk
        /// of `/` first). Returns the block device's numbers. Opening it read-only changes nothing.
        static func plantNodes(_ env: TestEnvironment) throws -> (major: UInt32, minor: UInt32) {
            let directory = env.rootfs + "/probe"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try #require(mknod(directory + "/kmsg", S_IFCHR | 0o600, Self.deviceNumber(1, 11)) == 0, "mknod kmsg: errno \(errno)")
            try #require(Self.hostCanOpen(directory + "/kmsg", O_WRONLY), "the host cannot open /dev/kmsg for writing")
            var root = stat()
            try #require(stat("/", &root) == 0)
            let dev = UInt64(root.st_dev)  // glibc's encoding (sys/sysmacros.h)
            let rootDevice = "\((dev >> 8) & 0xfff | (dev >> 32) & ~0xfff):\(dev & 0xff | (dev >> 12) & ~0xff)"
            let devices = try FileManager.default.contentsOfDirectory(atPath: "/sys/dev/block").sorted { a, b in
                a == rootDevice || (b != rootDevice && a < b)
            }
            for device in devices {
                let parts = device.split(separator: ":").compactMap { UInt32($0) }
                guard parts.count == 2 else { continue }
                let node = directory + "/disk"
                try #require(mknod(node, S_IFBLK | 0o600, Self.deviceNumber(parts[0], parts[1])) == 0, "mknod disk: errno \(errno)")
                if Self.hostCanOpen(node, O_RDONLY) { return (parts[0], parts[1]) }
                unlink(node)
            }
            throw TestFailure("no block device in /sys/dev/block that the host can open: \(devices)")
        }

        static func hostCanOpen(_ path: String, _ flags: Int32) -> Bool {
            let descriptor = open(path, flags | O_NOCTTY | O_CLOEXEC)
            if descriptor >= 0 { close(descriptor) }
            return descriptor >= 0
        }

        /// glibc's makedev.
        static func deviceNumber(_ major: UInt32, _ minor: UInt32) -> dev_t {
            let major = UInt64(major), minor = UInt64(minor)
            return dev_t((major & 0xfff) << 8 | (major & ~0xfff) << 32 | (minor & 0xff) | (minor & ~0xff) << 12)
        }

        static func installProbe(_ env: TestEnvironment) throws {
            try StaticHelper.build(Self.deviceProbe, into: env.rootfs + "/bin/devprobe")
        }

        /// `devprobe mknod c|b MAJOR MINOR PATH | open-r PATH | open-w PATH | read PATH |
        /// write PATH`: does that one thing and prints `OP PATH: ok [bytes]` or
        /// `OP PATH: ERRNAME`. Opens use O_NOCTTY; read and write move one byte.
        static let deviceProbe = """
            #define _GNU_SOURCE
            #include <errno.h>
            #include <fcntl.h>
            #include <stdio.h>
            #include <stdlib.h>
            #include <string.h>
            #include <sys/stat.h>
            #include <sys/sysmacros.h>
            #include <unistd.h>
            static int report(const char *op, const char *path, long result) {
                if (result < 0) printf("%s %s: %s\\n", op, path, strerrorname_np(errno));
                else if (strcmp(op, "read") == 0) printf("%s %s: ok %ld\\n", op, path, result);
                else printf("%s %s: ok\\n", op, path);
                fflush(stdout);
                return 0;
            }
            int main(int argc, char **argv) {
                if (argc == 6 && strcmp(argv[1], "mknod") == 0) {
                    mode_t type = argv[2][0] == 'b' ? S_IFBLK : S_IFCHR;
                    dev_t dev = makedev(atoi(argv[3]), atoi(argv[4]));
                    return report("mknod", argv[5], mknod(argv[5], type | 0666, dev));
                }
                if (argc != 3) { fprintf(stderr, "usage\\n"); return 2; }
                const char *op = argv[1], *path = argv[2];
                int flags = strcmp(op, "open-r") == 0 || strcmp(op, "read") == 0 ? O_RDONLY : O_WRONLY;
                int fd = open(path, flags | O_NOCTTY | O_CLOEXEC);
                if (fd < 0 || strncmp(op, "open", 4) == 0) return report(op, path, fd);
                char byte = 'x';
                long result = strcmp(op, "read") == 0 ? read(fd, &byte, 1) : write(fd, &byte, 1);
                return report(op, path, result);
            }
            """
    }
}
