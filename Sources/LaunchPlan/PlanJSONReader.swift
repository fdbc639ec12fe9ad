import ConfigLanguage
import ContainerState
import HostCgroups
import JSONSupport

/// Reads a plan saved by `plan --format json` (for `start --plan FILE`) and validates every
/// field: schema version, types, absolute paths, namespace letters, ranges, which process may
/// run each action, and the order of the processes. Any problem is a `PlanReadError`.
public enum PlanJSONReader {
    /// Parses and validates JSON text.
    public static func read(_ bytes: [UInt8]) throws(PlanReadError) -> Plan {
        let value: JSONValue
        do {
            value = try JSONValue.parse(bytes)
        } catch {
            throw PlanReadError(at: "", "not valid JSON: \(error)")
        }
        return try read(value)
    }

    /// Validates a parsed JSON document.
    public static func read(_ value: JSONValue) throws(PlanReadError) -> Plan {
        var object = try ObjectReader(value, at: "")
        let version = try object.integer("schemaVersion", in: Int64.min...Int64.max)
        guard version == Int64(Plan.currentSchemaVersion) else {
            throw PlanReadError(
                at: "schemaVersion",
                "schema version \(version) is not supported (this container reads \(Plan.currentSchemaVersion))")
        }
        let container = try object.string("container")
        guard ContainerName.isValid(container) else {
            throw PlanReadError(at: "container", "\"\(container)\" is not a valid container name")
        }
        let configPath = try object.absolutePath("configPath")
        let configHash = try object.string("configHash")
        guard ConfigHash.isWellFormed(configHash) else {
            throw PlanReadError(at: "configHash", "expected \"sha256:\" followed by 64 lowercase hex digits")
        }
        let cgroup = try object.choice("cgroup", CgroupVersion.self)
        let notes = try object.stringArray("notes")
        var steps: [Step] = []
        for (index, item) in try object.array("steps").enumerated() {
            steps.append(try StepReader.read(item, at: "steps[\(index)]"))
        }
        try object.finish()
        try PlanStructure.validate(steps)
        return Plan(
            schemaVersion: Int(version), container: container, configPath: configPath,
            configHash: configHash, cgroup: cgroup, steps: steps, notes: notes)
    }
}

/// Reads one step object.
enum StepReader {
    static func read(_ value: JSONValue, at location: String) throws(PlanReadError) -> Step {
        var object = try ObjectReader(value, at: location)
        let process = try object.choice("process", StepProcess.self)
        let name = try object.string("action")
        let action = try readAction(name, from: &object)
        try object.finish()
        guard action.process == process else {
            throw PlanReadError(
                at: object.at("process"), "\(name) runs in the \(action.process.rawValue), not in \(process.rawValue)")
        }
        return Step(process, action)
    }

    private static func readAction(_ name: String, from o: inout ObjectReader) throws(PlanReadError) -> StepAction {
        switch name {
        case "lock": return .lock(path: try o.absolutePath("path"))
        case "ensureNotRunning": return .ensureNotRunning(cgroups: try o.pathArray("cgroups"))
        case "createCgroup": return .createCgroup(path: try o.absolutePath("path"))
        case "writeCgroup":
            return .writeCgroup(path: try o.absolutePath("path"), value: try o.string("value"))
        case "attachDeviceFilter":
            return .attachDeviceFilter(cgroup: try o.absolutePath("cgroup"), rules: try deviceRules(from: &o))
        case "forkChild": return .forkChild
        case "unshare": return .unshare(namespaces: try namespaces(from: &o))
        case "attachChild": return .attachChild(cgroup: try o.absolutePath("cgroup"))
        case "writeIDMap": return try idMap(from: &o)
        case "resetTimeNamespaceClocks": return .resetTimeNamespaceClocks
        case "forkInit": return .forkInit
        case "makeMountsPrivate": return .makeMountsPrivate
        case "bindRootToItself": return .bindRootToItself(root: try o.absolutePath("root"))
        case "mountTmpfs":
            return .mountTmpfs(target: try o.absolutePath("target"), options: try o.string("options"))
        case "mountProc": return .mountProc(target: try o.absolutePath("target"))
        case "populateDev":
            return .populateDev(
                target: try o.absolutePath("target"), nodes: try deviceNodes(from: &o),
                bindFromHost: try o.bool("bindFromHost"))
        case "bindMount": return .bindMount(try bindMount(from: &o))
        case "prepareIDMappedMount": return try prepareIDMappedMount(from: &o)
        case "attachIDMappedMount": return .attachIDMappedMount(try bindMount(from: &o))
        case "protectProc":
            return .protectProc(masked: try o.pathArray("masked"), readOnly: try o.pathArray("readOnly"))
        case "pivotRoot": return .pivotRoot(root: try o.absolutePath("root"))
        case "setHostname":
            let hostname = try o.string("hostname")
            guard (1...64).contains(hostname.utf8.count) else {
                throw PlanReadError(at: o.at("hostname"), "a hostname has 1 to 64 bytes")
            }
            return .setHostname(hostname)
        case "restrictPrivileges":
            var capabilities: [UInt32] = []
            for (index, item) in try o.array("keepCapabilities").enumerated() {
                let location = o.at("keepCapabilities") + "[\(index)]"
                capabilities.append(UInt32(try PlanFieldRules.integer(item, in: 0...63, at: location)))
            }
            return .restrictPrivileges(keepCapabilities: capabilities)
        case "redirectOutput": return .redirectOutput(logPath: try o.absolutePath("logPath"))
        case "writePidFile": return .writePidFile(path: try o.absolutePath("path"))
        case "exec": return try exec(from: &o)
        case "createMountTargets":
            return .createMountTargets(root: try o.absolutePath("root"), targets: try mountTargets(from: &o))
        case "openRoot": return .openRoot(root: try o.absolutePath("root"))
        case "openMountSources":
            var sources: [String] = []
            for (index, item) in try o.array("sources").enumerated() {
                guard case let .string(source) = item else {
                    throw PlanReadError(at: o.at("sources") + "[\(index)]", "expected a string, found \(item.kindName)")
                }
                try PlanFieldRules.checkHostPath(source, at: o.at("sources") + "[\(index)]")
                sources.append(source)
            }
            return .openMountSources(sources: sources)
        case "mountDevpts":
            return .mountDevpts(
                target: try o.absolutePath("target"), options: try o.string("options"),
                ptmxLink: try o.absolutePath("ptmxLink"), ptmx: try o.string("ptmx"))
        case "mountMqueue": return .mountMqueue(target: try o.absolutePath("target"))
        case "mountSysfs": return .mountSysfs(target: try o.absolutePath("target"))
        case "bindReadOnlyTree":
            return .bindReadOnlyTree(source: try o.hostPath("source"), target: try o.absolutePath("target"))
        case "setUpConsole":
            return .setUpConsole(ptmx: try o.absolutePath("ptmx"), console: try o.absolutePath("console"))
        default:
            if let action = try networkAction(name, from: &o) { return action }
            throw PlanReadError(at: o.at("action"), "unknown action \"\(name)\"")
        }
    }

    private static func namespaces(from o: inout ObjectReader) throws(PlanReadError) -> NamespaceSet {
        var set = NamespaceSet()
        for character in try o.string("namespaces") {
            guard let namespace = Namespace(rawValue: character) else {
                throw PlanReadError(at: o.at("namespaces"), "unknown namespace letter '\(character)' (expected u p h t i c n)")
            }
            guard !set.contains(namespace) else {
                throw PlanReadError(at: o.at("namespaces"), "namespace letter '\(character)' appears twice")
            }
            set.insert(NamespaceSet(namespace))
        }
        return set
    }

    private static func idMap(from o: inout ObjectReader) throws(PlanReadError) -> StepAction {
        let kind = try o.choice("kind", IDMapKind.self)
        let (containerStart, hostStart, count) = try idRange(from: &o)
        return .writeIDMap(kind: kind, containerStart: containerStart, hostStart: hostStart, count: count)
    }

    /// `containerStart`, `hostStart`, `count`: a range that fits in 32 bits on both sides.
    private static func idRange(from o: inout ObjectReader) throws(PlanReadError) -> (UInt32, UInt32, UInt32) {
        let containerStart = try o.uint32("containerStart")
        let hostStart = try o.uint32("hostStart")
        let count = try o.uint32("count", in: 1...Int64(UInt32.max))
        let limit = UInt64(UInt32.max) + 1
        guard UInt64(containerStart) + UInt64(count) <= limit, UInt64(hostStart) + UInt64(count) <= limit else {
            throw PlanReadError(at: o.at("count"), "the mapped range does not fit in 32 bits")
        }
        return (containerStart, hostStart, count)
    }

    private static func bindMount(from o: inout ObjectReader) throws(PlanReadError) -> BindMount {
        BindMount(
            source: try o.hostPath("source"), target: try o.absolutePath("target"),
            readOnly: try o.bool("readOnly"), onFailure: try o.choice("onFailure", FailurePolicy.self))
    }

    private static func prepareIDMappedMount(from o: inout ObjectReader) throws(PlanReadError) -> StepAction {
        let source = try o.hostPath("source")
        let (containerStart, hostStart, count) = try idRange(from: &o)
        return .prepareIDMappedMount(
            source: source, containerStart: containerStart, hostStart: hostStart,
            count: count, onFailure: try o.choice("onFailure", FailurePolicy.self))
    }

    private static func deviceNodes(from o: inout ObjectReader) throws(PlanReadError) -> [DeviceNode] {
        var nodes: [DeviceNode] = []
        for (index, item) in try o.array("nodes").enumerated() {
            var node = try ObjectReader(item, at: o.at("nodes") + "[\(index)]")
            let name = try node.string("name")
            guard ContainerName.isValid(name) else {
                throw PlanReadError(at: node.at("name"), "\"\(name)\" is not a plain file name")
            }
            let parsed = DeviceNode(
                name: name, major: try node.uint32("major", in: 0...4095),
                minor: try node.uint32("minor", in: 0...1_048_575),
                mode: try node.uint32("mode", in: 0...0o7777))
            try node.finish()
            nodes.append(parsed)
        }
        return nodes
    }

    /// `[{"type": "c", "major": 1, "minor": 3, "access": "rwm"}]`: types `c`/`b`, device
    /// numbers in the kernel's range, access letters from `rwm`, each once.
    private static func deviceRules(from o: inout ObjectReader) throws(PlanReadError) -> [DeviceRule] {
        var rules: [DeviceRule] = []
        for (index, item) in try o.array("rules").enumerated() {
            var rule = try ObjectReader(item, at: o.at("rules") + "[\(index)]")
            let kind = try rule.choice("type", DeviceRule.Kind.self)
            let major = try rule.uint32("major", in: 0...4095)
            // null: every minor number (`c 136:*`).
            let minor: UInt32? = rule.isNull("minor") ? nil : try rule.uint32("minor", in: 0...1_048_575)
            let letters = try rule.string("access")
            guard let access = DeviceRule.Access(letters: letters) else {
                throw PlanReadError(at: rule.at("access"), "expected letters from \"rwm\", each at most once, at least one")
            }
            try rule.finish()
            rules.append(DeviceRule(kind: kind, major: major, minor: minor, access: access))
        }
        return rules
    }

    /// `[{"path": "/sys", "source": null}, {"path": "/data", "source": "/srv/data"}]`.
    private static func mountTargets(from o: inout ObjectReader) throws(PlanReadError) -> [MountTarget] {
        var targets: [MountTarget] = []
        for (index, item) in try o.array("targets").enumerated() {
            var target = try ObjectReader(item, at: o.at("targets") + "[\(index)]")
            let path = try target.absolutePath("path")
            let source: String? = target.isNull("source") ? nil : try target.hostPath("source")
            try target.finish()
            targets.append(MountTarget(path: path, source: source))
        }
        return targets
    }

    private static func exec(from o: inout ObjectReader) throws(PlanReadError) -> StepAction {
        var program = try ObjectReader(o.value("program"), at: o.at("program"))
        let path = try program.absolutePath("path")
        let location = try program.choice("location", InitProgram.Location.self)
        try program.finish()
        let environment = try o.stringArray("environment")
        for (index, entry) in environment.enumerated() where !entry.contains("=") || entry.hasPrefix("=") {
            throw PlanReadError(at: o.at("environment") + "[\(index)]", "expected NAME=VALUE")
        }
        return .exec(program: InitProgram(path: path, location: location), environment: environment)
    }
}
