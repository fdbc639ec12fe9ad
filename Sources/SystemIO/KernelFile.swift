#if canImport(Glibc)
import Glibc
#endif

/// Kernel interface files (cgroupfs, procfs, sysfs): small, read whole, written in one
/// write(2) as the kernel expects. Plain paths are safe here (they are never inside a
/// container's root), and a final symlink is still refused: a control file is never a link.
public enum KernelFile {
    /// The contents of a small file as text.
    public static func read(_ path: String, limit: Int = 1 << 20) throws(SystemError) -> String {
        let file = try FileDescriptor.open(path, O_RDONLY | O_NOFOLLOW)
        defer { file.close() }
        return String(decoding: try file.readAll(limit: limit, path: path), as: UTF8.self)
    }

    /// The contents, or nil when the file cannot be opened or read (absent controller, gone cgroup).
    public static func readIfPresent(_ path: String, limit: Int = 1 << 20) -> String? {
        try? read(path, limit: limit)
    }

    /// Writes `value` in one write(2); a short write is an error (EIO). The error names the
    /// file and the value.
    public static func write(_ value: String, to path: String) throws(SystemError) {
        let file: FileDescriptor
        do { file = try .open(path, O_WRONLY | O_NOFOLLOW) } catch {
            throw SystemError("open", path: path, detail: "to write '\(value)'", errno: error.errno)
        }
        defer { file.close() }
        let bytes = Array(value.utf8)
        let written = bytes.withUnsafeBytes { raw in retryingInterrupts { Glibc.write(file.rawValue, raw.baseAddress!, raw.count) } }
        guard written == bytes.count else {
            throw SystemError("write", path: path, detail: "'\(value)'", errno: written < 0 ? errno : EIO)
        }
    }
}
