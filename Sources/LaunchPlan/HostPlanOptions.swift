import ContainerState

#if canImport(Glibc)
import Glibc
#endif

extension PlanOptions {
    /// The options for a plan of this host, as `plan` and `start` need them: the cgroup
    /// hierarchy probed (its version overridden by `cgroupVersion` when given), the parent
    /// cgroup from `$CONTAINERS_CGROUP_PARENT`, and the state directory and config path made
    /// absolute (a plan holds only absolute paths; `--path rel` is relative to the cwd).
    public static func forHost(
        stateDirectory: StateDirectory, configPath: String, configBytes: [UInt8],
        cgroupVersion: CgroupVersion? = nil, cgroupRoot: String = CgroupLayout.defaultRoot
    ) throws(CgroupLayout.InvalidParent) -> PlanOptions {
        let parent = try CgroupLayout.parentFromEnvironment()
        let layout = CgroupProbe.probeHost(root: cgroupRoot).layout(version: cgroupVersion, parent: parent)
        return PlanOptions(
            cgroupLayout: layout,
            stateDirectory: StateDirectory(path: absolutePath(stateDirectory.path)),
            configPath: absolutePath(configPath), configBytes: configBytes)
    }
}

/// `path` made absolute against the current directory and normalised lexically: no `.`, no
/// `..` (dropping the previous component), no empty component.
public func absolutePath(_ path: String) -> String {
    var full = path
    if !path.hasPrefix("/") {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let cwd = getcwd(&buffer, buffer.count).map { String(cString: $0) } ?? "/"
        full = cwd + "/" + path
    }
    var components: [Substring] = []
    for component in full.split(separator: "/") {
        switch component {
        case ".": continue
        case "..": if !components.isEmpty { components.removeLast() }
        default: components.append(component)
        }
    }
    return "/" + joined(components, separator: "/")
}

/// `parts` joined with `separator`. Not the standard library's `joined(separator:)`: on
/// Substrings it runs unspecialised, through the runtime's generic metadata, and costs ~90,000
/// instructions a call (callgrind), more than the rest of the plan's path handling together.
func joined<Parts: Collection>(_ parts: Parts, separator: String) -> String where Parts.Element == Substring {
    var text = ""
    for (index, part) in parts.enumerated() {
        if index > 0 { text += separator }
        text.append(contentsOf: part)  // the concrete Substring overload; `+=` is the generic one
    }
    return text
}
