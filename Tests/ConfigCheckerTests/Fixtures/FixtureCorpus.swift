import Foundation

/// Where the fixtures live and how they are listed.
enum FixtureCorpus {
    /// `Fixtures/check/` at the package root, found from this file's path.
    static let checkDirectory: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Fixtures/
        .deletingLastPathComponent()  // ConfigCheckerTests/
        .deletingLastPathComponent()  // Tests/
        .deletingLastPathComponent()  // package root
        .appendingPathComponent("Fixtures/check")

    static let configExtensions: Set<String> = ["conf", "yaml", "yml"]

    /// Every file under `Fixtures/check/`, as paths relative to it, sorted.
    static func allFiles() -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: checkDirectory.path) else { return [] }
        var files: [String] = []
        while let relative = walker.nextObject() as? String {
            var isDirectory: ObjCBool = false
            let full = checkDirectory.appendingPathComponent(relative).path
            if FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue {
                files.append(relative)
            }
        }
        return files.sorted()
    }

    /// The config fixtures (`*.conf`, `*.yaml`, `*.yml`), relative to `Fixtures/check/`.
    static func configFixtures() -> [String] {
        allFiles().filter { configExtensions.contains(($0 as NSString).pathExtension) }
    }

    /// The sidecar of a fixture, if any: `NAME.conf.expect`, else `NAME.expect`.
    static func sidecar(of fixture: String) -> String? {
        let candidates = [fixture + ".expect", (fixture as NSString).deletingPathExtension + ".expect"]
        return candidates.first { FileManager.default.fileExists(atPath: checkDirectory.appendingPathComponent($0).path) }
    }
}
