import Foundation
import Testing
@testable import ContainerRuntime

/// The sealed copy of a host program (CVE-2019-5736's class): the same bytes, every seal,
/// no write, and what a direct exec would refuse is refused.
@Suite struct SealedHostProgramTests {
    private func scratch() throws -> String {
        let directory = NSTemporaryDirectory() + "sealed-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return directory
    }

    private func write(_ bytes: [UInt8], to path: String, mode: mode_t) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        chmod(path, mode)
    }

    @Test func theCopyHasTheSameBytesAndEverySealAndRefusesWrites() throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/program"
        let bytes = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try write(bytes, to: path, mode: 0o755)

        let descriptor = try SealedHostProgram.copy(path: path)
        defer { close(descriptor) }

        #expect(SealedHostProgram.isSealed(descriptor))
        let copied = try Data(contentsOf: URL(fileURLWithPath: "/proc/self/fd/\(descriptor)"))
        #expect(copied == Data(bytes), "the copy has the file's bytes")
        #expect(fcntl(descriptor, F_GETFL) & O_ACCMODE == O_RDONLY, "no writable fd is kept")
        let link = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(descriptor)")
        #expect(link.hasPrefix("/memfd:"), "a memfd, not the host's file: \(link)")
        // Even a writer reopened through /proc (root ignores the 0555 mode) cannot change it.
        let writer = open("/proc/self/fd/\(descriptor)", O_WRONLY)
        if writer >= 0 {
            defer { close(writer) }
            #expect(Glibc.write(writer, "x", 1) == -1 && errno == EPERM, "F_SEAL_WRITE refuses writes")
            #expect(ftruncate(writer, 0) == -1 && errno == EPERM, "F_SEAL_SHRINK refuses truncation")
            #expect(ftruncate(writer, 1 << 20) == -1 && errno == EPERM, "F_SEAL_GROW refuses growth")
        } else {
            #expect(getuid() != 0 && errno == EACCES, "only a non-root caller is refused the open (mode 0555)")
        }
        #expect(open("/proc/self/fd/\(descriptor)", O_WRONLY | O_TRUNC) == -1, "O_TRUNC is refused")
    }

    @Test func aScriptIsRefusedWithAClearError() throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/script"
        try write(Array("#!/bin/sh\necho hi\n".utf8), to: path, mode: 0o755)
        #expect {
            _ = try SealedHostProgram.copy(path: path)
        } throws: { error in
            "\(error)".contains("'#!' script") && "\(error)".contains(path)
        }
    }

    @Test func aFileWithoutExecutePermissionOrADirectoryIsRefused() throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/data"
        try write([0x7F, 0x45, 0x4C, 0x46], to: path, mode: 0o644)
        #expect { _ = try SealedHostProgram.copy(path: path) } throws: { error in
            (error as? RuntimeError)?.errnoValue == EACCES
        }
        #expect { _ = try SealedHostProgram.copy(path: directory) } throws: { error in
            "\(error)".contains("not a regular file")
        }
        #expect { _ = try SealedHostProgram.copy(path: directory + "/missing") } throws: { error in
            (error as? RuntimeError)?.errnoValue == ENOENT
        }
    }
}
