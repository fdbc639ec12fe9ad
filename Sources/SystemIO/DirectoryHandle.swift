#if canImport(Glibc)
import Glibc
#endif
import CLinuxShim

/// An open directory that files are opened, renamed and removed relative to, never through a
/// symlink: the state directory (`pids/`, `logs/`, `locks/`), cgroup directories, `configs/`.
///
/// Opening the directory once and working relative to its descriptor means a path component
/// swapped for a symlink between two calls cannot redirect the second one.
public struct DirectoryHandle: Sendable {
    public let descriptor: FileDescriptor
    /// The directory's path, for error messages.
    public let path: String

    /// Opens the directory at `path` (O_DIRECTORY|O_NOFOLLOW|O_CLOEXEC).
    public static func open(_ path: String) throws(SystemError) -> DirectoryHandle {
        DirectoryHandle(descriptor: try .open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW), path: path)
    }

    /// The full path of an entry, for messages.
    public func path(of name: String) -> String { path == "/" ? "/" + name : path + "/" + name }

    /// Opens the entry `name` (O_NOFOLLOW|O_CLOEXEC).
    public func openFile(_ name: String, _ flags: Int32, mode: mode_t = 0) throws(SystemError) -> FileDescriptor {
        try descriptor.openAt(name, flags, mode: mode, displayPath: path(of: name))
    }

    /// renameat(2) within this directory: atomically replaces `to`.
    public func rename(_ from: String, to: String) throws(SystemError) {
        guard renameat(descriptor.rawValue, from, descriptor.rawValue, to) == 0 else {
            throw SystemError("rename", path: path(of: from), detail: "to \(to)")
        }
    }

    /// unlinkat(2) of `name` (a symlink is removed itself, its target never touched); an entry
    /// that is already gone is fine.
    public func unlink(_ name: String) throws(SystemError) {
        guard unlinkat(descriptor.rawValue, name, 0) == 0 || errno == ENOENT else {
            throw SystemError("unlink", path: path(of: name))
        }
    }

    /// Writes `name` through a temporary file in this directory and a rename: a reader (or a
    /// crash) sees the old file or the new one, never half of one. The temporary file is created
    /// exclusively (a planted one is refused, not followed) and removed on failure.
    public func replaceFile(_ name: String, contents: String, mode: mode_t = 0o644) throws(SystemError) {
        let temporary = ".\(name).\(getpid()).tmp"
        let file = try openFile(temporary, O_WRONLY | O_CREAT | O_EXCL, mode: mode)
        defer { file.close() }
        do throws(SystemError) {
            try file.writeAll(contents, path: path(of: temporary))
            try rename(temporary, to: name)
        } catch {
            try? unlink(temporary)
            throw error
        }
    }

    /// Whether an entry (even a dangling symlink) named `name` exists.
    public func contains(_ name: String) -> Bool {
        var info = stat()
        return fstatat(descriptor.rawValue, name, &info, AT_SYMLINK_NOFOLLOW) == 0
    }

    /// The entries but `.` and `..`, in directory order, from the start of the directory.
    ///
    /// getdents64 into a page on the stack rather than fdopendir/readdir: glibc's directory
    /// stream mallocs a 32 KiB buffer, which raised the heap (private memory) of every start.
    public func entries() throws(SystemError) -> [DirectoryEntry] {
        guard lseek(descriptor.rawValue, 0, SEEK_SET) == 0 else { throw SystemError("lseek", path: path) }
        var entries: [DirectoryEntry] = []
        try withUnsafeTemporaryAllocation(byteCount: 4096, alignment: 8) { buffer throws(SystemError) in
            while true {
                let filled = retryingInterrupts { cls_getdents64(descriptor.rawValue, buffer.baseAddress, 4096) }
                if filled < 0 { throw SystemError("getdents64", path: path) }
                if filled == 0 { return }
                var offset = 0
                while offset < filled {
                    // linux_dirent64: d_ino (8), d_off (8), d_reclen (2), d_type (1), d_name.
                    let record = buffer.baseAddress! + offset
                    let length = Int(record.loadUnaligned(fromByteOffset: 16, as: UInt16.self))
                    let type = record.load(fromByteOffset: 18, as: UInt8.self)
                    let name = String(cString: (record + 19).assumingMemoryBound(to: CChar.self))
                    if name != "." && name != ".." { entries.append(DirectoryEntry(name: name, type: type)) }
                    offset += length
                }
            }
        }
        return entries
    }

    public func close() { descriptor.close() }

    /// Calls `body` with the directory at `path` open, closing it after.
    @discardableResult
    public static func with<R>(
        _ path: String, _ body: (DirectoryHandle) throws(SystemError) -> R
    ) throws(SystemError) -> R {
        let directory = try open(path)
        defer { directory.close() }
        return try body(directory)
    }

    /// Opens the file at `path` relative to its parent directory, never following a symlink
    /// in the last component: the one way files in the state directory are opened.
    public static func openFile(atPath path: String, _ flags: Int32, mode: mode_t = 0) throws(SystemError) -> FileDescriptor {
        let (parent, name) = splitPath(path)
        return try with(parent) { directory throws(SystemError) in try directory.openFile(name, flags, mode: mode) }
    }
}

/// One entry of a directory listing.
public struct DirectoryEntry: Sendable, Equatable {
    public var name: String
    /// `d_type`: DT_DIR, DT_REG, … (DT_UNKNOWN on filesystems that do not fill it in).
    public var type: UInt8

    public var isDirectory: Bool { type == UInt8(DT_DIR) }
}

/// The directory part and the last component of a path (`/a/b` → `/a`, `b`; `b` → `.`, `b`).
public func splitPath(_ path: String) -> (directory: String, name: String) {
    guard let slash = path.lastIndex(of: "/") else { return (".", path) }
    let directory = String(path[..<slash])
    return (directory.isEmpty ? "/" : directory, String(path[path.index(after: slash)...]))
}
