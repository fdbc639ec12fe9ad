import Foundation
import Testing

extension Integration {
    /// Each namespace letter unshares exactly its namespace (compared with the host's through
    /// /proc/PID/ns), and what the seed promises inside: hostname = NAME, uptime reset, id maps.
    @Suite struct NamespaceTests {
        static let kinds: [(letter: String, kind: String)] = [
            ("u", "user"), ("p", "pid"), ("h", "uts"), ("t", "time"), ("i", "ipc"), ("c", "cgroup"),
            ("n", "net"),
        ]

        @Test(arguments: ["u", "p", "h", "t", "i", "c", "n"])
        func eachLetterUnsharesExactlyItsNamespace(_ letter: String) throws {
            let env = try TestEnvironment()
            try env.writeScript("/sbin/test-init", "exec sleep 100000")
            try env.writeConfig("ns", init: "/sbin/test-init", namespaces: letter)

            let pid = try env.startDetached("ns")

            for (other, kind) in Self.kinds {
                let host = try #require(namespace(kind, of: nil))
                let inside = try #require(namespace(kind, of: pid))
                if other == letter {
                    #expect(inside != host, "namespaces=\(letter) must unshare \(kind)")
                } else {
                    #expect(inside == host, "namespaces=\(letter) must not unshare \(kind)")
                }
            }
            #expect(namespace("mnt", of: pid) != namespace("mnt", of: nil), "the mount namespace is always new")
        }

        @Test func allUnsharesEveryNamespaceButNet() throws {
            let env = try TestEnvironment()
            try env.writeScript("/sbin/test-init", "exec sleep 100000")
            try env.writeConfig("ns", init: "/sbin/test-init", namespaces: "all")
            let pid = try env.startDetached("ns")
            for (_, kind) in Self.kinds + [("", "mnt")] where kind != "net" {
                #expect(namespace(kind, of: pid) != namespace(kind, of: nil), "\(kind)")
            }
            // `all` is `uphtic`: a config written for the seed keeps the host's network (§9).
            #expect(namespace("net", of: pid) == namespace("net", of: nil), "all must not unshare net")
        }

        @Test func insideViewHostnameUptimePidAndIDs() throws {
            let env = try TestEnvironment()
            try env.writeScript(
                "/sbin/test-init",
                """
                echo "hostname=$(hostname)"
                echo "uptime=$(cut -d. -f1 /proc/uptime)"
                echo "mypid=$$"
                echo "uid=$(id -u)"
                exit 0
                """)
            try env.writeConfig("inside-view", init: "/sbin/test-init", namespaces: "all")

            let result = try env.container(["start", "-d", "inside-view"])

            #expect(result.status == 0, "\(result)")
            let log = env.log("inside-view")
            #expect(log.contains("hostname=inside-view\n"), "\(log)")
            let uptime = log.split(separator: "\n").first { $0.hasPrefix("uptime=") }?.dropFirst(7)
            let seconds = try #require(uptime.flatMap { Int($0) }, "\(log)")
            #expect(seconds < 5, "the time namespace resets uptime to about 0, got \(seconds)")
            #expect(log.contains("mypid=1\n"), "init is pid 1 of its pid namespace: \(log)")
            #expect(log.contains("uid=0\n"), "root inside the user namespace: \(log)")
        }

        @Test func idMapsMapRootToTheConfiguredRange() throws {
            let env = try TestEnvironment()
            try env.writeScript("/sbin/test-init", "exec sleep 100000")
            try env.writeConfig("mapped", init: "/sbin/test-init", namespaces: "u", extra: ["id_map_start=200000"])

            let pid = try env.startDetached("mapped")

            for file in ["uid_map", "gid_map"] {
                let fields = procFile(pid, file)?.split(whereSeparator: \.isWhitespace) ?? []
                #expect(fields == ["0", "200000", "65536"], "\(file): \(fields)")
            }
            let status = procFile(pid, "status") ?? ""
            #expect(status.contains("Uid:\t200000\t200000\t200000\t200000"), "init runs as the mapped uid on the host")
        }
    }
}
