import ConfigLanguage
import Diagnostics

/// `net-classid-no-effect`: cgroup v2 has no net_cls controller, so the class id would be
/// silently dropped (the plan says so too). Needs the target's cgroup version: given by the
/// options (or their host), or probed when the filesystem may be read.
enum CgroupRules {
    static func apply(to context: inout CheckContext) {
        guard let setting = context.config.netClassID, setting.value != nil,
            context.cgroupVersion == .v2
        else { return }
        context.emit(.netClassIDNoEffect(at: setting.keyRange))
    }
}
