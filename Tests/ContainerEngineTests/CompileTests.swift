import Testing
import ContainerEngine
import ContainerState
import Diagnostics
import LaunchPlan

/// load → check → plan through the engine, without root.
@Suite struct EngineCompileTests {
    @Test func aValidConfigCompilesToThePlanOfTheProbedHost() throws {
        let sandbox = try EngineSandbox()
        try sandbox.writeConfig("box", EngineSandbox.valid)
        let compiled = try sandbox.engine().compile("box", useFilesystem: false).get()
        #expect(compiled.plan.container == "box")
        #expect(compiled.plan.cgroup == .v2)
        #expect(compiled.plan.steps.contains(Step(.launcher, .createCgroup(path: sandbox.cgroup("box")))))
        #expect(compiled.diagnostics.diagnostics.isEmpty)
    }

    @Test func aConfigWithErrorsIsRefusedWithItsDiagnostics() throws {
        let sandbox = try EngineSandbox()
        try sandbox.writeConfig("box", "root=/srv/box\ninit=/sbin/init\nnamespaces=phq\n")
        let failure = try #require(failureOf(sandbox.engine().compile("box", useFilesystem: false, refusal: "no plan")))
        #expect(failure.error.exitStatus == 1)
        #expect(failure.error.description == "box: the config has errors, no plan")
        #expect(failure.diagnostics?.diagnostics.contains { $0.severity == .error } == true)
    }

    @Test(arguments: ["missing", "../etc/passwd", "./no/such/file"])
    func anUnreadableConfigExitsTwo(argument: String) throws {
        let sandbox = try EngineSandbox()
        let failure = try #require(failureOf(sandbox.engine().compile(argument)))
        #expect(failure.error.exitStatus == 2, "\(failure.error)")
        #expect(failure.diagnostics == nil)
    }

    @Test func startRefusesAConfigWithErrorsBeforeTouchingAnything() throws {
        let sandbox = try EngineSandbox()
        try sandbox.writeConfig("box", "root=relative\ninit=/sbin/init\nnamespaces=ph\n")
        let outcome = sandbox.engine().start("box", mode: .detached)
        #expect(outcome.exitStatus == 1)
        #expect(outcome.failure?.description == "box: the config has errors, nothing was started")
        #expect(outcome.initPID == nil)
        #expect(!sandbox.exists(sandbox.state.locksDirectory), "no lock was taken")
        #expect(!sandbox.exists(sandbox.cgroup("box")), "no cgroup was created")
    }

    @Test func aSavedPlanWhoseConfigChangedIsRefused() throws {
        let sandbox = try EngineSandbox()
        try sandbox.writeConfig("box", EngineSandbox.valid)
        let plan = try sandbox.engine().compile(sandbox.state.configsDirectory + "/box", useFilesystem: false).get().plan
        let planFile = sandbox.base + "/box.plan.json"
        try plan.json(pretty: true).write(toFile: planFile, atomically: false, encoding: .utf8)
        try sandbox.writeConfig("box", EngineSandbox.valid + "cpu_share=512\n")
        let outcome = sandbox.engine().startSavedPlan(file: planFile, mode: .detached)
        #expect(outcome.exitStatus == 1)
        #expect(outcome.failure?.description.contains("changed since the plan was made") == true, "\(String(describing: outcome.failure))")
    }
}

/// The failure of a result, or nil.
func failureOf<T, E>(_ result: Result<T, E>) -> E? {
    if case let .failure(error) = result { return error }
    return nil
}
