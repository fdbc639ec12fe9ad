#if canImport(Glibc)
import Glibc
#endif

/// Reading and removing a container's cgroup directory, sub-cgroups included (a container with
/// its own cgroup namespace may have created some).
enum CgroupTree {
    /// Every pid in `cgroup.procs` of the cgroup and of its descendants.
    static func processes(in cgroup: String) throws(RuntimeError) -> [Int32] {
        var pids = try Syscall.readFile(cgroup + "/cgroup.procs")
            .split(separator: "\n").compactMap { Int32($0) }
        for child in subdirectories(of: cgroup) { pids += try processes(in: child) }
        return pids
    }

    /// rmdir of the cgroup, deepest sub-cgroups first; a missing cgroup is fine.
    static func remove(_ cgroup: String) throws(RuntimeError) {
        for child in subdirectories(of: cgroup) { try remove(child) }
        if rmdir(cgroup) != 0, errno != ENOENT { throw .system("rmdir", path: cgroup) }
    }

    /// The sub-cgroups (directories) of a cgroup; control files are skipped.
    static func subdirectories(of cgroup: String) -> [String] {
        guard let handle = opendir(cgroup) else { return [] }
        defer { closedir(handle) }
        var result: [String] = []
        while let entry = readdir(handle) {
            guard entry.pointee.d_type == UInt8(DT_DIR) else { continue }
            let name = withUnsafePointer(to: entry.pointee.d_name) { tuple in
                tuple.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name == "." || name == ".." { continue }
            result.append(cgroup + "/" + name)
        }
        return result
    }
}
