import Foundation
import Testing
import ContainerEngine
import ContainerRuntime
import LaunchPlan

/// The refusals of `exec` and `stop` and the exec plan the engine compiles, without root: the
/// sandbox's fake cgroup decides "running".
@Suite struct ExecStopEngineTests {
    @Test func execRefusesAnInvalidNameWithStatus2() throws {
        let sandbox = try EngineSandbox()
        let outcome = sandbox.engine().exec("../etc", arguments: ["true"], options: ExecOptions(terminal: false))
        #expect(outcome.exitStatus == 2)
        #expect(outcome.failure != nil)
    }

    @Test func execRefusesAContainerThatIsNotRunningWithStatus1() throws {
        let sandbox = try EngineSandbox()
        try sandbox.writeConfig("box", EngineSandbox.valid)
        let outcome = sandbox.engine().exec("box", arguments: ["true"], options: ExecOptions(terminal: false))
        #expect(outcome.exitStatus == 1)
        #expect(outcome.failure?.contains("is not running") == true, "\(outcome.failure ?? "")")
    }

    @Test func execRefusesARunningContainerWhosePidFileIsNotInItsCgroup() throws {
        let sandbox = try EngineSandbox()
        try sandbox.writeConfig("box", EngineSandbox.valid)
        try sandbox.markRunning("box")
        // pid 1 is alive but not in the container's (fake) cgroup.
        try "1\n".write(toFile: sandbox.state.pidsDirectory + "/box", atomically: false, encoding: .utf8)
        let outcome = sandbox.engine().exec(
            "box", arguments: ["true"], options: ExecOptions(terminal: false, requireSingleThread: false))
        #expect(outcome.exitStatus == 1)
        #expect(outcome.failure?.contains("findInit") == true, "\(outcome.failure ?? "")")
    }

    @Test func stopRefusesAnInvalidNameAndAStoppedContainer() throws {
        let sandbox = try EngineSandbox()
        try sandbox.writeConfig("box", EngineSandbox.valid)
        #expect(throws: EngineError.self) { try sandbox.engine().stop("bad/name", seconds: 1) }
        do {
            _ = try sandbox.engine().stop("box", seconds: 1)
            Issue.record("a stopped container was stopped")
        } catch {
            #expect(error.exitStatus == 1)
            #expect(error.description.contains("not running"))
        }
    }

    @Test func theExecPlanJoinsTheCgroupBeforeTheNamespacesAndForksAfterThem() throws {
        let sandbox = try EngineSandbox()
        try sandbox.writeConfig("box", EngineSandbox.valid)
        guard case let .success(compiled) = sandbox.engine().compile("box", useFilesystem: false, execArguments: ["sh", "-c", "id"]) else {
            Issue.record("no exec plan")
            return
        }
        #expect(
            compiled.plan.steps.map(\.action.name) == [
                "findInit", "makeNonDumpable", "enterCgroup", "joinNamespaces", "forkCommand",
                "setCredentials", "restrictPrivileges", "execCommand",
            ])
        #expect(
            compiled.plan.steps.map(\.process) == [
                .launcher, .launcher, .launcher, .launcher, .launcher, .`init`, .`init`, .`init`,
            ])
        #expect(
            compiled.plan.steps.last?.action
                == .execCommand(
                    arguments: ["sh", "-c", "id"], environment: ContainerDefaults.environment, ptmx: "/dev/pts/ptmx"))
    }
}
