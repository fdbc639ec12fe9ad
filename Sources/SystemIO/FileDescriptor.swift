#if canImport(Glibc)
import Glibc
#endif

/// An open file descriptor. A value (copyable, not owning): whoever opens one closes it, and
/// every descriptor this layer opens is close-on-exec, so none leaks into a container.
public struct FileDescriptor: Sendable, Hashable {
    public let rawValue: Int32

    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let standardInput = FileDescriptor(rawValue: 0)
    public static let standardOutput = FileDescriptor(rawValue: 1)
    public static let standardError = FileDescriptor(rawValue: 2)

    /// open(2) with O_CLOEXEC added. `operation` names the step in the error.
    public static func open(
        _ path: String, _ flags: Int32, mode: mode_t = 0, operation: String = "open"
    ) throws(SystemError) -> FileDescriptor {
        let descriptor = retryingInterrupts { Glibc.open(path, flags | O_CLOEXEC, mode) }
        guard descriptor >= 0 else { throw SystemError(operation, path: path) }
        return FileDescriptor(rawValue: descriptor)
    }

    /// openat(2) relative to this directory, with O_CLOEXEC and O_NOFOLLOW added: a name in a
    /// directory we write to is never followed through a symlink. The error names
    /// `displayPath` (the full path) when given, else `name`.
    public func openAt(
        _ name: String, _ flags: Int32, mode: mode_t = 0, displayPath: String? = nil
    ) throws(SystemError) -> FileDescriptor {
        let descriptor = retryingInterrupts { openat(rawValue, name, flags | O_CLOEXEC | O_NOFOLLOW, mode) }
        guard descriptor >= 0 else { throw SystemError("open", path: displayPath ?? name) }
        return FileDescriptor(rawValue: descriptor)
    }

    /// Reads until end of file or `limit` bytes. `path` names the file in the error.
    public func readAll(limit: Int = 1 << 20, path: String? = nil) throws(SystemError) -> [UInt8] {
        var bytes: [UInt8] = []
        var filled = 0
        // Grow in doubling chunks from one page: most kernel files are a few bytes, configs a
        // few hundred, mountinfo a few KiB; a larger first chunk is zero-filled for nothing
        // (its pages become the process's private memory).
        var chunk = 4096
        while filled < limit {
            bytes.append(contentsOf: repeatElement(0, count: min(chunk, limit - filled)))
            let end = try fill(&bytes, from: filled, path: path)
            let reachedEndOfFile = end < bytes.count
            filled = end
            if reachedEndOfFile { break }
            chunk = min(chunk * 2, 1 << 16)
        }
        bytes.removeLast(bytes.count - filled)
        return bytes
    }

    /// Reads exactly `count` bytes; nil at end of file before that (or on error).
    public func readExactly(_ count: Int) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        guard let end = try? fill(&bytes, from: 0), end == count else { return nil }
        return bytes
    }

    /// Copies everything from here to end of file into `target`, in chunks (a program may be
    /// large: it is never held in memory whole). Returns the number of bytes copied.
    @discardableResult
    public func copyAll(to target: FileDescriptor, path: String? = nil) throws(SystemError) -> Int {
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var total = 0
        while true {
            let end = try fill(&buffer, from: 0, path: path)
            let failure = buffer.withUnsafeBytes { raw -> SystemError? in
                do throws(SystemError) {
                    try target.writeAll(UnsafeRawBufferPointer(rebasing: raw[0..<end]), path: path)
                    return nil
                } catch { return error }
            }
            if let failure { throw failure }
            total += end
            if end < buffer.count { return total }
        }
    }

    /// The one read loop: reads into `bytes[offset...]` until it is full or end of file,
    /// retrying interrupts; returns the end of what was filled.
    private func fill(_ bytes: inout [UInt8], from offset: Int, path: String? = nil) throws(SystemError) -> Int {
        var end = offset
        while end < bytes.count {
            let count = bytes.withUnsafeMutableBytes { raw in
                retryingInterrupts { Glibc.read(rawValue, raw.baseAddress! + end, raw.count - end) }
            }
            if count < 0 { throw SystemError("read", path: path) }
            if count == 0 { break }
            end += count
        }
        return end
    }

    /// Writes every byte, retrying short writes and interrupts.
    public func writeAll(_ bytes: UnsafeRawBufferPointer, path: String? = nil) throws(SystemError) {
        var offset = 0
        while offset < bytes.count {
            let count = retryingInterrupts { Glibc.write(rawValue, bytes.baseAddress! + offset, bytes.count - offset) }
            if count < 0 { throw SystemError("write", path: path) }
            offset += count
        }
    }

    /// Writes every byte of `bytes`.
    public func writeAll(_ bytes: [UInt8], path: String? = nil) throws(SystemError) {
        // withUnsafeBytes rethrows untyped errors: carry the typed one out as a value.
        let failure = bytes.withUnsafeBytes { raw -> SystemError? in
            do throws(SystemError) {
                try writeAll(raw, path: path)
                return nil
            } catch { return error }
        }
        if let failure { throw failure }
    }

    /// Writes every byte of `text`'s UTF-8.
    public func writeAll(_ text: String, path: String? = nil) throws(SystemError) {
        var text = text
        let failure = text.withUTF8 { bytes -> SystemError? in
            do throws(SystemError) {
                try writeAll(UnsafeRawBufferPointer(bytes), path: path)
                return nil
            } catch { return error }
        }
        if let failure { throw failure }
    }

    /// fstat(2).
    public func status(path: String? = nil) throws(SystemError) -> stat {
        var info = stat()
        guard fstat(rawValue, &info) == 0 else { throw SystemError("fstat", path: path) }
        return info
    }

    /// Closes the descriptor; errors are ignored (the descriptor is gone either way).
    public func close() {
        if rawValue >= 0 { _ = Glibc.close(rawValue) }
    }
}
