import Foundation
import Testing

extension Integration {
    /// The second back end for real: one probe container exported with `container export` and
    /// started natively, with crun, with runc and through containerd (`ctr run --config`)
    /// gives the same answers inside (hostname, pid 1, id maps, mounts, environment, /proc
    /// masking, capabilities, no_new_privs) and the same cgroup files seen from the host; each
    /// is then killed and its runtime state, cgroups and processes are gone.
    @Suite struct OCIBundleTests {
        /// Prints what the probe container sees, one `key=value` a line, then waits.
        static let probe = """
            exec 2>&1
            echo "hostname=$(hostname)"
            echo "pid=$$"
            echo "uid_map=$(tr -s ' ' </proc/self/uid_map | sed 's/^ //')"
            echo "gid_map=$(tr -s ' ' </proc/self/gid_map | sed 's/^ //')"
            echo "uptime=$(cut -d. -f1 /proc/uptime)"
            echo "rw=$(cat /mnt/rw/marker)"
            echo "rw-write=$(echo inside >/mnt/rw/written && cat /mnt/rw/written && rm /mnt/rw/written)"
            echo "ro=$(cat /mnt/ro/marker)"
            if (echo x >/mnt/ro/written) 2>/dev/null; then echo ro-write=WRITABLE; else echo ro-write=refused; fi
            echo "env=$(env | sort | tr '\\n' ' ')"
            echo "timer_list=$(wc -c </proc/timer_list)"
            echo "keys=$(wc -c </proc/keys)"
            echo "acpi=$(ls -A /proc/acpi | wc -l)"
            if (echo probe >/proc/sys/kernel/hostname) 2>/dev/null; then echo proc-sys=WRITABLE; else echo proc-sys=read-only; fi
            grep -E '^(NoNewPrivs|CapInh|CapPrm|CapEff|CapBnd):' /proc/self/status | tr -d '\\t' | sed 's/:/=/'
            echo "devs=$(ls /dev | tr '\\n' ' ')"
            echo "probe-done"
            exec sleep 100000
            """

        /// The kept capability set (ContainerDefaults.keptCapabilities) as /proc prints it.
        static let keptCapabilities = "00000000a80425fb"

        /// What every run must see (the rest is compared with the native run).
        static let expected = [
            "hostname": "probe", "pid": "1", "uid_map": "0 100000 65536", "gid_map": "0 100000 65536",
            "rw": "host-rw", "rw-write": "inside", "ro": "host-ro", "ro-write": "refused",
            "timer_list": "0", "keys": "0", "acpi": "0", "proc-sys": "read-only", "NoNewPrivs": "1",
            "CapInh": "0000000000000000", "CapPrm": keptCapabilities, "CapEff": keptCapabilities,
            "CapBnd": keptCapabilities,
        ]

        /// /dev entries the OCI runtimes add to the native list: runc and crun always make
        /// /dev/ptmx (a link to pts/ptmx) and crun /dev/core (a link to /proc/kcore).
        static let runtimeExtraDevices: Set<String> = ["ptmx", "core"]

        /// The probe's world: a rootfs with the probe as init, a rw and a ro host directory, the
        /// config (KEY=VALUE, the seed's keys) with limits on memory, processes, cpu and I/O.
        static func prepare(_ env: TestEnvironment, namespaces: String) throws -> String {
            let device = try CgroupLimitTests.blockDevice()
            try env.writeScript("/sbin/probe", probe)
            for (name, content) in [("rw", "host-rw"), ("ro", "host-ro")] {
                let source = env.base.path + "/data-" + name
                try FileManager.default.createDirectory(atPath: source, withIntermediateDirectories: true)
                try Data((content + "\n").utf8).write(to: URL(fileURLWithPath: source + "/marker"))
                // The container's root is host uid 100000 (namespaces has u).
                chown(source, 100_000, 100_000)
                try FileManager.default.createDirectory(atPath: env.rootfs + "/mnt/" + name, withIntermediateDirectories: true)
            }
            try env.writeConfig(
                "probe", init: "/sbin/probe", namespaces: namespaces,
                extra: [
                    "max_physical_memory=64M", "max_memory=128M", "max_processes=50", "cpu_share=512",
                    "mount=\(env.base.path)/data-rw:/mnt/rw", "mount_ro=\(env.base.path)/data-ro:/mnt/ro",
                    "iops_limit=\(device) 1000", "io_bw_limit=\(device) 1048576",
                    // The sources are chowned to the range above, for the runtimes' plain binds.
                    "id_map_mode=none",
                ])
            return device
        }

        /// `key=value` lines of the probe's output up to `probe-done`.
        static func answers(_ output: String) -> [String: String] {
            var answers: [String: String] = [:]
            for line in output.split(separator: "\n") {
                guard let equals = line.firstIndex(of: "=") else { continue }
                answers[String(line[..<equals])] = String(line[line.index(after: equals)...])
            }
            return answers
        }

        /// The cgroup files of the running container as the host sees them.
        static func cgroupFiles(_ env: TestEnvironment) -> [String: String] {
            var files: [String: String] = [:]
            for (controller, file) in [
                ("memory", "memory.limit_in_bytes"), ("memory", "memory.memsw.limit_in_bytes"), ("pids", "pids.max"),
                ("cpu", "cpu.shares"), ("blkio", "blkio.throttle.read_iops_device"), ("blkio", "blkio.throttle.write_iops_device"),
                ("blkio", "blkio.throttle.read_bps_device"), ("blkio", "blkio.throttle.write_bps_device"),
            ] {
                files[file] = env.cgroupValue(controller, "probe", file) ?? "<missing>"
            }
            return files
        }

        @Test func theSameProbeGivesTheSameAnswersNativelyAndUnderCrunRuncAndContainerd() throws {
            let env = try TestEnvironment()
            let device = try Self.prepare(env, namespaces: "uphic")
            let bundle = try env.exportBundle("probe")
            let runtimes = try OCIRuntimes(env)
            defer { runtimes.cleanup() }
            let validation = try env.runner.run(
                "/usr/bin/python3",
                [
                    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                        .deletingLastPathComponent().appendingPathComponent("scripts/validate-oci.py").path,
                    bundle + "/config.json",
                ])
            #expect(validation.status == 0, "the bundle run below is valid against the runtime-spec schema: \(validation)")

            // Native first: the reference.
            let pid = try env.startDetached("probe")
            #expect(env.waitForLog("probe", containing: "probe-done"), "\(env.log("probe"))")
            let native = Self.answers(env.log("probe"))
            let nativeCgroups = Self.cgroupFiles(env)
            #expect(nativeCgroups["memory.limit_in_bytes"] == "67108864")
            #expect(nativeCgroups["memory.memsw.limit_in_bytes"] == "134217728")
            #expect(nativeCgroups["pids.max"] == "50")
            #expect(nativeCgroups["cpu.shares"] == "512")
            #expect(nativeCgroups["blkio.throttle.read_iops_device"] == "\(device) 1000")
            #expect(nativeCgroups["blkio.throttle.write_bps_device"] == "\(device) 1048576")
            for (key, value) in Self.expected { #expect(native[key] == value, "native \(key): \(native[key] ?? "<none>")") }
            #expect(procFile(pid, "status")?.contains("Uid:\t100000\t") == true, "init runs as host uid 100000")
            let kill = try env.container(["kill", "probe"])
            #expect(kill.status == 0, "\(kill)")

            for runtime in OCIRuntimes.Runtime.allCases {
                let id = "probe-\(runtime)"
                let started = try runtimes.run(runtime, bundle: bundle, id: id)
                try #require(started.status == 0, "\(runtime) run: \(started)")
                #expect(
                    eventually(timeout: 15) { runtimes.output(runtime, id).contains("probe-done") },
                    "\(runtime): \(runtimes.output(runtime, id))")
                let answers = Self.answers(runtimes.output(runtime, id))
                for (key, value) in native where !["uptime", "devs"].contains(key) {
                    #expect(answers[key] == value, "\(runtime) \(key): \(answers[key] ?? "<none>"), natively \(value)")
                }
                let devices = Set((answers["devs"] ?? "").split(separator: " ").map(String.init))
                let nativeDevices = Set((native["devs"] ?? "").split(separator: " ").map(String.init))
                #expect(devices.isSuperset(of: nativeDevices), "\(runtime) /dev: \(devices.sorted())")
                #expect(devices.subtracting(nativeDevices).isSubset(of: Self.runtimeExtraDevices), "\(runtime) /dev: \(devices.sorted())")
                #expect(Self.cgroupFiles(env) == nativeCgroups, "\(runtime) cgroup files")
                let allowed = env.cgroupValue("devices", "probe", "devices.list") ?? ""
                #expect(allowed.contains("c 1:3 rwm") && !allowed.contains("a *:* rwm"), "\(runtime) devices.list: \(allowed)")
                // The bundle's cgroupsPath is the container's identity cgroup: `list` sees it.
                #expect(try env.listed("probe")?.running == true, "\(runtime): container list sees the bundle's container")
                let members = Set(env.processes(of: "probe"))
                #expect(members.count == 1, "\(runtime): init alone in the cgroup: \(members)")

                let stopped = try runtimes.stop(runtime, id)

                #expect(stopped.status == 0, "\(runtime) delete: \(stopped)")
                for member in members { #expect(eventually { !processExists(member) }, "\(runtime): \(member) is gone") }
                #expect(eventually { !CgroupSweeper.isDirectory(env.cgroupPath("memory", "probe")) }, "\(runtime) removed its cgroups")
            }
        }

        /// An `@` init (a host program) is bind-mounted read-only at /.container-init and run
        /// from there under each runtime: the container cannot write to the host's file (the
        /// attack of CVE-2019-5736's class, here through the mount itself).
        @Test func aHostInitRunsReadOnlyUnderEveryRuntime() throws {
            let env = try TestEnvironment()
            let hostInit = env.base.path + "/host-init"
            let script = """
                #!/bin/sh
                echo "running-as=$0"
                if (echo tampered >>/.container-init) 2>/dev/null; then echo init-write=WRITABLE; else echo init-write=refused; fi
                echo probe-done
                exec sleep 100000

                """
            try Data(script.utf8).write(to: URL(fileURLWithPath: hostInit))
            chmod(hostInit, 0o755)
            try env.writeConfig("hostinit", init: "@" + hostInit, namespaces: "ph")
            let bundle = try env.exportBundle("hostinit")
            let runtimes = try OCIRuntimes(env)
            defer { runtimes.cleanup() }

            for runtime in OCIRuntimes.Runtime.allCases {
                let id = "hostinit-\(runtime)"
                let started = try runtimes.run(runtime, bundle: bundle, id: id)
                try #require(started.status == 0, "\(runtime): \(started)")
                #expect(eventually(timeout: 15) { runtimes.output(runtime, id).contains("probe-done") }, "\(runtime): \(runtimes.output(runtime, id))")
                let answers = Self.answers(runtimes.output(runtime, id))
                #expect(answers["running-as"] == "/.container-init", "\(runtime): \(answers)")
                #expect(answers["init-write"] == "refused", "\(runtime): \(answers)")
                #expect(try runtimes.stop(runtime, id).status == 0)
            }
            #expect(try String(contentsOfFile: hostInit, encoding: .utf8) == script, "the host's init is unchanged")
        }

        /// `t`: natively uptime restarts at 0; the bundle's time namespace has static offsets
        /// of 0 (docs/oci.md), so under crun, and containerd driving crun, uptime is the host's,
        /// in a namespace of its own; runc 1.1 (alone or under containerd) does not know the
        /// time namespace and refuses the bundle.
        @Test func theTimeNamespaceNativelyUnderCrunAndRefusedByRunc() throws {
            let env = try TestEnvironment()
            _ = try Self.prepare(env, namespaces: "uphtic")
            let bundle = try env.exportBundle("probe")
            let runtimes = try OCIRuntimes(env)
            defer { runtimes.cleanup() }
            let hostUptime = { Int((try? String(contentsOfFile: "/proc/uptime", encoding: .utf8))?.split(separator: ".").first ?? "") ?? -1 }

            try env.startDetached("probe")
            #expect(env.waitForLog("probe", containing: "probe-done"))
            let native = Self.answers(env.log("probe"))
            #expect((Int(native["uptime"] ?? "") ?? 99) < 5, "uptime restarts natively: \(native["uptime"] ?? "")")
            #expect(try env.container(["kill", "probe"]).status == 0)

            let withCrun = try OCIRuntimes(env, directory: "oci-crun", containerdWithCrun: true)
            defer { withCrun.cleanup() }
            for (harness, runtime) in [(runtimes, OCIRuntimes.Runtime.crun), (withCrun, .containerd)] {
                let id = "probe-t-\(runtime)"
                let started = try harness.run(runtime, bundle: bundle, id: id)
                try #require(started.status == 0, "\(runtime): \(started)")
                #expect(eventually(timeout: 15) { harness.output(runtime, id).contains("probe-done") }, "\(runtime)")
                let answers = Self.answers(harness.output(runtime, id))
                let inside = Int(answers["uptime"] ?? "") ?? -1
                #expect(abs(inside - hostUptime()) <= 5, "\(runtime), offsets 0: the host's uptime \(hostUptime()), inside \(inside)")
                let initPid = try #require(env.processes(of: "probe").first)
                #expect(namespace("time", of: initPid) != namespace("time", of: nil), "\(runtime) made a time namespace")
                #expect(answers["hostname"] == "probe" && answers["pid"] == "1", "\(runtime): \(answers)")
                #expect(try harness.stop(runtime, id).status == 0)
                #expect(eventually { env.processes(of: "probe").isEmpty })
            }

            let refused = try runtimes.run(.runc, bundle: bundle, id: "probe-t-runc")
            #expect(refused.status != 0, "runc 1.1 has no time namespace: \(refused)")
            #expect(runtimes.output(.runc, "probe-t-runc").contains("time"), "\(runtimes.output(.runc, "probe-t-runc"))")
            let refusedByContainerd = try runtimes.run(.containerd, bundle: bundle, id: "probe-t-ctd")
            #expect(refusedByContainerd.status != 0, "containerd's runc shim refuses it too: \(refusedByContainerd)")
            #expect(env.processes(of: "probe").isEmpty)
        }
    }
}
