#if canImport(Glibc)
import Glibc
#endif
import SystemIO

/// The real host filesystem, through lstat/stat/readlink/openat (no Foundation).
public struct HostFileSystemProbe: FileSystemProbe {
    public init() {}

    public func linkStatus(_ path: String) -> FileStatus? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return Self.fileStatus(info)
    }

    public func status(_ path: String) -> FileStatus? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Self.fileStatus(info)
    }

    public func symlinkTarget(_ path: String) -> String? {
        // PATH_MAX bytes plus one to detect truncation.
        var buffer = [UInt8](repeating: 0, count: 4097)
        let count = buffer.withUnsafeMutableBufferPointer { pointer in
            pointer.baseAddress.map { readlink(path, $0, pointer.count) } ?? -1
        }
        guard count >= 0, count < buffer.count else { return nil }
        return String(decoding: buffer[0..<count], as: UTF8.self)
    }

    public func readPrefix(_ path: String, maxBytes: Int) -> [UInt8]? {
        // O_NONBLOCK: a FIFO planted where init should be must not hang the checker.
        guard maxBytes > 0 else { return [] }
        guard let file = try? FileDescriptor.open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK) else { return nil }
        defer { file.close() }
        return try? file.readAll(limit: maxBytes, path: path)
    }

    /// The kernel's answer (a trial, as root), else the filesystem type (`HostIDMapProbe`).
    public func idmapSupport(_ path: String) -> IDMapSupport { HostIDMapProbe.support(path) }

    private static func fileStatus(_ info: stat) -> FileStatus {
        let kind: FileStatus.Kind
        switch info.st_mode & S_IFMT {
        case S_IFREG: kind = .regular
        case S_IFDIR: kind = .directory
        case S_IFLNK: kind = .symlink
        default: kind = .other
        }
        return FileStatus(kind: kind, permissions: UInt32(info.st_mode & 0o7777), ownerID: UInt32(info.st_uid))
    }
}
