import Foundation
import Testing
import ContainerEngine
import JSONSupport
import OCIBundle

/// load → check → OCI bundle through the engine, and `export`'s directory rules, without root.
@Suite struct EngineExportTests {
    @Test func theBundleIsTheCheckedConfigWithTheIdentityCgroup() throws {
        let sandbox = try EngineSandbox()
        try sandbox.writeConfig("box", EngineSandbox.valid)
        let compiled = try sandbox.engine().compileBundle("box", useFilesystem: false).get()
        #expect(compiled.spec.config["root"]?["path"]?.stringValue == "/srv/box")
        #expect(compiled.spec.config["hostname"]?.stringValue == "box")
        #expect(compiled.spec.config["linux"]?["cgroupsPath"]?.stringValue == "/\(sandbox.parent)/box")
        #expect(compiled.spec.config["linux"]?["resources"]?["pids"]?["limit"]?.integerValue == 10)
    }

    @Test func aConfigWithErrorsHasNoBundleAndExitsOne() throws {
        let sandbox = try EngineSandbox()
        try sandbox.writeConfig("box", "root=/srv/box\ninit=/sbin/init\nnamespaces=phq\n")
        guard case let .failure(failure) = sandbox.engine().compileBundle("box", useFilesystem: false) else {
            Issue.record("a config with an error compiled to a bundle")
            return
        }
        #expect(failure.error.exitStatus == 1)
        #expect(failure.error.description == "box: the config has errors, no bundle")
        let bundle = sandbox.base + "/bundle"
        guard case let .failure(exported) = sandbox.engine().export("box", to: bundle, force: false, useFilesystem: false) else {
            Issue.record("export wrote a bundle for a config with an error")
            return
        }
        #expect(exported.exitStatus == 1)
        #expect(!sandbox.exists(bundle + "/config.json"))
    }

    @Test func anUnreadableConfigExitsTwo() throws {
        let sandbox = try EngineSandbox()
        guard case let .failure(failure) = sandbox.engine().export("missing", to: sandbox.base + "/b", force: false) else {
            Issue.record("exported a missing config")
            return
        }
        #expect(failure.exitStatus == 2)
        #expect(!sandbox.exists(sandbox.base + "/b"), "nothing is created for a config that cannot be read")
    }

    @Test func exportCreatesTheDirectoryAndWritesTheSameBytesAsPlan() throws {
        let sandbox = try EngineSandbox()
        try sandbox.writeConfig("box", EngineSandbox.valid)
        let bundle = sandbox.base + "/bundle"
        let exported = try sandbox.engine().export("box", to: bundle, force: false, useFilesystem: false).get()
        let written = try String(contentsOfFile: bundle + "/config.json", encoding: .utf8)
        #expect(written == exported.spec.text)
        #expect(written == (try sandbox.engine().compileBundle("box", useFilesystem: false).get().spec.text))
        #expect((try FileManager.default.contentsOfDirectory(atPath: bundle)) == ["config.json"], "no temporary file is left")
    }

    @Test func aNonEmptyDirectoryIsRefusedAndForceReplacesConfigJSONOnly() throws {
        let sandbox = try EngineSandbox()
        try sandbox.writeConfig("box", EngineSandbox.valid)
        let bundle = sandbox.base + "/bundle"
        try FileManager.default.createDirectory(atPath: bundle + "/rootfs", withIntermediateDirectories: true)
        try "keep\n".write(toFile: bundle + "/rootfs/file", atomically: false, encoding: .utf8)
        try "old\n".write(toFile: bundle + "/config.json", atomically: false, encoding: .utf8)

        guard case let .failure(refused) = sandbox.engine().export("box", to: bundle, force: false, useFilesystem: false) else {
            Issue.record("a non-empty DIR was not refused")
            return
        }
        #expect(refused.exitStatus == 1)
        #expect("\(refused)".contains("is not empty"), "\(refused)")
        #expect(try String(contentsOfFile: bundle + "/config.json", encoding: .utf8) == "old\n", "refused: nothing written")

        let forced = try sandbox.engine().export("box", to: bundle, force: true, useFilesystem: false).get()
        #expect(try String(contentsOfFile: bundle + "/config.json", encoding: .utf8) == forced.spec.text)
        #expect(try String(contentsOfFile: bundle + "/rootfs/file", encoding: .utf8) == "keep\n", "--force touches config.json only")
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: bundle)) == ["config.json", "rootfs"])
    }

    @Test func aDirectoryThatCannotBeCreatedExitsOne() throws {
        let sandbox = try EngineSandbox()
        try sandbox.writeConfig("box", EngineSandbox.valid)
        guard case let .failure(failure) = sandbox.engine().export("box", to: sandbox.base + "/no/such/parent", force: false, useFilesystem: false) else {
            Issue.record("exported under a missing parent")
            return
        }
        #expect(failure.exitStatus == 1)
        #expect("\(failure)".contains("mkdir"), "\(failure)")
    }
}
