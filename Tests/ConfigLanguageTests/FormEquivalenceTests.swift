@testable import ConfigLanguage
import ConfigSource
import Diagnostics
import Testing

/// language.md §4: both forms compile to the same typed AST. Each pair below says the same
/// thing in both forms; the ASTs must agree in everything but ranges, diagnostics included.
@Suite("KEY=VALUE and YAML agree")
struct FormEquivalenceTests {
    static let pairs: [(keyValue: String, yaml: String)] = [
        (
            """
            root=/srv/web
            init=/sbin/init
            namespaces=uphti
            max_physical_memory=512M
            max_memory=1G
            mount=/srv/data:/data
            mount_ro=/srv/www:/var/www
            iops_limit=8:0 1000
            io_bw_limit=8:0 10M
            """,
            """
            root: /srv/web
            init: /sbin/init
            namespaces: [user, pid, uts, time, ipc]
            memory: { physical: 512M, total: 1G }
            mounts:
              - /srv/data:/data
              - { source: /srv/www, target: /var/www, read_only: true }
            io:
              - { device: "8:0", iops: 1000, bps: 10M }
            """
        ),
        (
            """
            root=/c
            init=@/usr/bin/tini
            namespaces=all
            max_processes=max
            cpu_share=512
            net_classid=0x00100001
            id_map_start=100000
            """,
            """
            root: "/c"
            init: '@/usr/bin/tini'
            namespaces: all
            max_processes: max
            cpu_share: 512
            net_classid: 0x00100001
            id_map_start: 100000
            """
        ),
        (
            """
            root=/c
            namespaces=none
            max_memory=-1
            mount=/a:/b
            mount=/c:/d
            iops_limit=259:1 10
            """,
            """
            root: /c
            namespaces: "none"
            max_memory: -1
            mount: [/a:/b, /c:/d]
            iops_limit: 259:1 10
            """
        ),
        // Invalid values: both forms keep the key with no value, and report the same codes.
        (
            """
            root=relative
            namespaces=upx
            cpu_share=1
            mount=/a
            """,
            """
            root: relative
            namespaces: upx
            cpu_share: 1
            mounts: [/a]
            """
        ),
    ]

    /// One valid value of `key` in both forms, added to a config that has the required keys.
    /// The switch has no `default:`: a new key does not compile until it has a sample, so no key
    /// can be skipped by the test below.
    static func sample(_ key: ConfigKey) -> (keyValue: String, yaml: String) {
        switch key {
        case .root: ("root=/srv/other", "root: /srv/other")
        case .initProgram: ("init=@/usr/bin/tini", "init: '@/usr/bin/tini'")
        case .namespaces: ("namespaces=uph", "namespaces: [user, pid, uts]")
        case .maxPhysicalMemory: ("max_physical_memory=256M", "memory: { physical: 256M }")
        case .maxMemory: ("max_memory=1G", "memory: { total: 1G }")
        case .maxProcesses: ("max_processes=100", "max_processes: 100")
        case .cpuShare: ("cpu_share=512", "cpu_share: 512")
        case .netClassID: ("net_classid=0x00100001", "net_classid: 0x00100001")
        case .mount: ("mount=/srv/data:/data", "mounts: [{ source: /srv/data, target: /data }]")
        case .mountReadOnly: ("mount_ro=/srv/www:/var/www", "mounts: [{ source: /srv/www, target: /var/www, read_only: true }]")
        case .iopsLimit: ("iops_limit=8:0 1000", "io: [{ device: \"8:0\", iops: 1000 }]")
        case .ioBandwidthLimit: ("io_bw_limit=8:0 10M", "io: [{ device: \"8:0\", bps: 10M }]")
        case .idMapStart: ("id_map_start=200000", "id_map_start: 200000")
        case .stopSignal: ("stop_signal=SIGRTMIN+3", "stop_signal: SIGRTMIN+3")
        case .netBridge: ("net_bridge=br0", "network: { bridge: br0 }")
        case .netAddress: ("net_address=fd00::5/64", "network: { address: 'fd00::5/64' }")
        case .netGateway: ("net_gateway=10.0.3.1", "network: { gateway: 10.0.3.1 }")
        case .idMapMode: ("id_map_mode=none", "id_map_mode: none")
        }
    }

    /// Every key, alone on top of the required ones (replacing one when it is itself required):
    /// both forms agree, neither reports anything, and the key is in the AST.
    @Test(arguments: ConfigKey.allCases)
    func everyKeyAgreesInBothForms(key: ConfigKey) {
        let base: [ConfigKey: (keyValue: String, yaml: String)] = [
            .root: ("root=/srv/web", "root: /srv/web"),
            .initProgram: ("init=/sbin/init", "init: /sbin/init"),
            .namespaces: ("namespaces=all", "namespaces: all"),
        ]
        var keyValue: [String] = []
        var yaml: [String] = []
        for required in ConfigKey.required where required != key {
            guard let line = base[required] else {
                Issue.record("no base line for the required key '\(required.rawValue)'")
                continue
            }
            keyValue.append(line.keyValue)
            yaml.append(line.yaml)
        }
        keyValue.append(Self.sample(key).keyValue)
        yaml.append(Self.sample(key).yaml)
        let parsedKeyValue = parse(keyValue.joined(separator: "\n") + "\n")
        let parsedYAML = parseYAML(yaml.joined(separator: "\n") + "\n")
        #expect(diagnostics(parsedKeyValue) == [])
        #expect(diagnostics(parsedYAML) == [])
        #expect(parsedKeyValue.config.isWritten(key))
        #expect(parsedYAML.config.isWritten(key))
        #expect(rangeFreeDescription(parsedKeyValue.config) == rangeFreeDescription(parsedYAML.config))
        // The sample's value reached the AST: it differs from the required keys alone.
        let baseline = parse(ConfigKey.required.compactMap { base[$0]?.keyValue }.joined(separator: "\n") + "\n")
        #expect(rangeFreeDescription(parsedKeyValue.config) != rangeFreeDescription(baseline.config))
    }

    @Test(arguments: 0..<pairs.count)
    func sameASTModuloRanges(index: Int) {
        let keyValue = parse(Self.pairs[index].keyValue)
        let yaml = parseYAML(Self.pairs[index].yaml)
        #expect(keyValue.config.form == .keyValue)
        #expect(yaml.config.form == .yaml)
        #expect(rangeFreeDescription(keyValue.config) == rangeFreeDescription(yaml.config))
        #expect(codes(keyValue) == codes(yaml))
        #expect(!rangeFreeDescription(yaml.config).isEmpty)
    }
}
