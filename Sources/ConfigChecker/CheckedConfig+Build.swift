import ConfigLanguage

extension CheckedConfig {
    /// The model of a config that checked without error; nil if a required value is missing
    /// (which the rules have reported). Root and mount destinations are normalised; absent
    /// optional keys keep their defaults.
    static func build(from context: CheckContext, name: String) -> CheckedConfig? {
        let config = context.config
        guard let root = context.normalizedRoot,
            let initProgram = config.initProgram?.value,
            let namespaces = config.namespaces?.value
        else { return nil }
        var mounts: [Mount] = []
        for (index, setting) in config.mounts.enumerated() {
            guard let mount = setting.value else { return nil }
            let destination =
                index < context.normalizedMountDestinations.count
                ? context.normalizedMountDestinations[index] : nil
            guard let destination else { return nil }
            mounts.append(
                Mount(
                    source: mount.source.value, destination: destination, readOnly: mount.readOnly,
                    idmap: mount.idmap))
        }
        var ioLimits: [DeviceLimit] = []
        for setting in config.ioLimits {
            guard let limit = setting.value else { return nil }
            ioLimits.append(DeviceLimit(device: limit.device.value, kind: limit.kind, value: limit.value.value))
        }
        return CheckedConfig(
            name: name, root: root, initProgram: initProgram, namespaces: namespaces,
            maxPhysicalMemory: config.maxPhysicalMemory?.value, maxMemory: config.maxMemory?.value,
            maxProcesses: config.maxProcesses?.value, cpuShare: config.cpuShare?.value,
            netClassID: config.netClassID?.value, mounts: mounts, ioLimits: ioLimits,
            idMapStart: config.idMapStart?.value ?? CheckedConfig.defaultIDMapStart,
            idMapMode: config.idMapMode?.value ?? .idmap,
            stopSignal: config.stopSignal?.value ?? CheckedConfig.defaultStopSignal,
            netBridge: config.netBridge?.value, netAddress: config.netAddress?.value,
            netGateway: config.netGateway?.value)
    }
}

extension CheckedConfig {
    /// The field of the model that carries each key. The switch has no `default:`, so a new key
    /// does not compile until it names its field (and so until the model has one); the
    /// initializer has no defaults, so the field cannot then be left unset by `build`.
    /// `CheckedModelTests` checks that each field is filled from its key.
    static func field(for key: ConfigKey) -> PartialKeyPath<CheckedConfig> {
        switch key {
        case .root: \CheckedConfig.root
        case .initProgram: \CheckedConfig.initProgram
        case .namespaces: \CheckedConfig.namespaces
        case .maxPhysicalMemory: \CheckedConfig.maxPhysicalMemory
        case .maxMemory: \CheckedConfig.maxMemory
        case .maxProcesses: \CheckedConfig.maxProcesses
        case .cpuShare: \CheckedConfig.cpuShare
        case .netClassID: \CheckedConfig.netClassID
        case .mount, .mountReadOnly: \CheckedConfig.mounts
        case .iopsLimit, .ioBandwidthLimit: \CheckedConfig.ioLimits
        case .idMapStart: \CheckedConfig.idMapStart
        case .stopSignal: \CheckedConfig.stopSignal
        case .netBridge: \CheckedConfig.netBridge
        case .netAddress: \CheckedConfig.netAddress
        case .netGateway: \CheckedConfig.netGateway
        case .idMapMode: \CheckedConfig.idMapMode
        }
    }
}
