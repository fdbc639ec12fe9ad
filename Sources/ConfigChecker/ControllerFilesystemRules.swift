import ConfigLanguage
import Diagnostics

/// F rules on the host's cgroup controllers (`controller-missing`, warnings: the container still
/// starts, without the limit). Finite memory limits need the memory controller; a finite
/// `max_memory` also needs swap accounting (v1: `memory.memsw.limit_in_bytes`; v2 always has it
/// with the memory controller); `net_classid` needs net_cls (v1 only: on v2 the cgroup rule
/// says it has no effect). The host is probed, whatever version the options target.
enum ControllerFilesystemRules {
    static func apply(to context: inout CheckContext) {
        let options = context.options
        let version = CgroupHierarchy.probeHost(options)
        let cgroupRoot = options.cgroupRoot
        let memory = memoryController(version, options)
        for (key, setting) in [(ConfigKey.maxPhysicalMemory, context.config.maxPhysicalMemory),
                               (ConfigKey.maxMemory, context.config.maxMemory)] {
            guard let setting, case .bytes? = setting.value else { continue }
            if !memory.present {
                context.emit(.controllerMissing(key.rawValue, controller: "the memory cgroup controller",
                                                lookedAt: memory.lookedAt, at: setting.keyRange))
            } else if key == .maxMemory, version == .v1 {
                let memsw = cgroupRoot + "/memory/memory.memsw.limit_in_bytes"
                if options.fileSystem.status(memsw) == nil {
                    context.emit(.controllerMissing(key.rawValue, controller: "swap accounting (boot with swapaccount=1)",
                                                    lookedAt: memsw, at: setting.keyRange))
                }
            }
        }
        if version == .v1, let setting = context.config.netClassID, setting.value != nil {
            let netCls = cgroupRoot + "/net_cls"
            if options.fileSystem.status(netCls) == nil {
                context.emit(.controllerMissing(ConfigKey.netClassID.rawValue, controller: "the net_cls cgroup controller",
                                                lookedAt: netCls, at: setting.keyRange))
            }
        }
    }

    private static func memoryController(_ version: CgroupHierarchy, _ options: CheckOptions)
        -> (present: Bool, lookedAt: String) {
        switch version {
        case .v1:
            let path = options.cgroupRoot + "/memory"
            return (options.fileSystem.status(path)?.kind == .directory, path)
        case .v2:
            let path = options.cgroupRoot + "/cgroup.controllers"
            let listed = options.fileSystem.readPrefix(path, maxBytes: 4096).map { bytes in
                String(decoding: bytes, as: UTF8.self).split(whereSeparator: { $0 == " " || $0 == "\n" })
                    .contains("memory")
            } ?? false
            return (listed, "'memory' in " + path)
        }
    }
}
