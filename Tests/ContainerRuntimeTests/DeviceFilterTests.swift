import Foundation
import LaunchPlan
import Testing
@testable import ContainerRuntime

/// The device filter against the real kernel (root): loaded and attached to a cgroup2
/// directory it denies what the list does not name, after the launcher closed its fd; a
/// refused load or attach fails the start naming the bpf command, the path and errno.
@Suite(.serialized) struct DeviceFilterTests {
    static let unified = "/sys/fs/cgroup/unified"

    /// A shell that moves itself into the filtered cgroup cannot open the host's /dev/kmsg
    /// (root, so only the filter can refuse it) but can open /dev/null. `attach` has closed
    /// the program's fd by then: the attachment outlives it.
    @Test func anAttachedFilterDeniesUnlistedDevicesAfterItsFdIsClosed() throws {
        try #require(getuid() == 0, "loads eBPF programs: run as root")
        try #require(FileManager.default.fileExists(atPath: Self.unified + "/cgroup.procs"), "needs cgroup2 at \(Self.unified)")
        let parent = Self.unified + "/dft-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let cgroup = parent + "/filtered"
        try FileManager.default.createDirectory(atPath: cgroup, withIntermediateDirectories: true)
        defer {
            _ = runtimeEventually { ((try? String(contentsOfFile: cgroup + "/cgroup.procs", encoding: .utf8)) ?? "").isEmpty }
            rmdir(cgroup)
            rmdir(parent)
        }

        try DeviceFilter.attach(ContainerDefaults.deviceRules, to: cgroup)

        let output = try Self.shell(
            """
            echo $$ > \(cgroup)/cgroup.procs || exit 9
            true < /dev/null && echo null-opened
            if true < /dev/kmsg; then echo kmsg-OPENED; else echo kmsg-refused; fi
            """)
        #expect(output.status == 0, "\(output)")
        #expect(output.stdout == "null-opened\nkmsg-refused\n", "\(output)")
        #expect(output.stderr.contains("Operation not permitted"), "EPERM is the filter's answer: \(output)")
        // Outside the cgroup the same open works: the refusal above is the filter's.
        #expect(try Self.shell("true < /dev/kmsg && echo kmsg-opened").stdout == "kmsg-opened\n")
    }

    /// Every instruction form the generator emits (the access test too, which the default
    /// list never needs) passes the kernel's verifier.
    @Test func theVerifierAcceptsEveryFormOfRule() throws {
        try #require(getuid() == 0, "loads eBPF programs: run as root")
        let rules = [
            DeviceRule(kind: .character, major: 1, minor: 3, access: .all),
            DeviceRule(kind: .block, major: 4095, minor: 1_048_575, access: .read),
            DeviceRule(kind: .character, major: 0, minor: 0, access: [.write, .mknod]),
        ]
        for list in [rules, []] {
            let descriptor = try DeviceFilter.load(DeviceFilterProgram.instructions(allowing: list), for: "/test")
            #expect(descriptor >= 0)
            close(descriptor)
        }
    }

    @Test func aProgramTheVerifierRefusesNamesTheCommandThePathAndTheLog() throws {
        try #require(getuid() == 0, "loads eBPF programs: run as root")
        // Returns r0 without setting it: "R0 !read_ok".
        do {
            _ = try DeviceFilter.load([BPFInstruction.exit], for: "/sys/fs/cgroup/unified/x")
            Issue.record("the verifier accepted a program that returns an unset r0")
        } catch {
            let message = error.description
            #expect(message.hasPrefix("bpf(BPF_PROG_LOAD)(/sys/fs/cgroup/unified/x) BPF_PROG_TYPE_CGROUP_DEVICE, 1 instructions, verifier log: "), "\(message)")
            #expect(message.contains("R0"), "the verifier's reason: \(message)")
            #expect(error.errnoValue != nil)
        }
    }

    /// The plan's filter step aimed at a directory that is not a cgroup: the kernel refuses
    /// the attach, the start fails at that step with the path and errno, the cgroups created
    /// are removed and init never ran.
    @Test func aRefusedAttachFailsTheStartAtItsStep() throws {
        let sandbox = try RuntimeSandbox()
        defer { sandbox.cleanup() }
        try sandbox.writeInit("echo init-ran\n")
        var plan = try sandbox.makePlan(namespaces: "ph", version: .v2)
        let index = try #require(plan.steps.firstIndex { if case .attachDeviceFilter = $0.action { true } else { false } })
        plan.steps[index] = Step(.launcher, .attachDeviceFilter(cgroup: sandbox.base, rules: ContainerDefaults.deviceRules))

        let result = sandbox.execute(plan)

        #expect(result.exitStatus == 1)
        let message = result.error?.description ?? ""
        #expect(message.hasPrefix("step \(index + 1) launcher attachDeviceFilter: bpf(BPF_PROG_ATTACH)(\(sandbox.base))"), "\(message)")
        #expect(message.hasSuffix("(EBADF)"), "\(message)")
        for cgroup in sandbox.cgroups { #expect(!FileManager.default.fileExists(atPath: cgroup), "\(cgroup) left behind") }
        #expect(!sandbox.log.contains("init-ran"))
        #expect(result.initPID == nil)
    }

    struct Output: CustomStringConvertible {
        var status: Int32, stdout: String, stderr: String
        var description: String { "status \(status), stdout \(stdout.debugDescription), stderr \(stderr.debugDescription)" }
    }

    static func shell(_ script: String) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/busybox")
        process.arguments = ["sh", "-c", script]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }
}
