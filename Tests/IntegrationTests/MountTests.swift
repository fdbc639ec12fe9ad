import Foundation
import Testing

extension Integration {
    /// `mount` is writable inside, `mount_ro` is not; both show the host directory.
    @Suite struct MountTests {
        @Test func readWriteAndReadOnlyBindMounts() throws {
            let env = try TestEnvironment()
            let shared = env.base.path + "/shared"
            let readOnly = env.base.path + "/readonly"
            for directory in [shared, readOnly] {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                chmod(directory, 0o777)
            }
            try Data("host-content\n".utf8).write(to: URL(fileURLWithPath: readOnly + "/seen"))
            try FileManager.default.createDirectory(atPath: env.rootfs + "/data", withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: env.rootfs + "/config", withIntermediateDirectories: true)
            try env.writeScript(
                "/sbin/test-init",
                """
                echo written-inside > /data/out && echo rw-ok
                cat /config/seen
                if echo x > /config/denied 2>/dev/null; then echo ro-WRITABLE; else echo ro-refused; fi
                exit 0
                """)
            try env.writeConfig(
                "mounts", init: "/sbin/test-init", namespaces: "ph",
                extra: ["mount=\(shared):/data", "mount_ro=\(readOnly):/config"])

            let result = try env.container(["start", "-d", "mounts"])

            #expect(result.status == 0, "\(result)")
            let log = env.log("mounts")
            #expect(log.contains("rw-ok"), "\(log)")
            #expect(log.contains("host-content"), "\(log)")
            #expect(log.contains("ro-refused"), "\(log)")
            #expect(try String(contentsOfFile: shared + "/out", encoding: .utf8) == "written-inside\n")
            #expect(!FileManager.default.fileExists(atPath: readOnly + "/denied"))
        }

        @Test func aFailedReadOnlyBindStopsTheStart() throws {
            let env = try TestEnvironment()
            try env.writeScript("/sbin/test-init", "exec sleep 100000")
            // A mount_ro source that does not exist: whether the checker or the runtime
            // notices, the start must stop with nothing left running.
            let vanishing = env.base.path + "/vanishing"
            try FileManager.default.createDirectory(atPath: vanishing, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: env.rootfs + "/gone", withIntermediateDirectories: true)
            try env.writeConfig(
                "ro-fail", init: "/sbin/test-init", namespaces: "h",
                extra: ["mount_ro=\(vanishing):/gone"])
            rmdir(vanishing)

            let result = try env.container(["start", "ro-fail"])

            #expect(result.status != 0, "\(result)")
            #expect(env.processes(of: "ro-fail").isEmpty)
        }
    }
}
