import Foundation
import Testing

extension Integration {
    /// `plan --format oci` and `export` from the outside: output streams, notes, exit statuses.
    @Suite struct OCICommandTests {
        @Test func planPrintsTheBundleOnStdoutAndNotesOnStderr() throws {
            let env = try TestEnvironment()
            try env.writeScript("/sbin/test-init", "exec sleep 100000")
            try env.writeConfig("web", init: "/sbin/test-init", namespaces: "all", extra: ["max_processes=20"])

            let plan = try env.container(["plan", "web", "--format", "oci"])

            #expect(plan.status == 0, "\(plan)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(plan.stdout.utf8)) as? [String: Any])
            #expect(json["hostname"] as? String == "web")
            #expect((json["root"] as? [String: Any])?["path"] as? String == env.rootfs)
            #expect(((json["linux"] as? [String: Any])?["cgroupsPath"] as? String) == "/\(env.cgroupParent)/web")
            let notes = plan.stderr.split(separator: "\n").filter { $0.hasPrefix("container plan: note: ") }
            #expect(notes.contains { $0.contains("timeOffsets") }, "the t note: \(plan.stderr)")
            #expect(notes.contains { $0.contains("logs/web") }, "\(plan.stderr)")

            let again = try env.container(["plan", "web", "--format", "oci"])
            #expect(again.stdout == plan.stdout, "the same config gives the same bytes")
            let bundle = try env.exportBundle("web")
            #expect(try String(contentsOfFile: bundle + "/config.json", encoding: .utf8) == plan.stdout)
        }

        @Test func exitStatusesAreThoseOfPlan() throws {
            let env = try TestEnvironment()
            try env.writeRawConfig("broken", "root=/nowhere\ninit=/sbin/init\nnamespaces=phq\n")
            try env.writeScript("/sbin/test-init", "exec sleep 100000")
            try env.writeConfig("web", init: "/sbin/test-init", namespaces: "ph")
            let occupied = env.base.path + "/occupied"
            try FileManager.default.createDirectory(atPath: occupied, withIntermediateDirectories: true)
            try Data("x".utf8).write(to: URL(fileURLWithPath: occupied + "/keep"))

            let cases: [([String], Int32)] = [
                (["plan", "broken", "--format", "oci"], 1), (["export", "broken", env.base.path + "/b1"], 1),
                (["plan", "missing", "--format", "oci"], 2), (["export", "missing", env.base.path + "/b2"], 2),
                (["export", "../web", env.base.path + "/b3"], 2), (["export", "web"], 2),
                (["export", "web", occupied], 1), (["export", "web", occupied, "--force"], 0),
            ]
            for (arguments, status) in cases {
                let result = try env.container(arguments)
                #expect(result.status == status, "\(arguments.joined(separator: " ")): \(result)")
            }
            #expect(FileManager.default.fileExists(atPath: occupied + "/keep"), "--force replaced config.json only")
            #expect(FileManager.default.fileExists(atPath: occupied + "/config.json"))
            #expect(!FileManager.default.fileExists(atPath: env.base.path + "/b1"))
        }
    }
}
