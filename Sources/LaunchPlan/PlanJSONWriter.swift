import ConfigLanguage
import JSONSupport

/// The JSON form of a plan (docs/plan.md has the schema by example):
/// `{"schemaVersion", "container", "configPath", "configHash", "cgroup", "notes", "steps":
/// [{"process", "action", ...fields}]}`. Keys are written in a fixed order so output is stable.
extension Plan {
    /// The plan as a JSON value; `PlanJSONReader.read` turns it back into an equal plan.
    public var jsonValue: JSONValue {
        .object([
            ("schemaVersion", .integer(Int64(schemaVersion))),
            ("container", .string(container)),
            ("configPath", .string(configPath)),
            ("configHash", .string(configHash)),
            ("cgroup", .string(cgroup.rawValue)),
            ("notes", .array(notes.map(JSONValue.string))),
            ("steps", .array(steps.map(\.jsonValue))),
        ])
    }

    /// The plan as JSON text (pretty: one member per line, for `plan --format json`).
    public func json(pretty: Bool = true) -> String { jsonValue.serialized(pretty: pretty) }
}

extension Step {
    var jsonValue: JSONValue {
        .object(
            [("process", .string(process.rawValue)), ("action", .string(action.name))]
                + action.jsonFields)
    }
}

extension StepAction {
    /// The action's name in JSON and in the text listing: the case name.
    public var name: String {
        switch self {
        case .lock: "lock"
        case .ensureNotRunning: "ensureNotRunning"
        case .createCgroup: "createCgroup"
        case .writeCgroup: "writeCgroup"
        case .attachDeviceFilter: "attachDeviceFilter"
        case .forkChild: "forkChild"
        case .unshare: "unshare"
        case .attachChild: "attachChild"
        case .writeIDMap: "writeIDMap"
        case .resetTimeNamespaceClocks: "resetTimeNamespaceClocks"
        case .forkInit: "forkInit"
        case .makeMountsPrivate: "makeMountsPrivate"
        case .bindRootToItself: "bindRootToItself"
        case .mountTmpfs: "mountTmpfs"
        case .mountProc: "mountProc"
        case .populateDev: "populateDev"
        case .bindMount: "bindMount"
        case .protectProc: "protectProc"
        case .pivotRoot: "pivotRoot"
        case .setHostname: "setHostname"
        case .restrictPrivileges: "restrictPrivileges"
        case .redirectOutput: "redirectOutput"
        case .writePidFile: "writePidFile"
        case .exec: "exec"
        // Exec plan steps.
        case .findInit: "findInit"
        case .makeNonDumpable: "makeNonDumpable"
        case .enterCgroup: "enterCgroup"
        case .joinNamespaces: "joinNamespaces"
        case .forkCommand: "forkCommand"
        case .setCredentials: "setCredentials"
        case .execCommand: "execCommand"
        case .requireBridge: "requireBridge"
        case .deleteStaleLink: "deleteStaleLink"
        case .createVethPair: "createVethPair"
        case .attachToBridge: "attachToBridge"
        case .setHostLinkUp: "setHostLinkUp"
        case .addAddress: "addAddress"
        case .setLinkUp: "setLinkUp"
        case .addDefaultRoute: "addDefaultRoute"
        case .createMountTargets: "createMountTargets"
        case .openRoot: "openRoot"
        case .openMountSources: "openMountSources"
        case .mountDevpts: "mountDevpts"
        case .mountMqueue: "mountMqueue"
        case .mountSysfs: "mountSysfs"
        case .bindReadOnlyTree: "bindReadOnlyTree"
        case .setUpConsole: "setUpConsole"
        case .prepareIDMappedMount: "prepareIDMappedMount"
        case .attachIDMappedMount: "attachIDMappedMount"
        }
    }

    /// The action's own members, after `process` and `action`.
    var jsonFields: [(String, JSONValue)] {
        func strings(_ values: [String]) -> JSONValue { .array(values.map(JSONValue.string)) }
        func int(_ value: UInt32) -> JSONValue { .integer(Int64(value)) }
        switch self {
        case let .lock(path), let .createCgroup(path), let .writePidFile(path):
            return [("path", .string(path))]
        case let .ensureNotRunning(cgroups):
            return [("cgroups", strings(cgroups))]
        case let .writeCgroup(path, value):
            return [("path", .string(path)), ("value", .string(value))]
        case let .attachDeviceFilter(cgroup, rules):
            let ruleValues = rules.map { rule in
                JSONValue.object([
                    ("type", .string(rule.kind.rawValue)), ("major", int(rule.major)),
                    ("minor", rule.minor.map(int) ?? .null), ("access", .string(rule.access.letters)),
                ])
            }
            return [("cgroup", .string(cgroup)), ("rules", .array(ruleValues))]
        case .forkChild, .resetTimeNamespaceClocks, .forkInit, .makeMountsPrivate:
            return []
        case let .unshare(namespaces):
            return [("namespaces", .string(namespaces.letters))]
        case let .attachChild(cgroup):
            return [("cgroup", .string(cgroup))]
        case let .writeIDMap(kind, containerStart, hostStart, count):
            return [
                ("kind", .string(kind.rawValue)), ("containerStart", int(containerStart)),
                ("hostStart", int(hostStart)), ("count", int(count)),
            ]
        case let .bindRootToItself(root), let .pivotRoot(root):
            return [("root", .string(root))]
        case let .mountTmpfs(target, options):
            return [("target", .string(target)), ("options", .string(options))]
        case let .mountProc(target):
            return [("target", .string(target))]
        case let .populateDev(target, nodes, bindFromHost):
            let nodeValues = nodes.map { node in
                JSONValue.object([
                    ("name", .string(node.name)), ("major", int(node.major)),
                    ("minor", int(node.minor)), ("mode", int(node.mode)),
                ])
            }
            return [
                ("target", .string(target)), ("nodes", .array(nodeValues)),
                ("bindFromHost", .bool(bindFromHost)),
            ]
        case let .prepareIDMappedMount(source, containerStart, hostStart, count, onFailure):
            return [
                ("source", .string(source)), ("containerStart", int(containerStart)),
                ("hostStart", int(hostStart)), ("count", int(count)), ("onFailure", .string(onFailure.rawValue)),
            ]
        case let .bindMount(mount), let .attachIDMappedMount(mount):
            return [
                ("source", .string(mount.source)), ("target", .string(mount.target)),
                ("readOnly", .bool(mount.readOnly)), ("onFailure", .string(mount.onFailure.rawValue)),
            ]
        case let .protectProc(masked, readOnly):
            return [("masked", strings(masked)), ("readOnly", strings(readOnly))]
        case let .setHostname(hostname):
            return [("hostname", .string(hostname))]
        case let .restrictPrivileges(keepCapabilities):
            return [("keepCapabilities", .array(keepCapabilities.map(int)))]
        case let .redirectOutput(logPath):
            return [("logPath", .string(logPath))]
        case let .exec(program, environment):
            return [
                (
                    "program",
                    .object([
                        ("path", .string(program.path)), ("location", .string(program.location.rawValue)),
                    ])
                ),
                ("environment", strings(environment)),
            ]
        // Exec plan steps.
        case let .findInit(pidPath, cgroups):
            return [("pidPath", .string(pidPath)), ("cgroups", strings(cgroups))]
        case .makeNonDumpable, .forkCommand:
            return []
        case let .enterCgroup(cgroup):
            return [("cgroup", .string(cgroup))]
        case let .joinNamespaces(namespaces):
            return [("namespaces", .string(namespaces.letters))]
        case let .setCredentials(uid, gid):
            return [("uid", int(uid)), ("gid", int(gid))]
        case let .execCommand(arguments, environment, ptmx):
            return [("arguments", strings(arguments)), ("environment", strings(environment)), ("ptmx", .string(ptmx))]
        case let .requireBridge(name), let .setHostLinkUp(name), let .setLinkUp(name):
            return [("name", .string(name))]
        case let .deleteStaleLink(name, owner):
            return [("name", .string(name)), ("owner", .string(owner))]
        case let .createVethPair(hostName, peerName, owner):
            return [("hostName", .string(hostName)), ("peerName", .string(peerName)), ("owner", .string(owner))]
        case let .attachToBridge(link, bridge):
            return [("link", .string(link)), ("bridge", .string(bridge))]
        case let .addAddress(link, address):
            return [("link", .string(link)), ("address", .string(address.description))]
        case let .addDefaultRoute(link, gateway):
            return [("link", .string(link)), ("gateway", .string(gateway.description))]
        case let .createMountTargets(root, targets):
            let targetValues = targets.map { target in
                JSONValue.object([("path", .string(target.path)), ("source", target.source.map(JSONValue.string) ?? .null)])
            }
            return [("root", .string(root)), ("targets", .array(targetValues))]
        case let .openRoot(root):
            return [("root", .string(root))]
        case let .openMountSources(sources):
            return [("sources", strings(sources))]
        case let .mountDevpts(target, options, ptmxLink, ptmx):
            return [
                ("target", .string(target)), ("options", .string(options)),
                ("ptmxLink", .string(ptmxLink)), ("ptmx", .string(ptmx)),
            ]
        case let .mountMqueue(target), let .mountSysfs(target):
            return [("target", .string(target))]
        case let .bindReadOnlyTree(source, target):
            return [("source", .string(source)), ("target", .string(target))]
        case let .setUpConsole(ptmx, console):
            return [("ptmx", .string(ptmx)), ("console", .string(console))]
        }
    }
}
