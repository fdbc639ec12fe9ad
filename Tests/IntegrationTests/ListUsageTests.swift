import ContainerEngine
import Foundation
import Testing

extension Integration {
    /// `list` shows what a running container uses, read from its cgroup (language.md §8), and
    /// `--version` prints the version.
    @Suite struct ListUsageTests {
        /// The JSON row of `name` from `list --format json`, as parsed objects.
        static func row(_ env: TestEnvironment, _ name: String) throws -> [String: Any] {
            let result = try env.container(["list", "--format", "json"])
            try #require(result.status == 0, "\(result)")
            let rows = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
            return try #require(rows.first { $0["name"] as? String == name }, "\(result.stdout)")
        }

        static func number(_ value: Any?) -> Int64? {
            (value as? NSNumber)?.int64Value
        }

        @Test func theColumnsAreTheCgroupsFiles() throws {
            let env = try TestEnvironment()
            // Three tasks: the shell, and two sleeps it waits for.
            try env.writeScript("/sbin/test-init", "sleep 100000 & sleep 100000 & wait")
            // A memory limit gives the container its memory cgroup (v1 creates it only then).
            try env.writeConfig("web", init: "/sbin/test-init", extra: ["max_physical_memory=64M", "max_processes=50"])
            try env.writeConfig("idle", init: "/sbin/test-init")
            let started = Date()
            let pid = try env.startDetached("web")
            #expect(eventually { env.cgroupValue("pids", "web", "pids.current") == "3" })

            let before = try #require(env.cgroupValue("memory", "web", "memory.usage_in_bytes").flatMap { Int64($0) })
            let row = try Self.row(env, "web")
            let after = try #require(env.cgroupValue("memory", "web", "memory.usage_in_bytes").flatMap { Int64($0) })
            let peakFile = try #require(env.cgroupValue("memory", "web", "memory.max_usage_in_bytes").flatMap { Int64($0) })

            #expect(Self.number(row["pid"]) == Int64(pid))
            #expect(Self.number(row["tasks"]) == 3, "\(row)")
            let memory = try #require(row["memory"] as? [String: Any], "\(row)")
            let current = try #require(Self.number(memory["current"]), "\(row)")
            let peak = try #require(Self.number(memory["peak"]), "\(row)")
            // The value may move between the reads, within a page cache's breath.
            let slack: Int64 = 1 << 20
            #expect(current >= min(before, after) - slack && current <= max(before, after) + slack, "\(current) vs \(before)…\(after)")
            #expect(peak >= current && peak <= peakFile + slack, "peak \(peak), file \(peakFile)")
            let uptime = try #require(Self.number(row["uptimeSeconds"]), "\(row)")
            #expect(uptime >= 0 && uptime <= Int64(Date().timeIntervalSince(started)) + 1, "\(uptime)")

            // Not running: nulls, not zeros.
            let idle = try Self.row(env, "idle")
            #expect(idle["running"] as? Bool == false)
            for key in ["pid", "uptimeSeconds", "memory", "tasks"] { #expect(idle[key] is NSNull, "\(key): \(idle)") }

            // The text table: the seed's two columns first, then the usage.
            let text = try env.container(["list"])
            let lines = text.stdout.split(separator: "\n").map(String.init)
            #expect(lines.first?.split(separator: " ") == ["NAME", "RUNNING", "PID", "UPTIME", "MEMORY", "PEAK", "TASKS"], "\(text.stdout)")
            let web = try #require(lines.first { $0.hasPrefix("web ") }).split(separator: " ").map(String.init)
            #expect(web.count == 7 && web[1] == "Yes" && web[2] == String(pid) && web[6] == "3", "\(web)")
            #expect(web[4].hasSuffix("iB") && web[5].hasSuffix("iB"), "\(web)")
            let idleLine = try #require(lines.first { $0.hasPrefix("idle ") }).split(separator: " ")
            #expect(idleLine == ["idle", "No", "-", "-", "-", "-", "-"], "\(idleLine)")
        }

        @Test func versionPrintsTheVersion() throws {
            let env = try TestEnvironment()
            let result = try env.runner.run(env.binary, ["--version"], environment: env.environment)
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout == ContainerEngine.version + "\n", "\(result)")
            #expect(ContainerEngine.version.range(of: #"^\d+\.\d+\.\d+$"#, options: .regularExpression) != nil)
        }
    }
}
