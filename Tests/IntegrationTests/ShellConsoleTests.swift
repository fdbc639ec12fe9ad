import Foundation
import Testing

extension Integration {
    /// `-s`/`-se` on a terminal and in a pipe; the container's devpts, console, /sys and
    /// /dev/mqueue (issue 10, runtime.md "Added 2026-12").
    @Suite struct ShellConsoleTests {
        /// The environment of a shell-mode run: the container runs busybox's sh.
        static func shellEnvironment(_ env: TestEnvironment) -> [String: String] {
            env.environment.merging(["SHELL": "/bin/sh"]) { $1 }
        }

        /// Without a terminal on stdin there is no pty: the output is the command's, byte for
        /// byte (no prompt, no echo, no \r\n).
        @Test func pipedInputGivesExactlyTheCommandsOutput() throws {
            let env = try TestEnvironment()
            try env.writeConfig("web", init: "/bin/sh")

            let result = try env.runner.run(
                env.binary, ["start", "-s", "web", "--path", env.statePath], stdin: "hostname\n",
                environment: Self.shellEnvironment(env), timeout: 20)

            #expect(result.status == 0, "\(result)")
            #expect(Array(result.stdout.utf8) == Array("web\n".utf8), "\(result)")
            let se = try env.runner.run(
                env.binary, ["start", "-se", "web", "--path", env.statePath], stdin: "printf '%s|' \"$MARK\"; tty\n",
                environment: Self.shellEnvironment(env).merging(["MARK": "kept"]) { $1 }, timeout: 20)
            #expect(se.stdout == "kept|not a tty\n", "-se passes stdio through too: \(se)")
        }

        /// Under a real terminal (`script` gives the caller one): the shell's stdio is a pty of
        /// the container's own devpts, its controlling terminal, with job control, stty and
        /// /dev/tty working, and /dev/console is that pty.
        @Test func aTerminalGivesTheShellAPtyOfItsOwnDevpts() throws {
            let env = try TestEnvironment()
            try env.writeConfig("web", init: "/bin/sh")
            let command = "\(env.binary) start -s web --path \(env.statePath)"
            let input =
                [
                    "echo T=$(tty)",
                    "exec 4<>$(tty) && echo PTS-OPEN-OK",
                    "echo C=$(stat -c %t:%T /dev/console)=$(stat -c %t:%T $(tty))",
                    "sleep 1000 & jobs; kill %1",
                    "stty -echo && echo STTY-OK",
                    "exec 3</dev/tty && echo DEVTTY-OK",
                    "echo PTMX=$(readlink /dev/ptmx)",
                    "grep devpts /proc/mounts | grep -q 'nosuid,noexec' && echo DEVPTS-FLAGS-OK",
                    "exit 5",
                ].joined(separator: "; ") + "\n"

            let result = try env.runner.run(
                "/usr/bin/script", ["-qec", command, "/dev/null"], stdin: input,
                environment: Self.shellEnvironment(env), timeout: 30)

            #expect(result.status == 5, "the shell's exit status comes back: \(result)")
            #expect(result.stdout.contains("T=/dev/pts/0"), "\(result)")
            #expect(result.stdout.contains("C=88:0=88:0"), "/dev/console is the shell's pty (136:0): \(result)")
            #expect(result.stdout.contains("[1]+  Running"), "job control: \(result)")
            #expect(result.stdout.contains("STTY-OK") && result.stdout.contains("DEVTTY-OK"), "\(result)")
            #expect(result.stdout.contains("PTS-OPEN-OK"), "/dev/pts/0 opens by its path (c 136:*): \(result)")
            #expect(result.stdout.contains("PTMX=pts/ptmx") && result.stdout.contains("DEVPTS-FLAGS-OK"), "\(result)")
        }

        /// /sys is the host's, read-only all the way down (a cgroup filesystem below it too),
        /// /sys/firmware is empty, and /dev/mqueue is an mqueue filesystem with `i`. Run as the
        /// host's root (no `u`), where a writable /sys would really be writable.
        @Test func sysIsReadOnlyWithFirmwareMaskedAndMqueueWithI() throws {
            let env = try TestEnvironment()
            // The write attempts put back the value already there: harmless if the defence is
            // gone. The mkdir is below this test's own cgroup parent (removed by cleanup).
            let probe = "/sys/fs/cgroup/pids/\(env.cgroupParent)/web/ro-probe"
            try env.writeScript(
                "/sbin/test-init",
                """
                v=$(cat /sys/kernel/mm/ksm/run); (echo "$v" > /sys/kernel/mm/ksm/run) 2>&1 | sed 's/^/SYSWRITE /'
                mkdir \(probe) 2>&1 | sed 's/^/CGMKDIR /'
                echo FIRMWARE=$(ls -A /sys/firmware | wc -l)
                grep -q ' /sys/firmware tmpfs ro' /proc/mounts && echo FIRMWARE-MASKED
                grep '^mqueue /dev/mqueue mqueue' /proc/mounts | sed 's/^/MQ /'
                grep ' /sys ' /proc/mounts | sed 's/^/SYS /'
                echo probe-done
                """)
            try env.writeConfig("web", init: "/sbin/test-init", namespaces: "phi")

            let result = try env.container(["start", "-d", "web"])

            #expect(result.status == 0, "\(result)")
            let log = env.log("web")
            #expect(log.contains("probe-done"), "\(log)")
            #expect(log.contains("SYSWRITE") && log.contains("Read-only file system"), "\(log)")
            #expect(log.contains("CGMKDIR") && !FileManager.default.fileExists(atPath: probe), "\(log)")
            #expect(log.contains("FIRMWARE=0") && log.contains("FIRMWARE-MASKED"), "\(log)")
            #expect(log.contains("MQ mqueue /dev/mqueue mqueue rw,nosuid,nodev,noexec"), "\(log)")
            #expect(log.contains("SYS sysfs /sys sysfs ro"), "\(log)")

            // Without `i` there is no mqueue mount (the host's queues are not the container's).
            try env.writeScript("/sbin/test-init", "grep -c mqueue /proc/mounts; echo probe-done")
            try env.writeConfig("plain", init: "/sbin/test-init", namespaces: "ph")
            let plain = try env.container(["start", "-d", "plain"])
            #expect(plain.status == 0, "\(plain)")
            #expect(env.log("plain").hasPrefix("0\n"), "\(env.log("plain"))")
        }

        /// With `n`, /sys is a fresh sysfs of the container's own network namespace (only `lo`
        /// in /sys/class/net), mounted read-only; without `n` the host's interfaces show (the
        /// host's /sys, bound): the control that makes the first half mean something.
        @Test func withNetTheSysfsIsTheContainersOwnAndReadOnly() throws {
            let env = try TestEnvironment()
            try env.writeScript(
                "/sbin/test-init",
                """
                echo NET=$(ls /sys/class/net | tr '\\n' ' ')
                touch /sys/probe 2>&1 | sed 's/^/SYSTOUCH /'
                grep ' /sys ' /proc/mounts | sed 's/^/SYS /'
                echo probe-done
                """)
            try env.writeConfig("own", init: "/sbin/test-init", namespaces: "phn")
            let own = try env.container(["start", "-d", "own"])
            #expect(own.status == 0, "\(own)")
            #expect(env.waitForLog("own", containing: "probe-done"), "\(env.log("own"))")
            let log = env.log("own")
            #expect(log.contains("NET=lo\n"), "\(log)")
            #expect(log.contains("SYSTOUCH") && log.contains("Read-only file system"), "\(log)")
            #expect(log.contains("SYS sysfs /sys sysfs ro,nosuid,nodev,noexec"), "\(log)")

            try env.writeConfig("shared", init: "/sbin/test-init", namespaces: "ph")
            let shared = try env.container(["start", "-d", "shared"])
            #expect(shared.status == 0, "\(shared)")
            #expect(env.waitForLog("shared", containing: "probe-done"), "\(env.log("shared"))")
            #expect(!env.log("shared").contains("NET=lo\n"), "the host's interfaces show without n: \(env.log("shared"))")
        }
    }
}
