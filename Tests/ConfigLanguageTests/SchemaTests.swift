import ConfigLanguage
import ConfigSource
import Foundation
import Testing

/// Grammar/config.schema.json agrees with the YAML front end: the YAML fixtures that check
/// clean validate, and fixtures that break a structural rule are rejected. Runs Python's
/// `jsonschema` through Grammar/validate.py; without python3, jsonschema or pyyaml these
/// tests fail (they never skip), as CI installs them.
@Suite("JSON Schema of the YAML form")
struct SchemaTests {
    static let fixtures = repositoryRoot.appendingPathComponent("Fixtures/check")

    /// Runs validate.py on `paths`: its exit status and its report per file.
    private func validate(_ paths: [String]) throws -> (status: Int32, lines: [String: String]) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", repositoryRoot.appendingPathComponent("Grammar/validate.py").path] + paths
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(
            process.terminationStatus != 2 && process.terminationStatus != 127,
            "validate.py could not run (python3, jsonschema and pyyaml are required): \(errorText)")
        var lines: [String: String] = [:]
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            guard let colon = line.range(of: ": ") else { continue }
            lines[String(line[..<colon.lowerBound])] = String(line[colon.upperBound...])
        }
        return (process.terminationStatus, lines)
    }

    private func yamlFiles(in directory: String) -> [String] {
        let url = Self.fixtures.appendingPathComponent(directory)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
            .map { url.appendingPathComponent($0).path }
    }

    @Test func cleanYAMLFixturesValidate() throws {
        let clean = yamlFiles(in: "clean")
        #expect(clean.count >= 2)
        for path in clean {
            let parsed = ConfigParser.parse(SourceFile(path: path, bytes: [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))))
            #expect(parsed.diagnostics.isEmpty, "\(path) does not parse clean")
        }
        let result = try validate(clean)
        #expect(result.status == 0)
        for path in clean { #expect(result.lines[path] == "valid", "\(path): \(result.lines[path] ?? "no report")") }
    }

    /// Syntax fixtures whose error is structural, so a schema can see it too.
    static let structuralBreakers = [
        "yaml-wrong-type", "yaml-unknown-field", "yaml-missing-field", "yaml-not-mapping", "unknown-key",
        "empty-namespaces", "unknown-namespace", "invalid-mount", "invalid-device-limit", "number-out-of-range",
        "zero-size", "unknown-size-suffix", "path-not-absolute",
    ]

    @Test func structuralBreakersAreRejected() throws {
        let paths = Self.structuralBreakers.map { Self.fixtures.appendingPathComponent("syntax/\($0).yaml").path }
        let result = try validate(paths)
        #expect(result.status == 1)
        for path in paths {
            #expect(result.lines[path]?.hasPrefix("invalid") == true, "\(path): \(result.lines[path] ?? "no report")")
        }
    }

    @Test func aConfigMissingARequiredKeyIsRejected() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("schema-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let missing = directory.appendingPathComponent("no-init.yaml")
        try Data("root: /srv/web\nnamespaces: all\n".utf8).write(to: missing)
        let result = try validate([missing.path])
        #expect(result.lines[missing.path]?.contains("'init' is a required property") == true)
    }
}
