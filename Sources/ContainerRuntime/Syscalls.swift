#if canImport(Glibc)
import Glibc
#endif
import CLinuxShim
import SystemIO

/// The runtime's face of the syscall layer (SystemIO): raw descriptors as the step code holds
/// them, every failure a thrown `RuntimeError` naming the call and the path as the
/// administrator wrote it (not the `/proc/self/fd/N` alias the call really used).
enum Syscall {
    /// `/proc/self/fd/N`: how a mount reaches an fd that was resolved safely.
    static func fdPath(_ descriptor: Int32) -> String { "/proc/self/fd/\(descriptor)" }

    static func open(_ path: String, _ flags: Int32, mode: mode_t = 0, step: String = "open") throws(RuntimeError) -> Int32 {
        try system { () throws(SystemError) in try FileDescriptor.open(path, flags, mode: mode, operation: step).rawValue }
    }

    /// openat2(2): `path` resolved under `directory` with the given RESOLVE_* flags.
    static func openat2(_ directory: Int32, _ path: String, flags: Int32, mode: mode_t = 0, resolve: UInt64, displayPath: String) throws(RuntimeError) -> Int32
    {
        let descriptor = cls_openat2(directory, path, UInt64(UInt32(bitPattern: flags | O_CLOEXEC)), UInt64(mode), resolve)
        guard descriptor >= 0 else { throw .system("openat2", path: displayPath) }
        return descriptor
    }

    static func mount(_ source: String?, _ target: String, type: String?, flags: UInt, data: String?, displayTarget: String, step: String = "mount")
        throws(RuntimeError)
    {
        let result = cls_mount(source, target, type, flags, data)
        guard result == 0 else { throw .system(step, path: displayTarget) }
    }

    static func close(_ descriptor: Int32) {
        FileDescriptor(rawValue: descriptor).close()
    }

    /// Writes every byte, retrying short writes and EINTR; false on error (errno set).
    @discardableResult
    static func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) -> Bool {
        (try? FileDescriptor(rawValue: descriptor).writeAll(bytes)) != nil
    }

    /// The contents of a small kernel file (cgroup.procs, cap_last_cap).
    static func readFile(_ path: String, limit: Int = 1 << 20) throws(RuntimeError) -> String {
        try system { () throws(SystemError) in try KernelFile.read(path, limit: limit) }
    }

    /// Writes `value` to a kernel control file (cgroup, /proc) in one write(2), as the kernel
    /// expects. The error names the file and the value.
    static func writeControlFile(_ path: String, _ value: String) throws(RuntimeError) {
        try system { () throws(SystemError) in try KernelFile.write(value, to: path) }
    }

    /// mkdir -p on the host (cgroup directories, state subdirectories): the directories this
    /// call created, outermost first, so that a failed start can remove exactly those.
    static func makeDirectories(_ path: String, mode: mode_t = 0o755) throws(RuntimeError) -> [String] {
        // The common cases cost one syscall: the directory is new under an existing parent
        // (a cgroup), or it exists already (a state directory). Only ENOENT walks the path.
        if mkdir(path, mode) == 0 { return [path] }
        if errno == EEXIST {
            var info = stat()
            guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
                throw .failed("mkdir", path: path, "exists and is not a directory")
            }
            return []
        }
        guard errno == ENOENT else { throw .system("mkdir", path: path) }
        var created: [String] = []
        var current = ""
        // Bytes, not Characters, and the concrete Substring append, not the generic `+`: both
        // showed in callgrind profiles of a start (grapheme breaking, run-time metadata).
        for component in path.utf8.split(separator: UInt8(ascii: "/")) {
            current += "/"
            current.append(contentsOf: Substring(component))
            if mkdir(current, mode) == 0 {
                created.append(current)
            } else if errno != EEXIST {
                throw .system("mkdir", path: current)
            }
        }
        var info = stat()
        guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
            throw .failed("mkdir", path: path, "exists and is not a directory")
        }
        return created
    }

    /// The directory part and the last component of an absolute path.
    static func split(_ path: String) -> (directory: String, name: String) { splitPath(path) }

    /// The calling process's threads: the `Threads:` line of /proc/self/status, -1 when it
    /// cannot be read. Scanned as bytes with a plain loop (a start's first use of `split` or
    /// `Int(String)` would instantiate witness tables: private memory, docs/performance.md).
    static func threadCount() -> Int {
        guard let file = try? FileDescriptor.open("/proc/self/status", O_RDONLY) else { return -1 }
        defer { file.close() }
        guard let bytes = try? file.readAll(limit: 1 << 16) else { return -1 }
        let key = Array("\nThreads:".utf8)
        var index = 0
        while index + key.count <= bytes.count {
            var matched = 0
            while matched < key.count, bytes[index + matched] == key[matched] { matched += 1 }
            if matched == key.count { break }
            index += 1
        }
        index += key.count
        while index < bytes.count, bytes[index] == UInt8(ascii: "\t") || bytes[index] == UInt8(ascii: " ") { index += 1 }
        var count = -1
        while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
            count = max(count, 0) * 10 + Int(bytes[index] - UInt8(ascii: "0"))
            index += 1
        }
        return count
    }
}
