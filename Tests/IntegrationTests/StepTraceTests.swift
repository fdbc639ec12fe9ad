import Foundation
import Testing

extension Integration {
    /// The runtime is an interpreter of the plan: with `CONTAINERS_TRACE_STEPS`, every step it
    /// executes (in the launcher, the child and init) is traced, and the trace is the plan.
    @Suite struct StepTraceTests {
        /// A config with every key of the language (the repeatable ones twice).
        static func writeEverythingConfig(_ env: TestEnvironment, name: String) throws {
            let device = try CgroupLimitTests.blockDevice()
            for directory in ["shared", "cache", "tools"] {
                try FileManager.default.createDirectory(atPath: env.base.path + "/" + directory, withIntermediateDirectories: true)
            }
            // The targets exist: container root (host uid 200000) may not create them in the
            // root-owned rootfs.
            for target in ["/mnt/shared", "/var/cache", "/opt/tools"] {
                try FileManager.default.createDirectory(atPath: env.rootfs + target, withIntermediateDirectories: true)
            }
            try env.writeScript("/sbin/test-init", "exec sleep 100000")
            try env.writeRawConfig(
                name,
                """
                root=\(env.rootfs)
                init=/sbin/test-init
                namespaces=uphtic
                max_physical_memory=64M
                max_memory=128M
                max_processes=64
                cpu_share=512
                net_classid=0x00100001
                mount=\(env.base.path)/shared:/mnt/shared
                mount=\(env.base.path)/cache:/var/cache
                mount_ro=\(env.base.path)/tools:/opt/tools
                iops_limit=\(device) 1000
                io_bw_limit=\(device) 10M
                id_map_start=200000

                """)
        }

        /// `INDEX PROCESS ACTION` lines, sorted by index (each process appends its own).
        static func readTrace(_ path: String) throws -> [(index: Int, step: PlannedStep)] {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            return try text.split(separator: "\n").map { line in
                let fields = line.split(separator: " ").map(String.init)
                guard fields.count == 3, let index = Int(fields[0]) else { throw TestFailure("bad trace line '\(line)'") }
                return (index, PlannedStep(process: fields[1], action: fields[2]))
            }.sorted { $0.index < $1.index }
        }

        @Test func theExecutedStepsAreThePlansStepsInOrder() throws {
            let env = try TestEnvironment()
            try Self.writeEverythingConfig(env, name: "every")
            let planned = try env.plannedSteps("every")
            let trace = env.base.path + "/trace"

            let start = try env.container(["start", "every"], adding: ["CONTAINERS_TRACE_STEPS": trace])

            try #require(start.status == 0, "\(start)")
            let executed = try Self.readTrace(trace)
            #expect(executed.map(\.index) == Array(1...executed.count), "each step once, numbered from 1: \(executed.map(\.index))")
            #expect(executed.map(\.step) == planned, "trace:\n\(executed.map(\.step))\nplan:\n\(planned)")
            #expect(Set(planned.map(\.process)) == ["launcher", "child", "init"])
            #expect(planned.contains(PlannedStep(process: "init", action: "exec")))
            _ = try env.container(["kill", "every"])
        }

        /// A failed step has no trace line, and the error names the step as the plan numbers it.
        @Test func aFailingStepIsNamedAndTheTraceStopsBeforeIt() throws {
            let env = try TestEnvironment()
            // Executable, but neither ELF nor `#!`: execve fails with ENOEXEC after every other step.
            try Data("not a program\n".utf8).write(to: URL(fileURLWithPath: env.rootfs + "/sbin/bad-init"))
            chmod(env.rootfs + "/sbin/bad-init", 0o755)
            try env.writeConfig("broken", init: "/sbin/bad-init", namespaces: "ph")
            let planned = try env.plannedSteps("broken")
            let execIndex = try #require(planned.firstIndex(of: PlannedStep(process: "init", action: "exec"))) + 1
            let trace = env.base.path + "/trace"

            let start = try env.container(["start", "broken"], adding: ["CONTAINERS_TRACE_STEPS": trace])

            #expect(start.status == 1, "\(start)")
            #expect(start.stderr.contains("step \(execIndex) init exec: execve(/sbin/bad-init): Exec format error (ENOEXEC)"), "\(start)")
            let executed = try Self.readTrace(trace)
            // exec's line is written just before execve: it is the last line, and nothing after.
            #expect(executed.map(\.step) == Array(planned.prefix(execIndex)), "\(executed)")
        }

        /// Plan notes (what this host cannot do, defaults chosen) go to stderr and the log.
        @Test func thePlansNotesArePrintedAndLogged() throws {
            let env = try TestEnvironment()
            try env.writeScript("/sbin/test-init", "exec sleep 100000")
            try env.writeConfig("noted", init: "/sbin/test-init", namespaces: "ph", extra: ["max_memory=64M"])
            let plan = try env.container(["plan", "noted"])
            let note = try #require(
                plan.stdout.split(separator: "\n").first { $0.hasPrefix("note: ") }.map { String($0.dropFirst(6)) },
                "the plan has a note: \(plan)")

            let start = try env.container(["start", "noted"])

            #expect(start.status == 0, "\(start)")
            #expect(start.stderr.contains(note), "\(start)")
            #expect(env.log("noted").contains(note), "\(env.log("noted"))")
        }
    }
}
