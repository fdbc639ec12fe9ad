import ConfigLanguage
import Diagnostics

/// Which cgroup hierarchy a host uses.
enum CgroupHierarchy: Equatable {
    case v1, v2

    /// The version named in the options (`v1`/`v2`), else the host's when the filesystem may be
    /// read, else unknown.
    static func target(_ options: CheckOptions) -> CgroupHierarchy? {
        switch options.cgroupVersion?.lowercased() {
        case "v1", "1": return .v1
        case "v2", "2": return .v2
        default: return options.useFilesystem ? probeHost(options) : nil
        }
    }

    /// v2 when the cgroup root is the unified hierarchy (it has `cgroup.controllers`).
    static func probeHost(_ options: CheckOptions) -> CgroupHierarchy {
        options.fileSystem.status(options.cgroupRoot + "/cgroup.controllers") != nil ? .v2 : .v1
    }
}

/// `net-classid-no-effect`: cgroup v2 has no net_cls controller, so the class id would be
/// silently dropped (the plan says so too). Needs the target's cgroup version: given by the
/// options, or probed when the filesystem may be read.
enum CgroupRules {
    static func apply(to context: inout CheckContext) {
        guard let setting = context.config.netClassID, setting.value != nil,
              CgroupHierarchy.target(context.options) == .v2
        else { return }
        context.emit(.netClassIDNoEffect(at: setting.keyRange))
    }
}
