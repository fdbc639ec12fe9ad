import Foundation
import Testing

extension Integration {
    /// `u` with the roots people have (issue 14): a debootstrap root owned by host root works
    /// through idmapped mounts without any chown, `id_map_mode=none` keeps the old behaviour,
    /// and a filesystem without idmapped mounts is refused before anything changes.
    @Suite struct IDMapTests {
        /// What the container sees and can do, one `key=value` a line.
        static let probe = """
            exec 2>&1
            echo "id=$(id -u):$(id -g)"
            echo "etc-owner=$(stat -c %u:%g /etc)"
            if touch /etc/written-inside 2>/dev/null; then echo etc-write=ok; else echo etc-write=refused; fi
            echo "su=$(su nobody -s /bin/sh -c 'id -u; touch /srv/shared/by-nobody' 2>&1 | tr '\\n' ' ')"
            if apt-get -o Acquire::Languages=none update >/tmp/apt.log 2>&1; then echo apt-update=ok; else echo "apt-update=failed $(tail -3 /tmp/apt.log | tr '\\n' ' ')"; fi
            if apt-get install -y mct-hello >/tmp/install.log 2>&1; then echo apt-install=ok; else echo "apt-install=failed $(tail -3 /tmp/install.log | tr '\\n' ' ')"; fi
            echo "hello=$(cat /usr/share/mct-hello/hello 2>/dev/null)"
            echo "data-owner=$(stat -c %u /data/marker)"
            echo "plain-owner=$(stat -c %u /plain/marker)"
            echo probe-done
            exec sleep 100000
            """

        /// A copy of the Debian root with the probe, an apt source for the local repository and
        /// a directory owned by nobody; the README's example config (`namespaces=uphti`, memory
        /// limits, a `mount_ro`) plus one idmapped and one `:noidmap` mount, and `extra`.
        static func prepare(_ env: TestEnvironment, extra: [String] = []) throws -> (root: String, isDebian: Bool) {
            let root = env.base.path + "/debian"
            let isDebian = try DebianRoot.copy(to: root, runner: env.runner)
            chmod(root, 0o755)
            let repository = env.base.path + "/repo"
            try DebianRoot.makeRepository(at: repository, scratch: env.base.path + "/package", runner: env.runner)
            try FileManager.default.createDirectory(atPath: root + "/etc/apt/sources.list.d", withIntermediateDirectories: true)
            try Data("deb [trusted=yes] file:/repo ./\n".utf8).write(to: URL(fileURLWithPath: root + "/etc/apt/sources.list"))
            for source in (try? FileManager.default.contentsOfDirectory(atPath: root + "/etc/apt/sources.list.d")) ?? [] {
                try? FileManager.default.removeItem(atPath: root + "/etc/apt/sources.list.d/" + source)
            }
            // Mount targets made on the host: with id_map_mode=none the container cannot create them.
            for target in ["/repo", "/data", "/plain"] {
                try FileManager.default.createDirectory(atPath: root + target, withIntermediateDirectories: true)
            }
            try FileManager.default.createDirectory(atPath: root + "/srv/shared", withIntermediateDirectories: true)
            chown(root + "/srv/shared", 65534, 65534)
            for name in ["data", "plain"] {
                let source = env.base.path + "/host-" + name
                try FileManager.default.createDirectory(atPath: source, withIntermediateDirectories: true)
                try Data("\(name)\n".utf8).write(to: URL(fileURLWithPath: source + "/marker"))
            }
            let script = root + "/usr/local/sbin/probe"
            try FileManager.default.createDirectory(atPath: root + "/usr/local/sbin", withIntermediateDirectories: true)
            try Data(("#!/bin/sh\n" + probe + "\n").utf8).write(to: URL(fileURLWithPath: script))
            chmod(script, 0o755)
            let lines =
                [
                    "root=\(root)", "init=/usr/local/sbin/probe", "namespaces=uphti",
                    "max_physical_memory=512M", "max_memory=1G", "mount_ro=\(repository):/repo",
                    "mount=\(env.base.path)/host-data:/data", "mount=\(env.base.path)/host-plain:/plain:noidmap",
                ] + extra
            try env.writeRawConfig("web", lines.joined(separator: "\n") + "\n")
            return (root, isDebian)
        }

        static func owner(_ path: String) -> String {
            var info = stat()
            guard lstat(path, &info) == 0 else { return "missing" }
            return "\(info.st_uid):\(info.st_gid)"
        }

        @Test func aDebianRootOwnedByHostRootWorksWithTheUserNamespace() throws {
            let env = try TestEnvironment()
            defer { env.cleanup() }
            let (root, isDebian) = try Self.prepare(env)
            try #require(isDebian, "needs the debootstrap root: \(DebianRoot.fallbackReason ?? "")")
            let check = try env.container(["check", "web"])
            let said = check.stdout + check.stderr
            #expect(check.status == 0 && !said.contains("warning:") && !said.contains("error:"), "\(said)")
            let pid = try env.startDetached("web")
            #expect(env.waitForLog("web", containing: "probe-done", timeout: 120), "\(env.log("web"))")
            let answers = OCIBundleTests.answers(env.log("web"))
            #expect(answers["id"] == "0:0")
            #expect(answers["etc-owner"] == "0:0", "host root's /etc is the container root's")
            #expect(answers["etc-write"] == "ok")
            #expect(answers["su"] == "65534 ", "su nobody works: \(answers["su"] ?? "")")
            #expect(answers["apt-update"] == "ok", "\(env.log("web"))")
            #expect(answers["apt-install"] == "ok", "\(env.log("web"))")
            #expect(answers["hello"] == "hello from the local repository")
            #expect(answers["data-owner"] == "0", "an idmapped mount source owned by host root")
            #expect(answers["plain-owner"] == "65534", "a :noidmap source is bound plainly: host root is nobody inside")
            // On the host: what the container created has the ids the operator expects.
            #expect(Self.owner(root + "/etc/written-inside") == "0:0")
            #expect(Self.owner(root + "/srv/shared/by-nobody") == "65534:65534")
            #expect(Self.owner(root + "/usr/share/mct-hello/hello") == "0:0")
            #expect(Self.owner(root + "/var/lib/dpkg/status") == "0:0")
            // A host id outside the map cannot create files through the idmapped root: host root
            // entering the container's mount namespace gets EOVERFLOW, not a host-root file.
            let entered = try env.runner.run("/usr/bin/nsenter", ["-t", String(pid), "-m", "/bin/touch", "/etc/from-host-root"])
            #expect(entered.status != 0 && entered.stderr.contains("Value too large"), "\(entered)")
            #expect(Self.owner(root + "/etc/from-host-root") == "missing")
        }

        @Test func idMapModeNoneKeepsThePlainBinds() throws {
            let env = try TestEnvironment()
            defer { env.cleanup() }
            let (root, _) = try Self.prepare(env, extra: ["id_map_mode=none"])
            let check = try env.container(["check", "web"])
            #expect(check.status == 0 && (check.stdout + check.stderr).contains("[id-map-mode-mismatch]"), "\(check)")
            let steps = try env.plannedSteps("web").map(\.action)
            #expect(!steps.contains("prepareIDMappedMount") && !steps.contains("attachIDMappedMount"), "\(steps)")
            _ = try env.startDetached("web")
            #expect(env.waitForLog("web", containing: "data-owner=", timeout: 120), "\(env.log("web"))")
            let answers = OCIBundleTests.answers(env.log("web"))
            #expect(answers["id"] == "0:0")
            #expect(answers["etc-owner"] == "65534:65534", "host root is nobody inside, as before idmapped mounts")
            #expect(answers["etc-write"] == "refused")
            #expect(answers["data-owner"] == "65534")
            #expect(Self.owner(root + "/etc/written-inside") == "missing")
        }

        @Test func aFilesystemWithoutIdmappedMountsIsRefusedBeforeAnythingChanges() throws {
            let env = try TestEnvironment()
            defer { env.cleanup() }
            // ramfs: the kernel refuses MOUNT_ATTR_IDMAP on it (no FS_ALLOW_IDMAP).
            let ramfs = env.base.path + "/ramfs"
            try FileManager.default.createDirectory(atPath: ramfs, withIntermediateDirectories: true)
            let mounted = try env.runner.run("/bin/mount", ["-t", "ramfs", "mct-test", ramfs])
            try #require(mounted.status == 0, "\(mounted)")
            env.didMount(ramfs)
            try RootfsBuilder.build(at: ramfs + "/root")
            try env.writeScript("/sbin/test-init", "exec sleep 100000")
            try FileManager.default.createDirectory(atPath: ramfs + "/root/sbin", withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: env.rootfs + "/sbin/test-init", toPath: ramfs + "/root/sbin/test-init")
            try env.writeRawConfig("web", "root=\(ramfs)/root\ninit=/sbin/test-init\nnamespaces=uph\n")
            let check = try env.container(["check", "web"])
            #expect(check.status != 0 && (check.stdout + check.stderr).contains("is on ramfs"), "\(check)")
            #expect((check.stdout + check.stderr).contains("[idmap-unsupported]"), "\(check)")
            let start = try env.container(["start", "web"])
            #expect(start.status != 0, "\(start)")
            #expect((start.stdout + start.stderr).contains("ramfs"), "\(start)")
            // Nothing changed: no cgroup, no pid file, no process, nothing written in the root.
            let cgroups =
                (try? FileManager.default.contentsOfDirectory(atPath: "/sys/fs/cgroup"))?
                .filter { FileManager.default.fileExists(atPath: "/sys/fs/cgroup/\($0)/\(env.cgroupParent)/web") } ?? []
            #expect(cgroups.isEmpty, "cgroups made for a refused start: \(cgroups)")
            #expect(!FileManager.default.fileExists(atPath: env.statePath + "/pids/web"))
            #expect(try env.listed("web")?.pid == nil)
            // A plan made without the filesystem rules is refused too: `start --plan` compiles
            // the config again (the launcher's own refusal is ContainerRuntimeTests').
            let plan = try env.container(["plan", "web", "--no-filesystem", "--format", "json"])
            try #require(plan.status == 0, "\(plan)")
            let planFile = env.base.path + "/web.plan.json"
            try Data(plan.stdout.utf8).write(to: URL(fileURLWithPath: planFile))
            let planned = try env.container(["start", "--plan", planFile])
            #expect(planned.status != 0 && planned.stderr.contains("[idmap-unsupported]"), "\(planned)")
            let after =
                (try? FileManager.default.contentsOfDirectory(atPath: "/sys/fs/cgroup"))?
                .filter { FileManager.default.fileExists(atPath: "/sys/fs/cgroup/\($0)/\(env.cgroupParent)/web") } ?? []
            #expect(after.isEmpty, "cgroups left by a refused start: \(after)")
            #expect(!FileManager.default.fileExists(atPath: env.statePath + "/pids/web"))
        }
    }
}
