import Foundation

/// Tiny static C programs for the escape tests, compiled with the host's `cc` at test time
/// (busybox's own `chroot` changes into the new root, so it cannot attempt the escape).
enum StaticHelper {
    /// chroot into a subdirectory without chdir, walk `..` from the old cwd, chroot there,
    /// then report whether the container's root marker is still visible.
    static let chrootEscape = """
        #include <stdio.h>
        #include <sys/stat.h>
        #include <unistd.h>
        int main(void) {
            mkdir("/tmp/jail", 0755);
            chdir("/");
            if (chroot("/tmp/jail") != 0) { perror("chroot"); }
            for (int i = 0; i < 256; i++) chdir("..");
            chroot(".");
            puts("escape-attempted");
            if (access("/container-root-marker", F_OK) == 0) puts("still-inside");
            else puts("ESCAPED");
            fflush(stdout);
            return 0;
        }
        """

    /// Without arguments: drop to uid/gid 1000 and exec itself (installed setuid root) with
    /// `probe`, which prints the effective uid it got.
    static let setuidProbe = """
        #include <grp.h>
        #include <stdio.h>
        #include <unistd.h>
        int main(int argc, char **argv) {
            if (argc > 1) { printf("euid-after-setuid=%d\\n", (int)geteuid()); return 0; }
            if (setgroups(0, NULL) != 0 || setgid(1000) != 0 || setuid(1000) != 0) {
                perror("drop to 1000"); return 1;
            }
            execl("/bin/suid-helper", "suid-helper", "probe", (char *)NULL);
            perror("exec"); return 1;
        }
        """

    /// `exchange-racer A B`: swaps the names A and B atomically (renameat2 RENAME_EXCHANGE),
    /// forever, so that A is always there, a directory one moment and a symlink the next.
    static let exchangeRacer = """
        #define _GNU_SOURCE
        #include <fcntl.h>
        #include <stdio.h>
        #include <sys/syscall.h>
        #include <unistd.h>
        #ifndef RENAME_EXCHANGE
        #define RENAME_EXCHANGE (1 << 1)
        #endif
        int main(int argc, char **argv) {
            if (argc != 3) return 2;
            for (;;) {
                if (syscall(SYS_renameat2, AT_FDCWD, argv[1], AT_FDCWD, argv[2], RENAME_EXCHANGE) != 0) {
                    perror("renameat2"); return 1;
                }
            }
        }
        """

    /// Compiles `source` into a static executable at `path` (mode 0755).
    static func build(_ source: String, into path: String) throws {
        let directory = NSTemporaryDirectory() + "helper-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Data(source.utf8).write(to: URL(fileURLWithPath: directory + "/helper.c"))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["cc", "-static", "-O1", "-o", path, directory + "/helper.c"]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestFailure("cc -static failed (install gcc and libc6-dev) for \(path)")
        }
        chmod(path, 0o755)
    }
}
