import ConfigChecker
import ConfigLanguage
import JSONSupport
import LaunchPlan
import Testing

private typealias S = PlanTestSupport

/// The device allow-list on cgroup v2: the `attachDeviceFilter` step, where the generator puts
/// it, its JSON and text forms, and the explicit opt-out.
@Suite struct DeviceFilterPlanTests {
    static let cgroup = "/sys/fs/cgroup/minimal_containers/web"

    /// Right after the container's cgroup is created, before the fork (so before any process
    /// can be in the cgroup), with exactly the nodes of the fresh /dev.
    @Test func theV2PlanAttachesTheFilterBeforeAnyProcessIsInTheCgroup() throws {
        let plan = try S.plan(S.config(maxProcesses: .count(10)), .v2)
        let filters = plan.steps.indices.filter { if case .attachDeviceFilter = plan.steps[$0].action { true } else { false } }
        #expect(filters.count == 1)
        let index = try #require(filters.first)
        #expect(plan.steps[index] == Step(.launcher, .attachDeviceFilter(cgroup: Self.cgroup, rules: ContainerDefaults.deviceRules)))
        #expect(plan.steps[index - 1].action == .createCgroup(path: Self.cgroup))
        let fork = try #require(plan.steps.firstIndex { $0.action == .forkChild })
        #expect(index < fork)
        #expect(!plan.notes.contains { $0.contains("device") }, "\(plan.notes)")
    }

    /// The same list as v1's devices.allow, rule for rule, and the same nodes /dev gets.
    @Test func theRulesAreV1sAllowListAndTheNodesOfDev() throws {
        let v1 = try S.plan(S.config(), .v1)
        let allowed = S.writes(v1).filter { $0.0.hasSuffix("/devices.allow") }.map(\.1)
        #expect(allowed == ContainerDefaults.deviceRules.map(\.text))
        // The nodes of /dev, then the container's devpts: ptmx (5:2) and every slave (136:*).
        #expect(
            ContainerDefaults.deviceRules.map { "\($0.major):\($0.minor.map(String.init) ?? "*")" }
                == ContainerDefaults.deviceNodes.map { "\($0.major):\($0.minor)" } + ["5:2", "136:*"])
        #expect(allowed.suffix(2) == ["c 5:2 rwm", "c 136:* rwm"])
        #expect(ContainerDefaults.deviceRules.allSatisfy { $0.kind == .character && $0.access == .all })
        #expect(!v1.steps.contains { if case .attachDeviceFilter = $0.action { true } else { false } })
    }

    @Test func theTextShowsEveryRule() throws {
        let plan = try S.plan(S.config(), .v2)
        let line = try #require(plan.text.split(separator: "\n").first { $0.contains("device filter") })
        #expect(
            line.hasSuffix(
                "launcher  attach the device filter (eBPF BPF_CGROUP_DEVICE) to \(Self.cgroup): "
                    + "allow c 1:3 rwm, allow c 1:5 rwm, allow c 1:7 rwm, allow c 1:8 rwm, allow c 1:9 rwm, "
                    + "allow c 5:0 rwm, allow c 5:2 rwm, allow c 136:* rwm; deny every other device"))
    }

    @Test func theJSONFormReadsBack() throws {
        let rules = [
            DeviceRule(kind: .block, major: 4095, minor: 1_048_575, access: [.read]),
            DeviceRule(kind: .character, major: 0, minor: 0, access: [.write, .mknod]),
        ]
        var plan = try S.plan(S.config(), .v2)
        let index = try #require(plan.steps.firstIndex { if case .attachDeviceFilter = $0.action { true } else { false } })
        plan.steps[index] = Step(.launcher, .attachDeviceFilter(cgroup: Self.cgroup, rules: rules))
        let step = try #require(plan.jsonValue["steps"]?.arrayValue?[index])
        #expect(
            step.serialized(pretty: false)
                == #"{"process":"launcher","action":"attachDeviceFilter","cgroup":"\#(Self.cgroup)","rules":[{"type":"b","major":4095,"minor":1048575,"access":"r"},{"type":"c","major":0,"minor":0,"access":"wm"}]}"#
        )
        #expect(try PlanJSONReader.read(plan.jsonValue) == plan)
    }

    static let refusals: [(field: String, value: JSONValue, message: String)] = [
        ("type", .string("a"), "unknown value"),
        ("major", .integer(4096), "outside"),
        ("minor", .integer(1_048_576), "outside"),
        ("access", .string(""), "rwm"),
        ("access", .string("rr"), "rwm"),
        ("access", .string("rwx"), "rwm"),
    ]

    @Test(arguments: refusals.indices)
    func aBadRuleIsRefusedWhereItIs(_ index: Int) throws {
        let refusal = Self.refusals[index]
        let document = try S.plan(S.config(), .v2).jsonValue
        let step = try #require(document["steps"]?.arrayValue?.firstIndex { $0["action"]?.stringValue == "attachDeviceFilter" })
        let edited = PlanJSONReaderErrorTests.edit(document, ["steps", "#\(step)", "rules", "#0", refusal.field], refusal.value)
        do {
            _ = try PlanJSONReader.read(edited)
            Issue.record("accepted \(refusal.field) = \(refusal.value)")
        } catch {
            #expect(error.location == "steps[\(step)].rules[0].\(refusal.field)")
            #expect(error.message.contains(refusal.message), "\(error)")
        }
    }

    /// A launcher step: after forkChild it is out of place (a process could already be in
    /// the cgroup), and only the launcher runs it.
    @Test func theReaderKeepsTheStepBeforeTheFork() throws {
        var plan = try S.plan(S.config(), .v2)
        let index = try #require(plan.steps.firstIndex { if case .attachDeviceFilter = $0.action { true } else { false } })
        let step = plan.steps.remove(at: index)
        let fork = try #require(plan.steps.firstIndex { $0.action == .forkChild })
        plan.steps.insert(step, at: fork + 1)
        #expect(throws: PlanReadError.self) { try PlanJSONReader.read(plan.jsonValue) }
        #expect(StepAction.attachDeviceFilter(cgroup: Self.cgroup, rules: []).process == .launcher)
    }

    /// The opt-out drops the step and says so in a note; without it there is no such note.
    @Test func theOptOutOmitsTheStepAndSaysSo() throws {
        var options = S.options(.v2, name: "web")
        options.allowUnfilteredDevices = true
        let plan = try PlanGenerator.generate(S.config(), options: options)
        #expect(!plan.steps.contains { if case .attachDeviceFilter = $0.action { true } else { false } })
        #expect(
            plan.notes.contains {
                $0.hasPrefix("the device allow list is not enforced (CONTAINERS_ALLOW_UNFILTERED_DEVICES=1)")
            }, "\(plan.notes)")
        // On v1 the devices cgroup is written as always: the opt-out is about the v2 filter.
        options.cgroupLayout = S.layout(.v1)
        let v1 = try PlanGenerator.generate(S.config(), options: options)
        #expect(S.written(v1, "devices.deny") == "a")
        #expect(v1.notes.isEmpty)
    }

    @Test func accessLetters() {
        #expect(DeviceRule.Access(letters: "mwr") == .all)
        #expect(DeviceRule.Access.all.letters == "rwm")
        #expect(DeviceRule.Access(letters: "m")?.letters == "m")
        for bad in ["", "rr", "x", "rw "] { #expect(DeviceRule.Access(letters: bad) == nil) }
        let rule = DeviceRule(kind: .character, major: 1, minor: 3, access: [.read, .write])
        #expect(rule.text == "c 1:3 rw")
        #expect(rule.allows(.character, major: 1, minor: 3, access: [.read, .write]))
        #expect(!rule.allows(.character, major: 1, minor: 3, access: .mknod))
        #expect(!rule.allows(.block, major: 1, minor: 3, access: .read))
        #expect(!rule.allows(.character, major: 1, minor: 4, access: .read))
    }
}
