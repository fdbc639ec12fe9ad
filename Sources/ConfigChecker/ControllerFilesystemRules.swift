import ConfigLanguage
import Diagnostics
import HostCgroups

/// F rules on the host's cgroup controllers (`controller-missing`, warnings: the container still
/// starts, without the limit). Finite memory limits need the memory controller; a finite
/// `max_memory` also needs swap accounting (v1: `memory.memsw.limit_in_bytes`; v2 always has it
/// with the memory controller); `net_classid` needs net_cls (v1 only: on v2 the cgroup rule
/// says it has no effect). The host is the one the plan is made for (`CheckContext.cgroupHost`);
/// a host with no cgroups at all is `cgroup-unusable`'s.
enum ControllerFilesystemRules {
    static func apply(to context: inout CheckContext) {
        guard let host = context.cgroupHost, let version = host.version else { return }
        let memory = memoryController(version, host)
        for (key, setting) in [
            (ConfigKey.maxPhysicalMemory, context.config.maxPhysicalMemory),
            (ConfigKey.maxMemory, context.config.maxMemory),
        ] {
            guard let setting, case .bytes? = setting.value else { continue }
            if !memory.present {
                context.emit(
                    .controllerMissing(
                        key.rawValue, controller: "the memory cgroup controller",
                        lookedAt: memory.lookedAt, at: setting.keyRange))
            } else if key == .maxMemory, version == .v1, host.origin == .probed {
                let memsw = host.root + "/memory/memory.memsw.limit_in_bytes"
                if context.fileSystem.status(memsw) == nil {
                    context.emit(
                        .controllerMissing(
                            key.rawValue, controller: "swap accounting (boot with swapaccount=1)",
                            lookedAt: memsw, at: setting.keyRange))
                }
            }
        }
        if version == .v1, !host.v1Controllers.contains(.netCls),
            let setting = context.config.netClassID, setting.value != nil
        {
            context.emit(
                .controllerMissing(
                    ConfigKey.netClassID.rawValue, controller: "the net_cls cgroup controller",
                    lookedAt: host.root + "/net_cls", at: setting.keyRange))
        }
    }

    private static func memoryController(_ version: CgroupVersion, _ host: HostCgroups)
        -> (present: Bool, lookedAt: String)
    {
        switch version {
        case .v1:
            return (host.v1Controllers.contains(.memory), host.root + "/memory")
        case .v2:
            return (host.offers(.memory), "'memory' in " + (host.v2Root ?? host.root) + "/cgroup.controllers")
        }
    }
}
