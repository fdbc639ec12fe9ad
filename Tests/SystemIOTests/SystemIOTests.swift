import Foundation
import Testing
import SystemIO

/// The syscall layer on real files in a temporary directory (no root needed).
@Suite struct SystemIOTests {
    let base: String

    init() throws {
        base = NSTemporaryDirectory() + "systemio-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
    }

    @Test func readAllStopsAtTheLimitAndAtEndOfFile() throws {
        try Data(repeating: 0x61, count: 40_000).write(to: URL(fileURLWithPath: base + "/big"))
        let file = try FileDescriptor.open(base + "/big", O_RDONLY)
        defer { file.close() }
        #expect(try file.readAll(limit: 20_001).count == 20_001)
        #expect(try file.readAll().count == 19_999, "the rest, up to end of file")
        #expect(try file.readAll().isEmpty)
    }

    @Test func writeAllThenReadExactlyRoundTrips() throws {
        let file = try DirectoryHandle.openFile(atPath: base + "/note", O_RDWR | O_CREAT, mode: 0o600)
        defer { file.close() }
        try file.writeAll("hello, wörld")
        #expect(lseek(file.rawValue, 0, SEEK_SET) == 0)
        #expect(file.readExactly(5) == Array("hello".utf8))
        #expect(file.readExactly(100) == nil, "end of file before 100 bytes")
    }

    @Test func everyDescriptorIsCloseOnExec() throws {
        let file = try FileDescriptor.open(base, O_RDONLY | O_DIRECTORY)
        defer { file.close() }
        #expect(fcntl(file.rawValue, F_GETFD) & FD_CLOEXEC != 0)
        let directory = try DirectoryHandle.open(base)
        defer { directory.close() }
        let created = try directory.openFile("x", O_WRONLY | O_CREAT, mode: 0o600)
        defer { created.close() }
        #expect(fcntl(created.rawValue, F_GETFD) & FD_CLOEXEC != 0)
    }

    @Test func theStateDirectoryHandleNeverFollowsASymlink() throws {
        try "secret".write(toFile: base + "/target", atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: base + "/link", withDestinationPath: base + "/target")
        #expect(throws: SystemError.self) { try DirectoryHandle.openFile(atPath: base + "/link", O_WRONLY | O_TRUNC) }
        do { _ = try DirectoryHandle.openFile(atPath: base + "/link", O_RDONLY) } catch {
            #expect(error.errno == ELOOP)
            #expect(error.description.hasPrefix("open(\(base)/link): "), "\(error)")
        }
        let directory = try DirectoryHandle.open(base)
        defer { directory.close() }
        try directory.unlink("link")
        #expect(try String(contentsOfFile: base + "/target", encoding: .utf8) == "secret", "the link's target is untouched")
        try directory.unlink("link")  // already gone: fine
        #expect(!directory.contains("link"))
    }

    @Test func renameReplacesAtomicallyAndEntriesListNames() throws {
        let directory = try DirectoryHandle.open(base)
        defer { directory.close() }
        try directory.openFile("a.tmp", O_WRONLY | O_CREAT, mode: 0o600).close()
        try directory.openFile("b", O_WRONLY | O_CREAT, mode: 0o600).close()
        try FileManager.default.createDirectory(atPath: base + "/sub", withIntermediateDirectories: false)
        try directory.rename("a.tmp", to: "b")
        let entries = try directory.entries()
        #expect(entries.map(\.name).sorted() == ["b", "sub"])
        #expect(entries.first { $0.name == "sub" }?.isDirectory == true)
    }

    /// More entries than one getdents64 buffer holds (500 names of ~60 bytes: ~40 KiB of
    /// records), each listed once, names of every length and non-ASCII bytes intact; listing
    /// twice gives the same (each call starts at the beginning).
    @Test func entriesListsADirectoryLargerThanOneBufferCompletely() throws {
        let directory = try DirectoryHandle.open(base)
        defer { directory.close() }
        var expected: [String] = []
        for index in 0..<500 {
            let name = "entry-\(index)-" + String(repeating: "x", count: index % 50) + (index % 7 == 0 ? "-é" : "")
            try directory.openFile(name, O_WRONLY | O_CREAT, mode: 0o600).close()
            expected.append(name)
        }
        let first = try directory.entries().map(\.name)
        #expect(first.count == 500)
        #expect(first.sorted() == expected.sorted())
        #expect(try directory.entries().map(\.name) == first)
    }

    @Test func aKernelFileWriteNamesTheFileAndTheValue() throws {
        do {
            try KernelFile.write("42", to: base + "/missing/file")
            Issue.record("a write to a missing file succeeded")
        } catch {
            #expect(error.errno == ENOENT)
            #expect(error.description == "open(\(base)/missing/file) to write '42': No such file or directory (ENOENT)")
        }
        #expect(KernelFile.readIfPresent(base + "/missing/file") == nil)
    }

    @Test func interruptedCallsAreRetriedAndOtherFailuresReturned() {
        var calls = 0
        let result = retryingInterrupts { () -> Int32 in
            calls += 1
            if calls < 3 {
                errno = EINTR
                return -1
            }
            return 7
        }
        #expect(result == 7 && calls == 3)
        calls = 0
        let failed = retryingInterrupts { () -> Int32 in
            calls += 1
            errno = EBADF
            return -1
        }
        #expect(failed == -1 && calls == 1)
    }
}
