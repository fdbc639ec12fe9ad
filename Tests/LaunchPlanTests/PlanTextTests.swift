import ConfigChecker
import ConfigLanguage
import LaunchPlan
import Testing

private typealias S = PlanTestSupport

@Suite struct PlanTextTests {
    /// `NN  process   what`, numbers right-aligned, process column padded to `launcher`.
    @Test func oneNumberedLinePerStep() throws {
        let plan = try S.plan(S.config(namespaces: "ph"), .v1)
        let lines = plan.text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == 2 + plan.steps.count + plan.notes.count)
        let stepLines = Array(lines.dropFirst(2).prefix(plan.steps.count))
        let width = String(plan.steps.count).count
        for (index, line) in stepLines.enumerated() {
            let number = String(index + 1)
            let expectedPrefix =
                String(repeating: " ", count: width - number.count) + number + "  "
                + plan.steps[index].process.rawValue
            #expect(line.hasPrefix(expectedPrefix))
            #expect(line.hasSuffix(plan.steps[index].action.summary))
        }
        let proc = try #require(plan.steps.firstIndex { $0.action == .mountProc(target: "/srv/web/proc") })
        let expected = String(repeating: " ", count: width - String(proc + 1).count) + "\(proc + 1)  init      mount proc at /srv/web/proc"
        #expect(stepLines[proc] == expected)
    }

    @Test func headerAndNotes() throws {
        let plan = try S.plan(S.config(netClassID: 0x10), .v2)
        let lines = plan.text.split(separator: "\n").map(String.init)
        #expect(lines[0] == "plan for web (cgroup v2, schema 1)")
        #expect(lines[1] == "config /containers/configs/web \(plan.configHash)")
        #expect(lines.filter { $0.hasPrefix("note: ") }.count == plan.notes.count)
        #expect(lines.contains { $0.hasPrefix("note: net_classid 0x00000010") })
    }

    @Test func valuesArePrinted() throws {
        let plan = try S.plan(S.config(namespaces: "u", maxPhysicalMemory: .bytes(4 << 20), idMapStart: 123_456), .v1)
        #expect(plan.text.contains("write \"4194304\" to /sys/fs/cgroup/memory/minimal_containers/web/memory.limit_in_bytes"))
        #expect(plan.text.contains("uid_map \"0 123456 65536\""))
        #expect(plan.text.contains("null c 1:3 0666"))
        #expect(plan.text.contains("(bind from the host)"))
        #expect(plan.text.contains("cap_net_bind_service"))
    }
}

extension PlanTextTests {
    /// The exec step says that a host program runs from a sealed copy (CVE-2019-5736's
    /// class), and says nothing of the kind for a program inside the root.
    @Test func aHostProgramsExecSaysItRunsFromASealedCopy() {
        let host = StepAction.exec(program: InitProgram(path: "/usr/bin/tini", location: .host), environment: [])
        let inside = StepAction.exec(program: InitProgram(path: "/sbin/init", location: .insideRoot), environment: [])
        #expect(host.summary.contains("/usr/bin/tini (host path, run from a sealed copy: memfd, F_SEAL_SEAL|F_SEAL_SHRINK|F_SEAL_GROW|F_SEAL_WRITE)"))
        #expect(!inside.summary.contains("sealed"))
    }
}
