import Foundation
import Testing
import ConfigLanguage
import HostCgroups
import LaunchPlan
@testable import ContainerRuntime

/// Real starts of a busybox-static rootfs through `PlanExecutor`, as root.
@Suite(.serialized) struct StartExecutionTests {
    static let probeScript = """
        echo "hostname=$(hostname)"
        echo "pid=$$"
        echo "uptime=$(cut -d' ' -f1 /proc/uptime)"
        echo "uid=$(id -u)"
        echo "nnp=$(grep NoNewPrivs /proc/self/status | cut -f2)"
        if touch /ro/x 2>/dev/null; then echo ro=writable; else echo ro=readonly; fi
        if touch /rw/x 2>/dev/null; then echo rw=writable; else echo rw=readonly; fi
        echo "keys=$(wc -c < /proc/keys)"
        if echo h 2>/dev/null > /proc/sysrq-trigger; then echo sysrq=writable; else echo sysrq=readonly; fi
        echo "devnull=$(ls -l /dev/null | cut -c1)"
        echo "dev-fd=$(readlink /dev/fd)"
        echo ready
        exec sleep 1000
        """

    @Test func detachedStartWithEveryNamespace() throws {
        let sandbox = try RuntimeSandbox()
        defer { sandbox.cleanup() }
        try sandbox.writeInit(Self.probeScript)
        let plan = try sandbox.makePlan()
        let result = sandbox.execute(plan)
        #expect(result.exitStatus == 0, "\(String(describing: result.error))")
        let pid = try #require(result.initPID)
        #expect(sandbox.waitForLog("ready"), "log: \(sandbox.log)")
        let log = sandbox.log
        #expect(runtimeValue("hostname", in: log) == sandbox.name)
        #expect(runtimeValue("pid", in: log) == "1")
        #expect(runtimeValue("uid", in: log) == "0")
        #expect(runtimeValue("nnp", in: log) == "1")
        #expect(runtimeValue("ro", in: log) == "readonly")
        #expect(runtimeValue("rw", in: log) == "writable")
        #expect(FileManager.default.fileExists(atPath: sandbox.rwSource + "/x"))
        var created = stat()
        #expect(
            stat(sandbox.rwSource + "/x", &created) == 0 && created.st_uid == 0 && created.st_gid == 0,
            "the container root's file is stored as uid 0 through the idmapped mount, not \(created.st_uid)")
        #expect(runtimeValue("keys", in: log) == "0", "the masked /proc/keys is readable")
        #expect(runtimeValue("sysrq", in: log) == "readonly")
        #expect(runtimeValue("devnull", in: log) == "c")
        #expect(runtimeValue("dev-fd", in: log) == "/proc/self/fd")
        let uptime = Double(runtimeValue("uptime", in: log) ?? "") ?? -1
        #expect(uptime >= 0 && uptime < 30, "uptime in the container: \(uptime)")

        // Seen from the host: other namespaces, the id map, the pid file.
        for namespace in ["user", "pid", "uts", "ipc", "mnt", "cgroup", "time"] {
            let host = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/ns/\(namespace)")
            let container = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/ns/\(namespace)")
            #expect(host != container, "\(namespace) namespace is the host's")
        }
        let uidMap = try String(contentsOfFile: "/proc/\(pid)/uid_map", encoding: .utf8)
        #expect(
            uidMap.split(separator: " ", omittingEmptySubsequences: true).map(String.init).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } == [
                "0", "100000", "65536",
            ])
        let pidFile = try String(contentsOfFile: sandbox.state.pidsDirectory + "/" + sandbox.name, encoding: .utf8)
        #expect(pidFile == "\(pid)\n")
        // init's descriptors once it exec'd sleep: only 0, 1, 2.
        #expect(
            runtimeEventually {
                ((try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8)) ?? "").hasPrefix("sleep")
            })
        let descriptors = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").sorted()
        #expect(descriptors == ["0", "1", "2"])
        // init is in every cgroup the plan created.
        for cgroup in sandbox.cgroups where cgroup.hasSuffix("/" + sandbox.name) {
            #expect(sandbox.processes(in: cgroup).contains(pid), "\(cgroup)")
        }
    }

    @Test func secondStartOfARunningContainerIsRefused() throws {
        let sandbox = try RuntimeSandbox()
        defer { sandbox.cleanup() }
        try sandbox.writeInit("echo ready\nexec sleep 1000\n")
        let plan = try sandbox.makePlan()
        let first = sandbox.execute(plan)
        #expect(first.exitStatus == 0, "\(String(describing: first.error))")
        let second = PlanExecutor(plan: plan, options: ExecutionOptions(mode: .detached, requireSingleThread: false)).execute()
        #expect(second.exitStatus == 1)
        #expect(second.error?.kind == .refused)
        let pid = try #require(first.initPID)
        #expect(kill(pid, 0) == 0, "the running container was touched")
    }

    @Test func foregroundReturnsInitsStatus() throws {
        let sandbox = try RuntimeSandbox()
        defer { sandbox.cleanup() }
        try sandbox.writeInit("exit 7\n")
        let result = sandbox.execute(try sandbox.makePlan(), mode: .foreground)
        #expect(result.exitStatus == 7, "\(String(describing: result.error))")
    }

    @Test func missingInitIsReportedWithItsErrnoAndUndone() throws {
        let sandbox = try RuntimeSandbox()
        defer { sandbox.cleanup() }
        let plan = try sandbox.makePlan(initPath: "/no/such/init")
        let result = sandbox.execute(plan)
        #expect(result.exitStatus == 1)
        #expect(result.error?.description.contains("execve(/no/such/init)") == true, "\(String(describing: result.error))")
        #expect(result.error?.description.contains("ENOENT") == true)
        for cgroup in sandbox.cgroups where cgroup.hasSuffix("/" + sandbox.name) {
            #expect(!FileManager.default.fileExists(atPath: cgroup), "\(cgroup) left behind")
        }
        #expect(sandbox.log.contains("ENOENT"))
    }

    @Test func symlinkedDevInTheRootNeverReachesTheHost() throws {
        let sandbox = try RuntimeSandbox()
        defer { sandbox.cleanup() }
        let outside = sandbox.base + "/outside"
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        try "keep".write(toFile: outside + "/marker", atomically: false, encoding: .utf8)
        try FileManager.default.removeItem(atPath: sandbox.root + "/dev")
        try FileManager.default.createSymbolicLink(atPath: sandbox.root + "/dev", withDestinationPath: outside)
        try sandbox.writeInit("exec sleep 1000\n")
        let result = sandbox.execute(try sandbox.makePlan())
        #expect(result.exitStatus == 1)
        #expect(result.error?.description.contains("ELOOP") == true, "\(String(describing: result.error))")
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside) == ["marker"])
    }

    @Test func hostProgramIsExecutedByDescriptor() throws {
        let sandbox = try RuntimeSandbox()
        defer { sandbox.cleanup() }
        // /bin/busybox of the host, run as `@`: argv[0] is its host path, so busybox runs as
        // the "busybox" applet and prints its banner to the log.
        let result = sandbox.execute(try sandbox.makePlan(namespaces: "uphti", initPath: "/bin/busybox", initLocation: .host), mode: .foreground)
        #expect(result.exitStatus == 0, "\(String(describing: result.error))")
        #expect(sandbox.log.contains("BusyBox"), "log: \(sandbox.log)")
    }

    @Test func cgroupV2CreateAndAttachOnTheUnifiedHierarchy() throws {
        let probe = CgroupProbe.probeHost()
        try #require(probe.v2Root != nil, "no cgroup2 hierarchy")
        let sandbox = try RuntimeSandbox()
        defer { sandbox.cleanup() }
        try sandbox.writeInit("echo ready\nexec sleep 1000\n")
        let plan = try sandbox.makePlan(version: .v2)
        let result = sandbox.execute(plan)
        #expect(result.exitStatus == 0, "\(String(describing: result.error))")
        let pid = try #require(result.initPID)
        let cgroup = try #require(sandbox.cgroups.last)
        #expect(sandbox.processes(in: cgroup) == [pid])
        let events = try String(contentsOfFile: cgroup + "/cgroup.events", encoding: .utf8)
        #expect(events.contains("populated 1"))
    }
}
