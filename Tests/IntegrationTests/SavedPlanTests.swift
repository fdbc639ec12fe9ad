import Foundation
import Testing

extension Integration {
    /// `start --plan FILE` reads a file that is not trusted: a hand-made plan could write any
    /// value to any path as root. It runs only a plan equal to the one the config at its
    /// `configPath` compiles to now.
    @Suite struct SavedPlanTests {
        /// The plan of `name` as JSON text, saved to `<base>/NAME.plan.json`.
        static func savePlan(_ env: TestEnvironment, _ name: String) throws -> (path: String, text: String) {
            let plan = try env.container(["plan", name, "--format", "json"])
            try #require(plan.status == 0, "\(plan)")
            let path = env.base.path + "/\(name).plan.json"
            try Data(plan.stdout.utf8).write(to: URL(fileURLWithPath: path))
            return (path, plan.stdout)
        }

        /// Nothing of the container exists: no process, cgroup, pid file.
        static func expectNothingStarted(_ env: TestEnvironment, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
            #expect(env.processes(of: name).isEmpty, sourceLocation: sourceLocation)
            #expect(!CgroupSweeper.isDirectory(env.cgroupPath("pids", name)), "no cgroup", sourceLocation: sourceLocation)
            #expect(!FileManager.default.fileExists(atPath: env.statePath + "/pids/" + name), sourceLocation: sourceLocation)
        }

        @Test func anUnchangedPlanStarts() throws {
            let env = try TestEnvironment()
            try env.writeScript("/sbin/test-init", "exec sleep 100000")
            try env.writeConfig("saved", init: "/sbin/test-init", namespaces: "ph", extra: ["max_processes=40"])
            let (path, _) = try Self.savePlan(env, "saved")

            let start = try env.container(["start", "--plan", path])

            #expect(start.status == 0, "\(start)")
            #expect(env.cgroupValue("pids", "saved", "pids.max") == "40")
        }

        @Test func aPlanWhoseConfigWasEditedIsRefused() throws {
            let env = try TestEnvironment()
            try env.writeScript("/sbin/test-init", "exec sleep 100000")
            try env.writeConfig("edited", init: "/sbin/test-init", namespaces: "ph", extra: ["max_processes=40"])
            let (path, _) = try Self.savePlan(env, "edited")
            try env.writeConfig("edited", init: "/sbin/test-init", namespaces: "ph", extra: ["max_processes=41"])

            let start = try env.container(["start", "--plan", path])

            #expect(start.status == 1, "\(start)")
            #expect(start.stderr.contains("changed since the plan was made"), "\(start)")
            Self.expectNothingStarted(env, "edited")
        }

        /// A step edited by hand, the config untouched (so the hash matches): a write to a
        /// file of the host instead of the cgroup's `pids.max`.
        @Test func aPlanWithAnEditedStepIsRefusedAndNothingIsWritten() throws {
            let env = try TestEnvironment()
            try env.writeScript("/sbin/test-init", "exec sleep 100000")
            try env.writeConfig("forged", init: "/sbin/test-init", namespaces: "ph", extra: ["max_processes=40"])
            let (path, text) = try Self.savePlan(env, "forged")
            let victim = env.base.path + "/victim"
            try Data("original\n".utf8).write(to: URL(fileURLWithPath: victim))
            let pidsMax = env.cgroupPath("pids", "forged") + "/pids.max"
            try #require(text.contains("\"\(pidsMax)\""), "the plan writes \(pidsMax)")
            try Data(text.replacingOccurrences(of: "\"\(pidsMax)\"", with: "\"\(victim)\"").utf8)
                .write(to: URL(fileURLWithPath: path))

            let start = try env.container(["start", "--plan", path])

            #expect(start.status == 1, "\(start)")
            #expect(start.stderr.contains("is not the plan of"), "\(start)")
            #expect(start.stderr.contains(victim), "the refusal names the edited step: \(start)")
            #expect(try String(contentsOfFile: victim, encoding: .utf8) == "original\n")
            Self.expectNothingStarted(env, "forged")
        }

        /// A plan made for another config (path and hash of a real config of another container)
        /// with steps of its own: the steps are compared, not only the hash.
        @Test func aPlanPointingAtAnotherConfigIsRefused() throws {
            let env = try TestEnvironment()
            try env.writeScript("/sbin/test-init", "exec sleep 100000")
            try env.writeConfig("mine", init: "/sbin/test-init", namespaces: "ph", extra: ["max_processes=40"])
            try env.writeConfig("theirs", init: "/sbin/test-init", namespaces: "ph", extra: ["max_processes=90"])
            let (_, mine) = try Self.savePlan(env, "mine")
            let (path, theirs) = try Self.savePlan(env, "theirs")
            func header(_ key: String, _ text: String) throws -> String {
                let json = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
                return try #require(json[key] as? String)
            }
            var forged = mine
            for key in ["configPath", "configHash"] {
                forged = forged.replacingOccurrences(of: try header(key, mine), with: try header(key, theirs))
            }
            try Data(forged.utf8).write(to: URL(fileURLWithPath: path))

            let start = try env.container(["start", "--plan", path])

            #expect(start.status == 1, "\(start)")
            #expect(start.stderr.contains("is not the plan of"), "\(start)")
            Self.expectNothingStarted(env, "mine")
            Self.expectNothingStarted(env, "theirs")
        }
    }
}
