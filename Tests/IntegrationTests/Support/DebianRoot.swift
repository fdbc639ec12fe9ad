import Foundation

/// A Debian root made by `debootstrap --variant=minbase bookworm`, owned by host root as
/// debootstrap leaves it: what an operator has (issue 14). Built once from the mirror apt
/// uses, then cached outside the repository, under /var/cache/minimal_containers/debootstrap;
/// each test works on its own copy.
///
/// When debootstrap cannot fetch, `copy` falls back to the busybox root (owned by root, like
/// debootstrap's) and says so in `fallbackReason`; the tests that need Debian's programs (apt,
/// su) then fail with that reason (they never skip).
enum DebianRoot {
    static let cacheDirectory = "/var/cache/minimal_containers/debootstrap"
    static let cached = cacheDirectory + "/bookworm-minbase"
    /// Written last: a cache without it is an interrupted build.
    static let completeMarker = cached + "/.minimal-containers-complete"

    /// Why the Debian root could not be made (then the copy is the busybox root).
    nonisolated(unsafe) static var fallbackReason: String?

    /// Copies the cached root (building it first when needed) to `destination`; false when
    /// it is the busybox fallback.
    @discardableResult
    static func copy(to destination: String, runner: CommandRunner) throws -> Bool {
        if !FileManager.default.fileExists(atPath: completeMarker) {
            if let problem = build(runner: runner) {
                fallbackReason = problem
                try RootfsBuilder.build(at: destination)
                return false
            }
        }
        let copied = try runner.run("/bin/cp", ["-a", cached, destination], timeout: 300)
        guard copied.status == 0 else { throw TestFailure("cp -a \(cached): \(copied)") }
        try? FileManager.default.removeItem(atPath: destination + "/.minimal-containers-complete")
        return true
    }

    /// debootstrap into a temporary directory next to the cache, renamed into place when done;
    /// nil on success, else why not.
    private static func build(runner: CommandRunner) -> String? {
        guard FileManager.default.isExecutableFile(atPath: "/usr/sbin/debootstrap") else {
            return "/usr/sbin/debootstrap is missing: apt-get install debootstrap (scripts/install-deps.sh)"
        }
        let partial = cached + ".partial-\(getpid())"
        try? FileManager.default.createDirectory(atPath: cacheDirectory, withIntermediateDirectories: true)
        defer { _ = try? runner.run("/bin/rm", ["-rf", partial]) }
        guard
            let result = try? runner.run(
                "/usr/sbin/debootstrap", ["--variant=minbase", "bookworm", partial, mirror()],
                timeout: 900), result.status == 0
        else {
            return "debootstrap --variant=minbase bookworm from \(mirror()) failed"
        }
        FileManager.default.createFile(atPath: partial + "/.minimal-containers-complete", contents: Data())
        _ = try? runner.run("/bin/rm", ["-rf", cached])
        guard rename(partial, cached) == 0 else { return "rename \(partial) → \(cached): errno \(errno)" }
        return nil
    }

    /// The Debian mirror apt is configured with (deb822 `URIs:` or a one-line `deb` source),
    /// else deb.debian.org.
    static func mirror() -> String {
        let sources = ["/etc/apt/sources.list.d/debian.sources", "/etc/apt/sources.list"]
        for path in sources {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { continue }
            for line in text.split(separator: "\n") {
                let words = line.split(separator: " ")
                if words.first == "URIs:", words.count > 1, !words[1].contains("security") { return String(words[1]) }
                if words.first == "deb", let uri = words.dropFirst().first(where: { $0.hasPrefix("http") }),
                    !uri.contains("security")
                {
                    return String(uri)
                }
            }
        }
        return "http://deb.debian.org/debian"
    }

    /// A local apt repository made on the host (no network): one tiny package `mct-hello`
    /// (built with dpkg-deb), its `Packages` (dpkg-scanpackages) and a hand-written `Release`.
    static func makeRepository(at directory: String, scratch: String, runner: CommandRunner) throws {
        let manager = FileManager.default
        let package = scratch + "/mct-hello"
        try manager.createDirectory(atPath: package + "/DEBIAN", withIntermediateDirectories: true)
        try manager.createDirectory(atPath: package + "/usr/share/mct-hello", withIntermediateDirectories: true)
        try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try Data(
            """
            Package: mct-hello
            Version: 1.0
            Architecture: all
            Maintainer: tests <tests@example.invalid>
            Description: a file for the idmapped-mount tests

            """.utf8
        ).write(to: URL(fileURLWithPath: package + "/DEBIAN/control"))
        try Data("hello from the local repository\n".utf8).write(to: URL(fileURLWithPath: package + "/usr/share/mct-hello/hello"))
        let built = try runner.run("/usr/bin/dpkg-deb", ["--root-owner-group", "--build", package, directory + "/mct-hello_1.0_all.deb"])
        guard built.status == 0 else { throw TestFailure("dpkg-deb: \(built)") }
        let script = """
            set -e; cd "$0"; dpkg-scanpackages --multiversion . /dev/null > Packages 2>/dev/null
            printf 'Origin: mct\\nLabel: mct\\nSuite: local\\nCodename: local\\nDate: %s\\nArchitectures: all amd64\\nSHA256:\\n %s %s Packages\\n' \
              "$(date -Ru)" "$(sha256sum Packages | cut -d' ' -f1)" "$(stat -c %s Packages)" > Release
            """
        let indexed = try runner.run("/bin/sh", ["-c", script, directory])
        guard indexed.status == 0 else { throw TestFailure("dpkg-scanpackages (apt-get install dpkg-dev): \(indexed)") }
    }
}
