import ConfigChecker
import ConfigLanguage
import JSONSupport
import HostCgroups
import LaunchPlan
import Testing
import TestSupport

private typealias S = PlanTestSupport

@Suite struct PlanJSONRoundTripTests {
    static let configs: [CheckedConfig] = [
        S.config(),
        S.config(
            namespaces: "uphtic", maxPhysicalMemory: .bytes(1 << 28), maxMemory: .unlimited,
            maxProcesses: .count(7), cpuShare: 3, netClassID: 0xFFFF_FFFF,
            mounts: [.init(source: "/a", destination: "/b c", readOnly: true)],
            ioLimits: [.init(device: DeviceNumber(major: 4095, minor: 1_048_575), kind: .iops, value: UInt64(Int64.max))],
            idMapStart: 4_294_901_760),
        S.config(name: "u-only", namespaces: "u", maxMemory: .bytes(1 << 30)),
    ]

    @Test(arguments: configs, CgroupVersion.allCases)
    func roundTrip(config: CheckedConfig, version: CgroupVersion) throws {
        let plan = try S.plan(config, version)
        for pretty in [true, false] {
            let text = plan.json(pretty: pretty)
            #expect(try PlanJSONReader.read(Array(text.utf8)) == plan)
        }
    }

    @Test func hostInitProgramSurvives() throws {
        var config = S.config()
        config.initProgram = InitProgram(path: "/usr/bin/tini", location: .host)
        let plan = try S.plan(config, .v1)
        #expect(try PlanJSONReader.read(plan.jsonValue) == plan)
        #expect(plan.json().contains("\"location\": \"host\""))
    }

    @Test func documentShape() throws {
        let plan = try S.plan(S.config(), .v2)
        let value = plan.jsonValue
        guard case let .object(members) = value else {
            Issue.record("not an object")
            return
        }
        #expect(members.map(\.0) == ["schemaVersion", "container", "configPath", "configHash", "cgroup", "notes", "steps"])
        #expect(value["steps"]?.arrayValue?.first?["action"]?.stringValue == "lock")
        #expect(value["steps"]?.arrayValue?.first?["process"]?.stringValue == "launcher")
        #expect(value["cgroup"]?.stringValue == "v2")
    }
}

/// Every field is validated; the error names where and what.
@Suite struct PlanJSONReaderErrorTests {
    static func validDocument() -> JSONValue {
        try! S.plan(
            S.config(
                namespaces: "uphtic",
                mounts: [
                    .init(source: "/s", destination: "/d", readOnly: false, idmap: false),
                    .init(source: "/t", destination: "/e", readOnly: true),
                ]), .v1
        ).jsonValue
    }

    /// An idmapped mount's attach needs its own prepared copy: a plan without the prepare
    /// step, or with one prepare for two attaches, is refused before anything runs.
    @Test func attachWithoutPrepareIsRefused() throws {
        let document = Self.validDocument()
        let steps = try #require(document["steps"]?.arrayValue)
        let prepare = try #require(steps.lastIndex { $0["action"]?.stringValue == "prepareIDMappedMount" })
        #expect(steps[prepare]["source"]?.stringValue == "/t")
        let edited = Self.edit(document, ["steps", "#\(prepare)"], nil)
        #expect(throws: PlanReadError.self) { try PlanJSONReader.read(edited) }
        #expect(throws: Never.self) { try PlanJSONReader.read(document) }
    }

    /// Replaces (or with nil removes) the member at `path` (keys, or array indices as "#3").
    static func edit(_ value: JSONValue, _ path: [String], _ replacement: JSONValue?) -> JSONValue {
        guard let head = path.first else { return replacement ?? .null }
        let rest = Array(path.dropFirst())
        switch value {
        case let .object(members):
            var out: [(String, JSONValue)] = []
            var found = false
            for (key, member) in members {
                if key == head {
                    found = true
                    if rest.isEmpty, replacement == nil { continue }
                    out.append((key, edit(member, rest, replacement)))
                } else {
                    out.append((key, member))
                }
            }
            if !found, rest.isEmpty, let replacement { out.append((head, replacement)) }
            return .object(out)
        case var .array(items):
            let index = Int(head.dropFirst())!
            if rest.isEmpty, replacement == nil { items.remove(at: index) } else { items[index] = edit(items[index], rest, replacement) }
            return .array(items)
        default:
            return value
        }
    }

    static func stepIndex(_ action: String) -> String {
        let steps = validDocument()["steps"]!.arrayValue!
        return "#\(steps.firstIndex { $0["action"]?.stringValue == action }!)"
    }

    struct Case: CustomStringConvertible, Sendable {
        var path: [String]
        var replacement: JSONValue?
        var location: String
        var message: String
        var description: String { path.joined(separator: ".") + " → " + message }
    }

    static let cases: [Case] = {
        let lock = stepIndex("lock"), unshare = stepIndex("unshare"), dev = stepIndex("populateDev")
        let idMap = stepIndex("writeIDMap"), exec = stepIndex("exec"), bind = stepIndex("bindMount")
        let caps = stepIndex("restrictPrivileges")
        func at(_ index: String) -> String { "steps[\(index.dropFirst())]" }
        return [
            Case(path: ["schemaVersion"], replacement: .integer(2), location: "schemaVersion", message: "not supported"),
            Case(path: ["schemaVersion"], replacement: .string("1"), location: "schemaVersion", message: "expected an integer"),
            Case(path: ["schemaVersion"], replacement: nil, location: "schemaVersion", message: "missing"),
            Case(path: ["container"], replacement: .string("../etc"), location: "container", message: "not a valid container name"),
            Case(path: ["configPath"], replacement: .string("configs/web"), location: "configPath", message: "absolute"),
            Case(path: ["configHash"], replacement: .string("sha256:xyz"), location: "configHash", message: "64 lowercase hex"),
            Case(path: ["cgroup"], replacement: .string("v3"), location: "cgroup", message: "unknown value"),
            Case(path: ["notes"], replacement: .array([.integer(1)]), location: "notes[0]", message: "expected a string"),
            Case(path: ["steps"], replacement: .object([]), location: "steps", message: "expected an array"),
            Case(path: ["extra"], replacement: .bool(true), location: "extra", message: "unknown member"),
            Case(path: ["steps", lock, "path"], replacement: .string("locks/web"), location: at(lock) + ".path", message: "absolute"),
            Case(path: ["steps", lock, "path"], replacement: .string("/containers/../etc/passwd"), location: at(lock) + ".path", message: "'..'"),
            Case(path: ["steps", lock, "path"], replacement: .string("/a\u{0}b"), location: at(lock) + ".path", message: "control character"),
            Case(path: ["steps", lock, "process"], replacement: .string("init"), location: at(lock) + ".process", message: "runs in the launcher"),
            Case(path: ["steps", lock, "process"], replacement: .string("nobody"), location: at(lock) + ".process", message: "unknown value"),
            Case(path: ["steps", lock, "action"], replacement: .string("format"), location: at(lock) + ".action", message: "unknown action"),
            Case(path: ["steps", lock, "colour"], replacement: .string("red"), location: at(lock) + ".colour", message: "unknown member"),
            Case(path: ["steps", unshare, "namespaces"], replacement: .string("upx"), location: at(unshare) + ".namespaces", message: "'x'"),
            Case(path: ["steps", unshare, "namespaces"], replacement: .string("uu"), location: at(unshare) + ".namespaces", message: "twice"),
            Case(path: ["steps", dev, "nodes", "#0", "major"], replacement: .integer(4096), location: at(dev) + ".nodes[0].major", message: "outside"),
            Case(
                path: ["steps", dev, "nodes", "#0", "mode"], replacement: .double(438.5), location: at(dev) + ".nodes[0].mode", message: "expected an integer"),
            Case(
                path: ["steps", dev, "nodes", "#0", "name"], replacement: .string("../sda"), location: at(dev) + ".nodes[0].name", message: "plain file name"),
            Case(path: ["steps", dev, "bindFromHost"], replacement: .string("yes"), location: at(dev) + ".bindFromHost", message: "true or false"),
            Case(path: ["steps", idMap, "count"], replacement: .integer(0), location: at(idMap) + ".count", message: "outside"),
            Case(path: ["steps", idMap, "hostStart"], replacement: .integer(4_294_967_295), location: at(idMap) + ".count", message: "32 bits"),
            Case(path: ["steps", idMap, "kind"], replacement: .string("pid"), location: at(idMap) + ".kind", message: "unknown value"),
            Case(path: ["steps", bind, "onFailure"], replacement: .string("ignore"), location: at(bind) + ".onFailure", message: "unknown value"),
            Case(
                path: ["steps", exec, "program", "location"], replacement: .string("moon"), location: at(exec) + ".program.location", message: "unknown value"),
            Case(path: ["steps", exec, "environment", "#0"], replacement: .string("NOEQUALS"), location: at(exec) + ".environment[0]", message: "NAME=VALUE"),
            Case(path: ["steps", caps, "keepCapabilities", "#0"], replacement: .integer(64), location: at(caps) + ".keepCapabilities[0]", message: "outside"),
            Case(path: ["steps", exec], replacement: nil, location: "steps", message: "exactly one exec"),
            Case(path: ["steps", lock], replacement: nil, location: "steps[0]", message: "first step must be lock"),
        ]
    }()

    @Test(arguments: cases)
    func refusesWithAPreciseError(_ testCase: Case) {
        let document = Self.edit(Self.validDocument(), testCase.path, testCase.replacement)
        do {
            _ = try PlanJSONReader.read(document)
            Issue.record("accepted an invalid plan")
        } catch {
            #expect(error.location == testCase.location)
            #expect(error.message.contains(testCase.message), "\(error)")
        }
    }

    /// The JSON parser refuses duplicate keys in text; a JSONValue built in code may still
    /// hold them, and the reader does not pick one silently.
    @Test func duplicateMembersAreRefused() throws {
        let document = JSONValue.object([("schemaVersion", .integer(1)), ("schemaVersion", .integer(1))])
        #expect(throws: PlanReadError(at: "schemaVersion", "member appears twice")) {
            try PlanJSONReader.read(document)
        }
        #expect(throws: PlanReadError.self) {
            try PlanJSONReader.read(Array(#"{"schemaVersion": 1, "schemaVersion": 1}"#.utf8))
        }
    }

    @Test func stepsOutOfOrderAreRefused() throws {
        var plan = try S.plan(S.config(namespaces: "u"), .v1)
        let index = plan.steps.firstIndex { $0.action.name == "writeIDMap" }!
        let step = plan.steps.remove(at: index)
        plan.steps.insert(step, at: 2)
        #expect(throws: PlanReadError.self) { try PlanJSONReader.read(plan.jsonValue) }
    }

    @Test func notJSONAtAll() {
        do {
            _ = try PlanJSONReader.read(Array("plan: yes".utf8))
            Issue.record("accepted YAML")
        } catch {
            #expect(error.location.isEmpty)
            #expect(error.description.hasPrefix("invalid plan: not valid JSON"))
        }
    }
}

/// `start --plan FILE` reads untrusted files: no input may trap the reader.
@Suite struct PlanJSONReaderFuzzTests {
    static let valid: [UInt8] = Array(
        try! S.plan(
            S.config(namespaces: "uphtic", maxPhysicalMemory: .bytes(1 << 30), cpuShare: 100), .v2
        ).json(pretty: false).utf8)

    @Test func everyTruncationIsAnErrorNotATrap() {
        var accepted = 0
        for length in 0..<Self.valid.count {
            if (try? PlanJSONReader.read(Array(Self.valid[..<length]))) != nil { accepted += 1 }
        }
        #expect(accepted == 0)
        #expect((try? PlanJSONReader.read(Self.valid)) != nil)
    }

    @Test func byteMutationsNeverTrap() {
        var random = SeededRandom(state: 42)
        let interesting: [UInt8] = Array("{}[]\",:0123456789-.eE\\u/tfn \u{7f}".utf8) + [0, 0xff, 0xc3]
        var refused = 0
        for _ in 0..<1000 {
            var bytes = Self.valid
            for _ in 0...random.below(4) {
                let position = random.below(bytes.count)
                switch random.below(3) {
                case 0: bytes[position] = interesting[random.below(interesting.count)]
                case 1: bytes.remove(at: position)
                default: bytes.insert(interesting[random.below(interesting.count)], at: position)
                }
            }
            do { _ = try PlanJSONReader.read(bytes) } catch { refused += 1 }
        }
        // Most mutations break something; the point is that none of them trapped.
        #expect(refused > 500)
    }

    @Test func valueSwapsNeverTrap() throws {
        var random = SeededRandom(state: 7)
        let document = try JSONValue.parse(Self.valid)
        let replacements: [JSONValue] = [
            .null, .bool(true), .integer(-1), .integer(Int64.max), .integer(Int64.min), .double(1e300),
            .string(""), .string("/"), .string("x"), .array([]), .object([]), .array([.null]),
        ]
        for _ in 0..<1000 {
            let mutated = Self.replaceRandomNode(document, with: replacements[random.below(replacements.count)], random: &random)
            _ = try? PlanJSONReader.read(mutated)
        }
    }

    static func replaceRandomNode(_ value: JSONValue, with replacement: JSONValue, random: inout SeededRandom) -> JSONValue {
        switch value {
        case let .object(members) where !members.isEmpty && random.below(4) != 0:
            var members = members
            let index = random.below(members.count)
            members[index].1 = replaceRandomNode(members[index].1, with: replacement, random: &random)
            return .object(members)
        case let .array(items) where !items.isEmpty && random.below(4) != 0:
            var items = items
            let index = random.below(items.count)
            items[index] = replaceRandomNode(items[index], with: replacement, random: &random)
            return .array(items)
        default:
            return replacement
        }
    }
}
