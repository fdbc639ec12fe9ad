import Testing
@testable import ConfigChecker

@Suite struct RootedPathResolverTests {
    @Test func dotDotNeverClimbsAboveTheRoot() {
        let fs = FakeFileSystem()
        fs.file("/r/bin/sh")
        fs.file("/bin/sh")
        let resolver = RootedPathResolver(root: "/r", fileSystem: fs)
        guard case .found(let inside, let host, _) = resolver.resolve("/../../bin/./sh") else {
            Issue.record("not resolved")
            return
        }
        #expect(inside == "/bin/sh")
        #expect(host == "/r/bin/sh")
    }

    @Test func absoluteTargetsRestartAtTheRoot() {
        let fs = FakeFileSystem()
        fs.file("/r/usr/bin/busybox")
        fs.symlink("/r/bin", to: "/usr/bin")
        fs.symlink("/r/usr/bin/sh", to: "busybox")
        let resolver = RootedPathResolver(root: "/r", fileSystem: fs)
        #expect(
            resolver.resolve("/bin/sh")
                == .found(
                    insidePath: "/usr/bin/busybox", hostPath: "/r/usr/bin/busybox",
                    status: FileStatus(kind: .regular, permissions: 0o755)))
    }

    @Test func loopsStopAtTheLimit() {
        let fs = FakeFileSystem()
        fs.symlink("/r/a", to: "a")
        #expect(RootedPathResolver(root: "/r", fileSystem: fs).resolve("/a") == .symlinkLoop)
    }

    @Test func missingComponentIsNamed() {
        let fs = FakeFileSystem()
        fs.symlink("/r/sbin/init", to: "/lib/systemd/systemd")
        #expect(RootedPathResolver(root: "/r", fileSystem: fs).resolve("/sbin/init") == .missing(insidePath: "/lib"))
    }

    @Test(arguments: [("/a//b/./c/", "/a/b/c"), ("/", "/"), ("//", "/"), ("/a/../..", "/"), ("/x/", "/x")])
    func normalize(path: String, expected: String) {
        #expect(PathNormalization.normalize(path) == expected)
    }

    @Test(
        arguments: [
            ("#!/bin/sh\n", "/bin/sh"), ("#! \t/usr/bin/env python3\n", "/usr/bin/env"),
            ("#!sh\n", nil), ("\u{7F}ELF", nil), ("#!", nil),
        ] as [(String, String?)])
    func shebang(head: String, interpreter: String?) {
        #expect(InitFilesystemRules.shebangInterpreter(Array(head.utf8)) == interpreter)
    }
}
