import Foundation
import Testing

/// A directory on the host, outside every container root, that a container must not reach:
/// its entries, their contents and whether something is mounted on it are recorded, so a test
/// can check that a start and a kill left it exactly as it was.
struct HostMarker {
    let path: String
    private let snapshot: [String: String]

    /// Makes `<base>/outside-marker` with a few files in it.
    init(in env: TestEnvironment) throws {
        path = env.base.path + "/outside-marker"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        for name in ["passwd", "keep-me", "null"] {
            try Data("host file \(name)\n".utf8).write(to: URL(fileURLWithPath: path + "/" + name))
        }
        snapshot = Self.read(path)
    }

    static func read(_ path: String) -> [String: String] {
        var result: [String: String] = [:]
        for name in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] {
            var info = stat()
            lstat(path + "/" + name, &info)
            let content = (try? String(contentsOfFile: path + "/" + name, encoding: .utf8)) ?? "<mode \(info.st_mode)>"
            result[name] = content
        }
        return result
    }

    /// True when nothing is mounted on the marker in the host's mount namespace.
    var isMountedOn: Bool {
        let mountinfo = (try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)) ?? ""
        return mountinfo.split(separator: "\n").contains { line in
            line.split(separator: " ").dropFirst(4).first.map(String.init) == path
        }
    }

    /// Expects the marker to be exactly as it was made.
    func expectUntouched(sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(Self.read(path) == snapshot, "the host directory \(path) changed", sourceLocation: sourceLocation)
        #expect(!isMountedOn, "something was mounted on the host directory \(path)", sourceLocation: sourceLocation)
    }
}
