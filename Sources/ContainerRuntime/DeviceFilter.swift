#if canImport(Glibc)
import Glibc
#endif
import CLinuxShim
import LaunchPlan

/// The launcher's `attachDeviceFilter` step: loads the allow-list program
/// (`DeviceFilterProgram`) with bpf(BPF_PROG_LOAD) and attaches it to the container's cgroup
/// with bpf(BPF_PROG_ATTACH, BPF_CGROUP_DEVICE). Any refusal is an error naming the bpf
/// command, the cgroup and errno (and the verifier's log for a refused program): the start
/// fails, it never goes on unfiltered.
enum DeviceFilter {
    /// The verifier's log is asked for only after a refusal; this is plenty for the short
    /// programs an allow-list gives.
    static let logSize = 64 * 1024

    static func attach(_ rules: [DeviceRule], to cgroup: String) throws(RuntimeError) {
        let program = DeviceFilterProgram.instructions(allowing: rules)
        let directory = try Syscall.open(cgroup, O_RDONLY | O_DIRECTORY | O_NOFOLLOW)
        defer { Syscall.close(directory) }
        let programFD = try load(program, for: cgroup)
        // Closing the program's fd does not detach it: a BPF_PROG_ATTACH attachment (unlike a
        // bpf_link) holds its own reference to the program and lasts until it is detached or
        // the cgroup is removed (the kill's rmdir). So the launcher keeps no fd; verified by
        // DeviceFilterTests.anAttachedFilterDeniesUnlistedDevicesAfterItsFdIsClosed.
        defer { Syscall.close(programFD) }
        // BPF_F_ALLOW_MULTI as crun and runc: programs attached below (by a delegated
        // container manager) run as well and can only deny more, never allow what this denies.
        guard cls_bpf_prog_attach(programFD, directory, CLS_BPF_CGROUP_DEVICE, CLS_BPF_F_ALLOW_MULTI) == 0 else {
            throw .system("bpf(BPF_PROG_ATTACH)", path: cgroup, detail: "BPF_CGROUP_DEVICE, BPF_F_ALLOW_MULTI")
        }
    }

    /// The program's fd. A refusal is loaded once more with the verifier's log on, for the
    /// message; the errno reported is the first attempt's.
    static func load(_ program: [BPFInstruction], for cgroup: String) throws(RuntimeError) -> Int32 {
        let bytes = program.flatMap(\.bytes)
        let count = UInt32(program.count)
        let descriptor = bytes.withUnsafeBytes { raw in
            cls_bpf_prog_load(CLS_BPF_PROG_TYPE_CGROUP_DEVICE, raw.baseAddress, count, "GPL", 0, nil, 0)
        }
        if descriptor >= 0 { return descriptor }
        let code = errno
        var log = [CChar](repeating: 0, count: logSize)
        let retried = bytes.withUnsafeBytes { raw in
            cls_bpf_prog_load(CLS_BPF_PROG_TYPE_CGROUP_DEVICE, raw.baseAddress, count, "GPL", 1, &log, UInt32(log.count))
        }
        if retried >= 0 { return retried }
        log[log.count - 1] = 0
        let text = String(cString: log).split(separator: "\n").suffix(8).joined(separator: "; ")
        throw .system(
            "bpf(BPF_PROG_LOAD)", path: cgroup,
            detail: "BPF_PROG_TYPE_CGROUP_DEVICE, \(program.count) instructions"
                + (text.isEmpty ? "" : ", verifier log: \(text)"),
            errno: code)
    }
}
