@testable import ConfigLanguage
import ConfigSource
import Diagnostics
import Testing

@Suite("YAML form")
struct YAMLFrontEndTests {
    @Test func theExampleOfTheContractParsesClean() {
        let parsed = parseYAML(
            """
            root: /srv/web
            init: /sbin/init
            namespaces: [user, pid, uts, time, ipc]     # or "uphti"
            memory: { physical: 512M, total: 1G }
            mounts:
              - /srv/data:/data
              - { source: /srv/www, target: /var/www, read_only: true }
            io:
              - { device: "8:0", iops: 1000, bps: 10M }
            """)
        #expect(parsed.diagnostics.isEmpty)
        let config = parsed.config
        #expect(config.form == .yaml)
        #expect(config.namespaces?.value?.letters == "uphti")
        #expect(config.maxPhysicalMemory?.value == .bytes(512 << 20))
        #expect(config.maxMemory?.value == .bytes(1 << 30))
        #expect(config.mounts.map { $0.value?.readOnly } == [false, true])
        #expect(config.ioLimits.map { $0.value?.kind } == [.iops, .bytesPerSecond])
        #expect(config.ioLimits.first?.value?.device.value == DeviceNumber(major: 8, minor: 0))
        // Ranges point into the YAML text.
        #expect(text(config.root!.valueRange, in: parsed) == "/srv/web")
        #expect(config.mounts.last?.value.map { text($0.destination.range, in: parsed) } == "/var/www")
        #expect(config.ioLimits.first?.value.map { text($0.device.range, in: parsed) } == "8:0")
    }

    @Test func valueDiagnosticsPointInsideTheScalar() {
        let parsed = parseYAML(
            """
            root: srv
            namespaces: "upx"
            max_memory: 12QB
            mount: ['/a:/b:/c']
            """)
        #expect(
            diagnostics(parsed) == [
                "path-not-absolute@1:7-1:10", "unknown-namespace@2:16-2:17",
                "unknown-size-suffix@3:15-3:17", "ambiguous-mount@4:15-4:16",
            ])
    }

    @Test func escapedScalarsPointAtTheWholeScalar() {
        let parsed = parseYAML("namespaces: \"u\\x70x\"\n")
        #expect(diagnostics(parsed) == ["unknown-namespace@1:13-1:21"])
    }

    @Test func syntaxErrorComesFromLibYAML() {
        let parsed = parseYAML("root: /x\n  init: [a\n")
        #expect(codes(parsed) == ["yaml-syntax"])
        #expect(parsed.diagnostics[0].message.contains("YAML syntax error"))
        let location = parsed.file.location(of: parsed.diagnostics[0].range.lowerBound)
        #expect(location.line == 2)
        #expect(parsed.config.isIncomplete, "the checker must not call keys missing after a syntax error")
    }

    @Test func unquotedAtSignGetsAHint() {
        let parsed = parseYAML("root: /x\ninit: @/bin/sh\n")
        #expect(diagnostics(parsed) == ["yaml-syntax@2:7-2:8"])
        #expect(parsed.diagnostics.first?.message.contains("must be quoted") == true)
    }

    @Test func documentMustBeAMapping() {
        #expect(diagnostics(parseYAML("- root\n- init\n")) == ["yaml-not-mapping@1:1-2:7"])
        #expect(diagnostics(parseYAML("just text\n")) == ["yaml-not-mapping@1:1-1:10"])
        #expect(parseYAML("").diagnostics.isEmpty)
        #expect(parseYAML("# only a comment\n").diagnostics.isEmpty)
        #expect(parseYAML("---\n").diagnostics.isEmpty)
        #expect(parseYAML("just text\n").config.isIncomplete)
        #expect(!parseYAML("").config.isIncomplete)
    }

    @Test func wrongTypes() {
        let parsed = parseYAML(
            """
            root: [/a]
            memory: 512M
            mounts: /a:/b
            init: ~
            """)
        #expect(
            diagnostics(parsed) == [
                "yaml-wrong-type@1:7-1:11", "yaml-wrong-type@2:9-2:13",
                "yaml-wrong-type@3:9-3:14", "yaml-wrong-type@4:7-4:8",
            ])
        #expect(parsed.diagnostics[1].message == "'memory' must be a mapping with 'physical' and/or 'total', found '512M'")
        #expect(parsed.diagnostics[3].message.hasSuffix("found null"))
        #expect(parseYAML("mounts:\n").diagnostics.first?.message.hasSuffix("found no value") == true)
        #expect(parsed.config.root != nil, "a present but invalid key is not missing")
        #expect(parsed.config.root?.value == nil)
    }

    @Test func unknownKeysAndFields() {
        let parsed = parseYAML(
            """
            roots: /x
            memory: { physcal: 1G }
            mounts:
              - { source: /a, target: /b, readonly: true }
            """)
        #expect(
            diagnostics(parsed) == [
                "unknown-key@1:1-1:6", "yaml-unknown-field@2:11-2:18",
                "yaml-unknown-field@4:31-4:39",
            ])
        #expect(parsed.diagnostics.map { $0.fixIts.first?.replacement } == ["root", "physical", "read_only"])
    }

    @Test func missingFields() {
        let parsed = parseYAML(
            """
            mounts:
              - { target: /b }
            io:
              - { iops: 10 }
              - { device: "8:0" }
            """)
        #expect(
            diagnostics(parsed) == [
                "yaml-missing-field@2:5-2:19", "yaml-missing-field@4:5-4:17",
                "yaml-missing-field@5:5-5:22",
            ])
        #expect(parsed.config.mounts.count == 1)
        #expect(parsed.config.mounts.first?.value == nil)
    }

    @Test func duplicateKeys() {
        let parsed = parseYAML(
            """
            root: /a
            max_memory: 1G
            root: /b
            memory: { total: 2G, total: 3G }
            """)
        #expect(diagnostics(parsed) == ["duplicate-key@3:1-3:5", "duplicate-key@4:11-4:16", "duplicate-key@4:22-4:27"])
        #expect(parsed.diagnostics.first?.notes.first?.range == SourceRange(0, 4))
        #expect(parsed.config.root?.value == "/a")
    }

    @Test func unsupportedConstructs() {
        #expect(codes(parseYAML("root: &r /a\ninit: *r\n")) == ["yaml-unsupported", "yaml-unsupported"])
        #expect(diagnostics(parseYAML("root: !!str /a\n")) == ["yaml-unsupported@1:7-1:12"])
        #expect(diagnostics(parseYAML("root: /a\n---\nroot: /b\n")) == ["yaml-unsupported@2:1-2:4"])
        let deep = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(codes(parseYAML("root: " + deep)) == ["yaml-unsupported"])
    }

    @Test func namespaceLists() {
        #expect(parseYAML("namespaces: [u, pid, cgroup]").config.namespaces?.value?.letters == "upc")
        #expect(parseYAML("namespaces: [all]").config.namespaces?.value == .all)
        #expect(parseYAML("namespaces: none").config.namespaces?.value == [])
        #expect(diagnostics(parseYAML("namespaces: [user, mnt]")) == ["unknown-namespace@1:20-1:23"])
        #expect(parseYAML("namespaces: [pid, net]").config.namespaces?.value?.letters == "pn")
        #expect(parseYAML("namespaces: [n]").config.namespaces?.value?.letters == "n")
        #expect(diagnostics(parseYAML("namespaces: [user, u]")) == ["duplicate-namespace@1:20-1:21"])
        #expect(diagnostics(parseYAML("namespaces: [all, u]")) == ["namespace-mixed-with-all@1:14-1:17"])
        #expect(diagnostics(parseYAML("namespaces: []")) == ["empty-namespaces@1:13-1:15"])
    }

    @Test func readOnlyMustBeABoolean() {
        let parsed = parseYAML("mounts: [{ source: /a, target: /b, read_only: \"yes\" }]")
        #expect(diagnostics(parsed) == ["yaml-wrong-type@1:47-1:52"])
    }

    @Test func columnsAreScalarsInYAMLToo() {
        let parsed = parseYAML("# ü\nroot: /ä\ninit: ébin\n")
        #expect(diagnostics(parsed) == ["path-not-absolute@3:7-3:11"])
    }

    @Test func invalidUTF8StopsBeforeLibYAML() {
        let parsed = ConfigParser.parse(SourceFile(path: "c.yml", bytes: Array("root: /".utf8) + [0xFF] + Array("\n".utf8)))
        #expect(diagnostics(parsed) == ["invalid-utf8@1:8-1:9"])
    }
}
