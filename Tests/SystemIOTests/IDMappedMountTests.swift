#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
@testable import SystemIO

/// The idmapped-mount primitives against the kernel (as root): the helper user namespace has
/// exactly the map asked for, a tree on ext4 can be idmapped, one on ramfs cannot (EINVAL from
/// mount_setattr, the error the checker and the launcher report).
@Suite struct IDMappedMountTests {
    @Test func theHelperNamespaceHasTheMapAndTheTrialAsksTheKernel() throws {
        try #require(geteuid() == 0, "idmapped mounts need root")
        let range = IDRange(containerStart: 0, hostStart: 123_456, count: 65_536)
        let namespace = try IDMappedMount.userNamespace(mapping: range)
        defer { namespace.close() }
        var info = stat()
        #expect(fstat(namespace.rawValue, &info) == 0)
        let own = try FileDescriptor.open("/proc/self/ns/user", O_RDONLY)
        defer { own.close() }
        var mine = stat()
        #expect(fstat(own.rawValue, &mine) == 0 && mine.st_ino != info.st_ino, "a new user namespace")

        let base = NSTemporaryDirectory() + "idmap-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: base + "/ramfs", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: base) }
        #expect(IDMappedMount.trial(base) == nil, "\(base) (the temporary directory's filesystem) can be idmapped")
        try #require(mount("mct-test", base + "/ramfs", "ramfs", 0, nil) == 0, "mount ramfs: errno \(errno)")
        defer { umount2(base + "/ramfs", Int32(MNT_DETACH)) }
        let refused = try #require(IDMappedMount.trial(base + "/ramfs"))
        #expect(refused.operation == "mount_setattr" && refused.errno == EINVAL, "\(refused)")
        #expect(IDMappedMount.fileSystemMagic(base + "/ramfs") == 0x8584_58F6)
        // Recursive: a tree with a ramfs submount is refused as a whole.
        #expect(IDMappedMount.trial(base)?.errno == EINVAL)
    }
}
