/// The cgroup hierarchy a plan targets (and a host uses).
public enum CgroupVersion: String, Sendable, Equatable, CaseIterable {
    case v1, v2
}

/// A cgroup v1 controller this project uses. The raw value is the controller's name, which is
/// also the directory it is mounted at under the cgroup root (`/sys/fs/cgroup/<name>`).
public enum CgroupV1Controller: String, Sendable, Equatable, CaseIterable {
    /// Always used: the device allow list.
    case devices
    /// Always used: `kill` freezes the container before signalling it.
    case freezer
    /// Always used: the process count (and a place that lists every process).
    case pids
    /// When `max_physical_memory` or `max_memory` is set.
    case memory
    /// When `cpu_share` is set.
    case cpu
    /// When an I/O limit is set.
    case blkio
    /// When `net_classid` is set.
    case netCls = "net_cls"

    /// The controllers every v1 container gets, whatever its config says. Computed (it is read
    /// once per plan): a lazy global would dirty a page of its own for every start.
    public static var alwaysUsed: [CgroupV1Controller] { [.devices, .freezer, .pids] }
}

/// A cgroup v2 controller this project uses, as named in `cgroup.controllers` and enabled with
/// `+name` in `cgroup.subtree_control`. Controllers the project never enables (cpuset,
/// hugetlb, rdma, misc) are not modelled: the parser skips them.
public enum CgroupV2Controller: String, Sendable, Equatable, CaseIterable {
    /// `max_physical_memory` / `max_memory` (memory.max, memory.swap.max).
    case memory
    /// `max_processes` (pids.max).
    case pids
    /// `cpu_share` (cpu.weight).
    case cpu
    /// `iops_limit` / `io_bw_limit` (io.max).
    case io

    /// The controllers named in the text of a `cgroup.controllers` (or `cgroup.subtree_control`)
    /// file, in this enum's order: space- or newline-separated names, unknown ones skipped.
    public static func parseList(_ text: String) -> [CgroupV2Controller] {
        KernelTextBytes.reading(text) { bytes in
            guard bytes.isPlainASCII(0..<bytes.count) else {
                // Characters: a non-ASCII byte may join a separator into a grapheme cluster.
                let names = text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" })
                return allCases.filter { names.contains(Substring($0.rawValue)) }
            }
            // Bytes otherwise: the probe of every start reads this list (KernelTextBytes).
            var named: [CgroupV2Controller] = []
            var start = 0
            while start < bytes.count {
                var end = start
                while end < bytes.count, !isSeparator(bytes.bytes[end]) { end += 1 }
                if let controller = allCases.first(where: { bytes.equals(start..<end, $0.rawValue) }) {
                    named.append(controller)
                }
                start = end + 1
            }
            return allCases.filter(named.contains)
        }
    }

    private static func isSeparator(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\t")
    }
}
