import Foundation
import Testing

extension Integration {
    /// Each limit of the config lands in its v1 cgroup file with the right value, and the
    /// values written are the ones `container plan` printed (the runtime executes the plan).
    @Suite struct CgroupLimitTests {
        /// A whole block device of this machine (`MAJ:MIN`), for the I/O limits.
        static func blockDevice() throws -> String {
            let names = try FileManager.default.contentsOfDirectory(atPath: "/sys/block").sorted()
            for name in names {
                if let dev = try? String(contentsOfFile: "/sys/block/\(name)/dev", encoding: .utf8) {
                    return dev.trimmingCharacters(in: .whitespacesAndNewlines)
                }
            }
            throw TestFailure("no block device in /sys/block")
        }

        @Test func limitsAreWrittenToTheirV1Files() throws {
            let env = try TestEnvironment()
            let device = try Self.blockDevice()
            try env.writeScript("/sbin/test-init", "exec sleep 100000")
            try env.writeConfig(
                "limited", init: "/sbin/test-init", namespaces: "uphti",
                extra: [
                    "max_physical_memory=64M", "max_memory=128M", "max_processes=50", "cpu_share=512",
                    "iops_limit=\(device) 1000", "io_bw_limit=\(device) 1048576",
                ])

            try env.startDetached("limited")

            #expect(
                env.cgroupValue("memory", "limited", "memory.limit_in_bytes") == "67108864",
                "max_physical_memory goes to memory.limit_in_bytes (the seed swapped them)")
            #expect(env.cgroupValue("memory", "limited", "memory.memsw.limit_in_bytes") == "134217728")
            #expect(env.cgroupValue("pids", "limited", "pids.max") == "50")
            #expect(env.cgroupValue("cpu", "limited", "cpu.shares") == "512")
            for file in ["read_iops_device", "write_iops_device"] {
                #expect(env.cgroupValue("blkio", "limited", "blkio.throttle." + file) == "\(device) 1000")
            }
            for file in ["read_bps_device", "write_bps_device"] {
                #expect(env.cgroupValue("blkio", "limited", "blkio.throttle." + file) == "\(device) 1048576")
            }
            let devices = env.cgroupValue("devices", "limited", "devices.list") ?? ""
            #expect(!devices.contains("a *:* rwm"), "deny all first: \(devices)")
            #expect(devices.contains("c 1:3 rwm"), "/dev/null is allowed: \(devices)")
        }

        @Test func theCgroupValuesAreThePlannedOnes() throws {
            let env = try TestEnvironment()
            try env.writeScript("/sbin/test-init", "exec sleep 100000")
            try env.writeConfig(
                "planned", init: "/sbin/test-init", namespaces: "ph",
                extra: [
                    "max_physical_memory=32M", "max_processes=20", "cpu_share=256",
                ])
            let plan = try env.container(["plan", "planned", "--format", "json"])
            try #require(plan.status == 0, "\(plan)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(plan.stdout.utf8)) as? [String: Any])
            let steps = try #require(json["steps"] as? [[String: Any]])

            try env.startDetached("planned")

            let created = steps.filter { $0["action"] as? String == "createCgroup" }.compactMap { $0["path"] as? String }
            #expect(!created.isEmpty)
            for path in created { #expect(CgroupSweeper.isDirectory(path), "planned cgroup \(path) exists") }
            let writes = steps.filter { $0["action"] as? String == "writeCgroup" }
            #expect(writes.count >= 3)
            for write in writes {
                guard let path = write["path"] as? String, let value = write["value"] as? String else { continue }
                // Only files that read back what was written (devices.allow/deny, and
                // subtree_control do not).
                let name = (path as NSString).lastPathComponent
                guard ["memory.limit_in_bytes", "pids.max", "cpu.shares"].contains(name) else { continue }
                let actual = try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
                #expect(actual == value, "\(path): planned \(value), found \(actual)")
            }
        }

        @Test func netClassIDLandsInAnNetClsHierarchyMountedByTheTest() throws {
            let env = try TestEnvironment()
            let mountPoint = "/sys/fs/cgroup/net_cls"
            let mountedHere = !CgroupSweeper.hierarchies().contains(mountPoint)
            if mountedHere {
                // The cgroup root is a tmpfs on this host: a directory for the mount point is
                // created (and removed again) like the other controller directories.
                mkdir(mountPoint, 0o755)
                let result = mount("net_cls", mountPoint, "cgroup", 0, "net_cls")
                try #require(result == 0, "mount -t cgroup -o net_cls: errno \(errno)")
            }
            defer {
                CgroupSweeper.killAndRemove(parent: env.cgroupParent)
                if mountedHere {
                    umount2(mountPoint, Int32(MNT_DETACH))
                    rmdir(mountPoint)
                }
            }
            try env.writeScript("/sbin/test-init", "exec sleep 100000")
            try env.writeConfig("classy", init: "/sbin/test-init", namespaces: "h", extra: ["net_classid=0x00100001"])

            try env.startDetached("classy")

            #expect(env.cgroupValue("net_cls", "classy", "net_cls.classid") == "1048577")
        }
    }
}
