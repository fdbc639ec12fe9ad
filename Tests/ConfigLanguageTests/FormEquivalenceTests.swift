@testable import ConfigLanguage
import ConfigSource
import Diagnostics
import Testing

/// language.md §4: both forms compile to the same typed AST. Each pair below says the same
/// thing in both forms; the ASTs must agree in everything but ranges, diagnostics included.
@Suite("KEY=VALUE and YAML agree")
struct FormEquivalenceTests {
    static let pairs: [(keyValue: String, yaml: String)] = [
        ("""
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
         """),
        ("""
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
         """),
        ("""
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
         """),
        // Invalid values: both forms keep the key with no value, and report the same codes.
        ("""
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
         """),
    ]

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
