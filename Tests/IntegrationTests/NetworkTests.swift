import Foundation
import Testing

extension Integration {
    /// Networking (language.md §9, docs/networking.md), for real: the `n` namespace with only
    /// `lo`, abstract unix sockets, two containers on a bridge, the veth pair's life. Tests with
    /// a bridge run `container` inside a network namespace of their own (`NetworkSandbox`).
    @Suite struct NetworkTests {
        /// A server for `nc -ll -e`: one line per connection.
        static func writeServer(_ env: TestEnvironment, _ path: String, says line: String) throws {
            try env.writeScript(path, "echo \(line)")
        }

        /// The script lines that connect to `address`:`port` until an answer comes (a deadline
        /// of 200 tries: the server is started just before), then print `answer=…`.
        static func connectLines(_ address: String, _ port: Int) -> String {
            """
            answer=
            for i in $(seq 200); do answer=$(nc -w 2 \(address) \(port) </dev/null); [ -n "$answer" ] && break; usleep 20000; done
            echo "answer=$answer"
            """
        }

        @Test(arguments: [true, false])
        func withNOnlyLoopbackExistsIsUpAndAnswers(privateNetwork network: Bool) throws {
            let env = try TestEnvironment()
            try Self.writeServer(env, "/bin/hello", says: "hello-from-lo")
            try env.writeScript(
                "/sbin/test-init",
                """
                echo "links=$(ip -o link show | cut -d: -f2 | tr -d ' ' | tr '\\n' ',')"
                ip -o link show lo | grep -q '[<,]UP[,>]' && echo lo-up
                ip -o addr show lo
                nc -ll -p 7000 -e /bin/hello &
                \(Self.connectLines("127.0.0.1", 7000))
                kill $!
                """)
            try env.writeConfig("lo", init: "/sbin/test-init", namespaces: network ? "pn" : "p")

            let result = try env.container(["start", "-d", "lo"])

            #expect(result.status == 0, "\(result)")
            let log = env.log("lo")
            #expect(log.contains("answer=hello-from-lo\n"), "\(log)")
            if network {
                #expect(log.contains("links=lo,\n"), "with n only lo exists: \(log)")
                #expect(log.contains("lo-up\n"), "\(log)")
                #expect(log.contains("inet 127.0.0.1/8"), "\(log)")
                #expect(log.contains("inet6 ::1/128"), "\(log)")
            } else {
                // The control: without n the container sees the host's interfaces.
                #expect(!log.contains("links=lo,\n"), "\(log)")
            }
        }

        /// A listener on an abstract unix socket on the host is not reachable inside, and one
        /// bound inside is not reachable from the host; without `n` both are (the control that
        /// proves the probes work).
        @Test(arguments: [true, false])
        func abstractUnixSocketsAreIsolatedByN(privateNetwork network: Bool) throws {
            let env = try TestEnvironment()
            let tag = "mct-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            let probe = """
                use Socket;
                my ($mode, $name) = @ARGV;
                socket(my $s, AF_UNIX, SOCK_STREAM, 0) or die "socket: $!";
                my $address = pack_sockaddr_un("\\0" . $name);
                $| = 1;
                if ($mode eq "listen") {
                    bind($s, $address) or die "bind: $!";
                    listen($s, 5) or die "listen: $!";
                    print "listening $name\\n";
                    while (accept(my $c, $s)) { close $c }
                } elsif (connect($s, $address)) { print "connect $name: connected\\n" }
                else { print "connect $name: $!\\n" }
                """
            try Data(probe.utf8).write(to: URL(fileURLWithPath: env.rootfs + "/probe.pl"))
            let hostProbe = env.base.path + "/probe.pl"
            try Data(probe.utf8).write(to: URL(fileURLWithPath: hostProbe))
            let hostListener = try env.runner.start("/usr/bin/perl", [hostProbe, "listen", "\(tag)-host"])
            defer {
                kill(hostListener.process.processIdentifier, SIGKILL)
                hostListener.process.waitUntilExit()
            }
            try #require(eventually { (try? String(contentsOfFile: "/proc/net/unix", encoding: .utf8))?.contains("@\(tag)-host") == true })

            try env.writeScript(
                "/sbin/test-init",
                """
                /usr/bin/perl /probe.pl connect \(tag)-host
                exec /usr/bin/perl /probe.pl listen \(tag)-inside
                """)
            try env.writeConfig(
                "sockets", init: "/sbin/test-init", namespaces: network ? "pn" : "p",
                extra: env.hostUsrLines())
            _ = try env.startDetached("sockets")
            try #require(env.waitForLog("sockets", containing: "listening \(tag)-inside"), "\(env.log("sockets"))")

            let fromHost = try env.runner.run("/usr/bin/perl", [hostProbe, "connect", "\(tag)-inside"])
            let log = env.log("sockets")
            if network {
                #expect(log.contains("connect \(tag)-host: Connection refused"), "\(log)")
                #expect(fromHost.stdout.contains("connect \(tag)-inside: Connection refused"), "\(fromHost)")
            } else {
                #expect(log.contains("connect \(tag)-host: connected"), "\(log)")
                #expect(fromHost.stdout.contains("connect \(tag)-inside: connected"), "\(fromHost)")
            }
        }

        /// Two containers on the test's bridge reach each other by address (TCP) and their
        /// gateway (ping); each host end is on the bridge; the pair goes with its container:
        /// one that exits by itself, one killed. The client also has `u`.
        @Test func twoContainersOnABridgeReachEachOtherAndTheGateway() throws {
            let env = try TestEnvironment()
            let net = try NetworkSandbox(env)
            defer { net.cleanup() }
            let serverAddress = net.subnet + ".2"
            try Self.writeServer(env, "/bin/hello", says: "hello-from-server")
            try env.writeScript("/sbin/server-init", "exec nc -ll -p 8000 -e /bin/hello")
            try env.writeScript(
                "/sbin/client-init",
                """
                ip -o addr show eth0
                ip route
                ping -c 1 -W 5 \(net.gatewayAddress) >/dev/null && echo gateway-answers
                \(Self.connectLines(serverAddress, 8000))
                """)
            try env.writeConfig(
                "server", init: "/sbin/server-init", namespaces: "pn",
                extra: [
                    "net_bridge=\(net.bridge)", "net_address=\(serverAddress)/24", "net_gateway=\(net.gatewayAddress)",
                ])
            // The client also has a user namespace: its network namespace is owned by it, and
            // its own root configures eth0.
            try env.writeConfig(
                "client", init: "/sbin/client-init", namespaces: "upn",
                extra: [
                    "net_bridge=\(net.bridge)", "net_address=\(net.subnet).3/24", "net_gateway=\(net.gatewayAddress)",
                ])

            let server = try net.container(["start", "server"])
            try #require(server.status == 0, "\(server)")
            #expect(try net.inside("ip -o link show mc-server").contains("master \(net.bridge)"))
            let client = try net.container(["start", "-d", "client"])

            #expect(client.status == 0, "\(client)")
            let log = env.log("client")
            #expect(log.contains("inet \(net.subnet).3/24"), "\(log)")
            #expect(log.contains("default via \(net.gatewayAddress) dev eth0"), "\(log)")
            #expect(log.contains("gateway-answers\n"), "\(log)")
            #expect(log.contains("answer=hello-from-server\n"), "\(log)")
            // The client exited by itself: its namespace, and the pair with it, are gone.
            #expect(eventually { (try? net.interfaces())?.contains("mc-client") == false }, "\((try? net.interfaces()) ?? [])")
            #expect(try net.interfaces().contains("mc-server"))

            let kill = try net.container(["kill", "server"])
            #expect(kill.status == 0, "\(kill)")
            #expect(eventually { (try? net.interfaces())?.contains("mc-server") == false }, "\((try? net.interfaces()) ?? [])")
            #expect(try net.interfaces().sorted() == [net.bridge, "lo"])
            net.cleanup()
            #expect(!net.exists, "the sandbox's namespace is deleted by cleanup")
        }

        /// A bridge that does not exist: check (with the filesystem) refuses the config and
        /// start refuses it before changing anything; when sysfs claims a bridge the kernel
        /// does not have, the plan's first networking step (requireBridge, before any cgroup
        /// or link) refuses it.
        @Test func aMissingBridgeIsRefusedByCheckAndStartBeforeAnythingChanges() throws {
            let env = try TestEnvironment()
            let net = try NetworkSandbox(env)
            defer { net.cleanup() }
            try env.writeScript("/sbin/test-init", "exec sleep 100000")
            try env.writeConfig("nobridge", init: "/sbin/test-init", namespaces: "pn", extra: ["net_bridge=br-none"])
            try env.writeConfig("ghost", init: "/sbin/test-init", namespaces: "pn", extra: ["net_bridge=br-ghost"])
            let before = try net.interfaces().sorted()

            let check = try net.container(["check", "nobridge"])
            let start = try net.container(["start", "nobridge"])
            let ghost = try net.container(["start", "ghost"], ghostBridge: "br-ghost")

            #expect(check.status != 0 && (check.stdout + check.stderr).contains("[net-bridge-not-found]"), "\(check)")
            #expect(start.status != 0 && (start.stdout + start.stderr).contains("[net-bridge-not-found]"), "\(start)")
            #expect(ghost.status != 0, "\(ghost)")
            #expect(ghost.stderr.contains("requireBridge") && ghost.stderr.contains("br-ghost"), "\(ghost)")
            #expect(try net.interfaces().sorted() == before)
            for name in ["nobridge", "ghost"] {
                #expect(!FileManager.default.fileExists(atPath: env.cgroupPath("unified", name)))
                #expect(!FileManager.default.fileExists(atPath: env.cgroupPath("pids", name)))
                #expect(!FileManager.default.fileExists(atPath: env.statePath + "/pids/" + name))
            }
        }

        /// A host end left behind (here made by hand, with the alias a start gives it, as a
        /// killed launcher whose namespace outlived it would leave it) is deleted by the next
        /// start, which then succeeds.
        @Test func aLeftoverHostEndIsRemovedByTheNextStart() throws {
            let env = try TestEnvironment()
            let net = try NetworkSandbox(env)
            defer { net.cleanup() }
            try net.inside("ip link add mc-stale type veth peer name stale-peer")
            try net.inside("ip link set mc-stale alias minimal_containers:stale")
            try env.writeScript("/sbin/test-init", "exec sleep 100000")
            try env.writeConfig("stale", init: "/sbin/test-init", namespaces: "pn", extra: ["net_bridge=\(net.bridge)"])

            let start = try net.container(["start", "stale"])

            #expect(start.status == 0, "\(start)")
            let links = try net.interfaces()
            #expect(links.contains("mc-stale"), "\(links)")
            #expect(!links.contains("stale-peer"), "the old pair was deleted, its peer with it: \(links)")
            #expect(try net.inside("ip -o link show mc-stale").contains("master \(net.bridge)"))
        }

        /// An interface of the host end's name that is not this container's (no alias, as if
        /// another container's long name hashed alike, or made by someone else) is never
        /// deleted: the start is refused at deleteStaleLink, before anything is created.
        @Test func anInterfaceOfTheNameThatIsNotOursIsRefusedAndLeftAlone() throws {
            let env = try TestEnvironment()
            let net = try NetworkSandbox(env)
            defer { net.cleanup() }
            try net.inside("ip link add mc-theirs type veth peer name theirs-peer")
            try env.writeScript("/sbin/test-init", "exec sleep 100000")
            try env.writeConfig("theirs", init: "/sbin/test-init", namespaces: "pn", extra: ["net_bridge=\(net.bridge)"])

            let start = try net.container(["start", "theirs"])

            #expect(start.status != 0, "\(start)")
            #expect(
                start.stderr.contains("deleteStaleLink") && start.stderr.contains("mc-theirs")
                    && start.stderr.contains("EEXIST"), "\(start)")
            let links = try net.interfaces()
            #expect(links.contains("mc-theirs") && links.contains("theirs-peer"), "\(links)")
            #expect(!FileManager.default.fileExists(atPath: env.cgroupPath("unified", "theirs")))
        }

        /// A failing step after the pair exists names the step, the interface and errno, and
        /// the start undoes the pair: the launcher is stopped (test hook) right after
        /// createVethPair, the bridge is deleted, and attachToBridge then fails for real. The
        /// test holds the container's network namespace open meanwhile, so the pair does not
        /// simply vanish with it.
        @Test func aFailureAfterTheVethUndoesItAndNamesTheStep() throws {
            let env = try TestEnvironment()
            let net = try NetworkSandbox(env)
            defer { net.cleanup() }
            try env.writeScript("/sbin/test-init", "exec sleep 100000")
            try env.writeConfig(
                "undone", init: "/sbin/test-init", namespaces: "pn",
                extra: [
                    "net_bridge=\(net.bridge)", "net_address=\(net.subnet).9/24", "net_gateway=\(net.gatewayAddress)",
                ])
            let created = try net.stepNumber("createVethPair", in: "undone")
            let first = try net.startContainer(["start", "undone"], adding: ["CONTAINERS_STOP_AFTER_STEP": String(created)])
            let launcher = first.process.processIdentifier
            defer { kill(launcher, SIGCONT) }
            let stopped = eventually {
                guard let stat = try? String(contentsOfFile: "/proc/\(launcher)/stat", encoding: .utf8),
                    let close = stat.lastIndex(of: ")")
                else { return false }
                return stat[stat.index(after: close)...].split(separator: " ").first == "T"
            }
            try #require(stopped, "the start stopped after step \(created)")
            #expect(try net.interfaces().contains("mc-undone"), "the pair exists while the start is stopped")
            // Hold the container's network namespace open, so that killing the child does not
            // destroy the pair with it: only the start's own undo can remove the host end.
            let children = try String(contentsOfFile: "/proc/\(launcher)/task/\(launcher)/children", encoding: .utf8)
            let child = try #require(children.split(separator: " ").first.flatMap { Int32($0) }, "no child of \(launcher)")
            let heldNamespace = open("/proc/\(child)/ns/net", O_RDONLY | O_CLOEXEC)
            try #require(heldNamespace >= 0, "open /proc/\(child)/ns/net: errno \(errno)")
            defer { close(heldNamespace) }
            try net.inside("ip link delete \(net.bridge)")

            kill(launcher, SIGCONT)
            let start = try first.wait(timeout: 30)

            #expect(start.status != 0, "\(start)")
            #expect(
                start.stderr.contains("attachToBridge") && start.stderr.contains(net.bridge)
                    && start.stderr.contains("ENODEV"), "\(start)")
            // Deleted by the start's undo (RTM_DELLINK) although the namespace still lives.
            #expect(try !net.interfaces().contains("mc-undone"), "\((try? net.interfaces()) ?? [])")
            #expect(env.processes(of: "undone").isEmpty)
        }
    }
}
