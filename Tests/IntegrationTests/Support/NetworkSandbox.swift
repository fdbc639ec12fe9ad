import Foundation
import Testing

/// A network namespace of the test's own (`ip netns add mct-<pid>-<random>`) with a bridge in
/// it, so that networking tests never touch the host's interfaces and no packet leaves the
/// test's namespaces. `container` runs inside it through `nsenter --net=/run/netns/NAME` (not
/// `ip netns exec`, which remounts /sys and hides the cgroup hierarchies) and a private mount
/// namespace where a sysfs of this network namespace is bound over /sys/class/net and
/// /sys/devices/virtual/net only, so that the checker's F rule (`/sys/class/net/NAME/bridge`)
/// sees the test's bridge. `cleanup()` (also run by `deinit`) kills the containers first,
/// then deletes the namespace and with it every interface in it.
final class NetworkSandbox {
    let env: TestEnvironment
    /// The namespace's name under /run/netns.
    let name: String
    /// The bridge inside, `br-test`, with `gatewayAddress` on it.
    let bridge = "br-test"
    /// A /24 of 10.x.y.0 chosen per sandbox (never routed: it exists only in here).
    let subnet: String
    var gatewayAddress: String { subnet + ".1" }
    private var cleanedUp = false

    init(_ env: TestEnvironment, sourceLocation: SourceLocation = #_sourceLocation) throws {
        self.env = env
        name = "mct-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        subnet = "10.\(Int.random(in: 100...250)).\(Int.random(in: 0...255))"
        try run(["/usr/sbin/ip", "netns", "add", name], sourceLocation: sourceLocation)
        for command in [
            "ip link set lo up",
            "ip link add \(bridge) type bridge",
            "ip addr add \(gatewayAddress)/24 dev \(bridge)",
            "ip link set \(bridge) up",
        ] {
            try inside(command, sourceLocation: sourceLocation)
        }
    }

    deinit { cleanup() }

    /// Kills every container (they hold the interfaces' other ends), deletes the namespace.
    func cleanup() {
        if cleanedUp { return }
        cleanedUp = true
        env.cleanup()
        // Not through `env.runner`: its scratch directory went with the environment.
        let delete = Process()
        delete.executableURL = URL(fileURLWithPath: "/usr/sbin/ip")
        delete.arguments = ["netns", "delete", name]
        delete.standardOutput = FileHandle.nullDevice
        delete.standardError = FileHandle.nullDevice
        if (try? delete.run()) != nil { delete.waitUntilExit() }
    }

    /// True while /run/netns/NAME exists (tests check that cleanup deleted it).
    var exists: Bool { FileManager.default.fileExists(atPath: "/run/netns/" + name) }

    /// `nsenter --net=/run/netns/NAME sh -c COMMAND`, required to succeed; its stdout.
    @discardableResult
    func inside(_ command: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let result = try env.runner.run("/usr/bin/nsenter", ["--net=/run/netns/\(name)", "/bin/sh", "-c", command])
        try #require(result.status == 0, "in \(name): \(command): \(result)", sourceLocation: sourceLocation)
        return result.stdout
    }

    /// The interface names in the namespace (`/sys/class/net` as `ip -o link` lists them).
    func interfaces() throws -> [String] {
        try inside("ip -o link show").split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ")
            guard fields.count > 1 else { return nil }
            return String(fields[1].split(separator: "@").first ?? "").trimmingCharacters(in: CharacterSet(charactersIn: ":"))
        }
    }

    /// `container ARGUMENTS --path STATE` run inside the namespace, with this namespace's
    /// sysfs over the host's network directories (see the type's comment). With
    /// `ghostBridge`, /sys/class/net is instead a tmpfs claiming that a bridge of that name
    /// exists (which netlink then denies): the checker's view and the kernel's disagree.
    @discardableResult
    func container(_ arguments: [String], ghostBridge: String? = nil, timeout: TimeInterval = 30) throws -> RunResult {
        try startContainer(arguments, ghostBridge: ghostBridge).wait(timeout: timeout)
    }

    /// `container(…)` without waiting; the command's pid is the launcher's (every wrapper
    /// execs the next).
    func startContainer(
        _ arguments: [String], ghostBridge: String? = nil,
        adding extra: [String: String] = [:]
    ) throws -> RunningCommand {
        let sys = env.base.path + "/netsys"
        var setup =
            "set -e; mkdir -p \(sys); mount -t sysfs sysfs \(sys); "
            + "mount --bind \(sys)/class/net /sys/class/net; "
            + "mount --bind \(sys)/devices/virtual/net /sys/devices/virtual/net; "
        if let ghostBridge {
            setup += "mount -t tmpfs tmpfs /sys/class/net; mkdir -p /sys/class/net/\(ghostBridge)/bridge; "
        }
        setup += "set +e; exec \"$0\" \"$@\""
        return try env.runner.start(
            "/usr/bin/nsenter",
            [
                "--net=/run/netns/\(name)", "/usr/bin/unshare", "--mount", "--propagation", "private",
                "/bin/sh", "-c", setup, env.binary,
            ] + arguments + ["--path", env.statePath],
            environment: env.environment.merging(extra) { $1 })
    }

    /// The 1-based index of the first step named `action` in NAME's plan (made in here).
    func stepNumber(_ action: String, in container: String) throws -> Int {
        let plan = try self.container(["plan", container, "--format", "json"])
        let json = try JSONSerialization.jsonObject(with: Data(plan.stdout.utf8)) as? [String: Any]
        let steps = try #require(json?["steps"] as? [[String: Any]], "\(plan)")
        let index = try #require(steps.firstIndex { $0["action"] as? String == action }, "no \(action) in \(plan)")
        return index + 1
    }

    private func run(_ arguments: [String], sourceLocation: SourceLocation) throws {
        let result = try env.runner.run(arguments[0], Array(arguments.dropFirst()))
        try #require(result.status == 0, "\(arguments.joined(separator: " ")): \(result)", sourceLocation: sourceLocation)
    }
}

extension TestEnvironment {
    /// Binds the host's /usr read-only into the container's root and links /lib and /lib64 to
    /// it (as on the host, usrmerge), so that /usr/bin/perl runs inside (for the abstract
    /// socket probes). Returns the config lines.
    func hostUsrLines() throws -> [String] {
        let manager = FileManager.default
        try manager.createDirectory(atPath: rootfs + "/usr", withIntermediateDirectories: true)
        for link in ["lib", "lib64"] where !manager.fileExists(atPath: rootfs + "/" + link) {
            try manager.createSymbolicLink(atPath: rootfs + "/" + link, withDestinationPath: "usr/" + link)
        }
        return ["mount_ro=/usr:/usr"]
    }
}
