@testable import ConfigLanguage
import ConfigSource
import Diagnostics
import Testing

@Suite("KEY=VALUE lines")
struct KeyValueParserTests {
    @Test func cleanConfigParsesEveryKey() {
        let parsed = parse(
            """
            # a comment
            root=/srv/web

              # indented comment
            init=@/usr/bin/tini
            namespaces=uphtic
            max_physical_memory=512M
            max_memory=1GiB
            max_processes=max
            cpu_share=1024
            net_classid=0x00100001
            mount=/srv/data:/data
            mount_ro=/srv/www:/var/www
            iops_limit=8:0 1000
            io_bw_limit=8:16 10M
            id_map_start=100000
            """)
        #expect(parsed.diagnostics.isEmpty)
        let config = parsed.config
        #expect(config.form == .keyValue)
        #expect(config.root?.value == "/srv/web")
        #expect(config.initProgram?.value == InitProgram(path: "/usr/bin/tini", location: .host))
        #expect(config.namespaces?.value == .all)
        #expect(config.maxPhysicalMemory?.value == .bytes(512 << 20))
        #expect(config.maxMemory?.value == .bytes(1 << 30))
        #expect(config.maxProcesses?.value == .unlimited)
        #expect(config.cpuShare?.value == 1024)
        #expect(config.netClassID?.value == 0x0010_0001)
        #expect(config.idMapStart?.value == 100_000)
        #expect(config.mounts.compactMap(\.value?.readOnly) == [false, true])
        #expect(config.mounts.first?.value?.destination.value == "/data")
        #expect(config.ioLimits.compactMap(\.value?.kind) == [.iops, .bytesPerSecond])
        #expect(config.ioLimits.last?.value?.value.value == 10 << 20)
        #expect(config.ioLimits.last?.value?.device.value == DeviceNumber(major: 8, minor: 16))
    }

    @Test func valueIsEverythingAfterTheFirstEquals() {
        let parsed = parse("root=/srv/a=b\n")
        #expect(parsed.config.root?.value == "/srv/a=b")
        #expect(text(parsed.config.root!.keyRange, in: parsed) == "root")
        #expect(text(parsed.config.root!.valueRange, in: parsed) == "/srv/a=b")
    }

    @Test func missingFinalNewlineIsFine() {
        let parsed = parse("root=/x")
        #expect(parsed.diagnostics.isEmpty)
        #expect(parsed.config.root?.value == "/x")
    }

    @Test func crlfIsReportedAtTheCarriageReturnWithAFixIt() {
        let parsed = parse("root=/x\r\n# c\r\n")
        #expect(diagnostics(parsed) == ["crlf-line-ending@1:8-1:9", "crlf-line-ending@2:4-2:5"])
        #expect(parsed.diagnostics[0].fixIts.first?.replacement == "")
        #expect(parsed.diagnostics[0].fixIts.first?.range == SourceRange(7, 8))
        #expect(parsed.config.root?.value == "/x")
    }

    @Test func lineWithoutEqualsOffersTheObviousFix() {
        let parsed = parse("root=/x\ninit /sbin/init\nhello\n")
        #expect(diagnostics(parsed) == ["missing-equals@2:1-2:16", "missing-equals@3:1-3:6"])
        let fix = parsed.diagnostics[0].fixIts.first
        #expect(fix?.replacement == "=")
        #expect(fix.map { text($0.range, in: parsed) } == " ")
        #expect(parsed.diagnostics[1].fixIts.isEmpty)
        #expect(parsed.diagnostics[1].message.contains("'hello'"))
    }

    @Test func emptyKeyPointsAtTheEquals() {
        let parsed = parse("  =/x\n")
        #expect(diagnostics(parsed) == ["empty-key@1:3-1:4"])
    }

    @Test func whitespaceAroundTheKeyIsOneErrorWithAFixIt() {
        let parsed = parse("root = /x\n")
        #expect(diagnostics(parsed) == ["whitespace-in-key@1:5-1:6"])
        let fix = parsed.diagnostics[0].fixIts.first
        #expect(fix?.replacement == "root=")
        #expect(fix.map { text($0.range, in: parsed) } == "root = ")
        // The key is recovered, so later stages see root as set.
        #expect(parsed.config.root?.value == "/x")
    }

    @Test func leadingWhitespaceBeforeTheKey() {
        let parsed = parse("\tinit=/sbin/init\n")
        #expect(diagnostics(parsed) == ["whitespace-in-key@1:1-1:2"])
        #expect(parsed.diagnostics[0].fixIts.first?.replacement == "init=")
    }

    @Test func whitespaceInsideTheKeySuggestsTheUnderscoreSpelling() {
        let parsed = parse("max  memory=1G\nfoo bar=1\n")
        #expect(diagnostics(parsed) == ["whitespace-in-key@1:4-1:6", "whitespace-in-key@2:4-2:5"])
        #expect(parsed.diagnostics[0].fixIts.first?.replacement == "max_memory=")
        #expect(parsed.diagnostics[1].fixIts.isEmpty)
        #expect(parsed.config.maxMemory?.value == .bytes(1 << 30))
    }

    @Test func unknownKeySuggestsTheClosestKey() {
        let parsed = parse("rot=/x\nnamespace=u\nROOT=/y\nfavourite_colour=blue\n")
        #expect(
            diagnostics(parsed) == [
                "unknown-key@1:1-1:4", "unknown-key@2:1-2:10",
                "unknown-key@3:1-3:5", "unknown-key@4:1-4:17",
            ])
        #expect(parsed.diagnostics.map { $0.fixIts.first?.replacement } == ["root", "namespaces", "root", nil])
        #expect(parsed.diagnostics[0].message.contains("did you mean 'root'"))
    }

    @Test func repeatedSingleValuedKeyHasANoteAtTheFirst() {
        let parsed = parse("root=/a\nmount=/x:/y\nroot=/b\nmount=/z:/w\n")
        #expect(diagnostics(parsed) == ["duplicate-key@3:1-3:5"])
        #expect(parsed.diagnostics[0].notes.map(\.range) == [SourceRange(0, 4)])
        #expect(parsed.config.root?.value == "/a")
        #expect(parsed.config.mounts.count == 2)
    }

    @Test func trailingWhitespaceWarnsAndIsNotPartOfTheValue() {
        let parsed = parse("root=/x \t\n")
        #expect(diagnostics(parsed) == ["trailing-whitespace@1:8-1:10"])
        #expect(parsed.diagnostics[0].severity == .warning)
        #expect(parsed.diagnostics[0].fixIts.first?.range == SourceRange(7, 9))
        #expect(parsed.config.root?.value == "/x")
    }

    @Test func hashAfterBlankInAValueWarnsAndStaysInTheValue() {
        let parsed = parse("root=/srv/web # the web root\nmount=/a#b:/c\n")
        #expect(diagnostics(parsed) == ["comment-in-value@1:15-1:29"])
        #expect(parsed.diagnostics[0].severity == .warning)
        #expect(parsed.diagnostics[0].message.contains("'# the web root'"))
        #expect(parsed.config.root?.value == "/srv/web # the web root")
    }

    @Test func invalidUTF8IsReportedAtTheBadBytes() {
        let bytes = Array("root=/x\ninit=/a".utf8) + [0xC3, 0x28] + Array("é\n".utf8) + [0xFF, 0xFE] + Array("=x\n".utf8)
        let parsed = ConfigParser.parse(SourceFile(path: "c", bytes: bytes))
        let utf8 = parsed.diagnostics.filter { $0.id == .invalidUTF8 }
        #expect(utf8.map(\.range) == [SourceRange(15, 16), SourceRange(20, 22)])
        #expect(utf8.map { describe($0, in: parsed.file) } == ["invalid-utf8@2:8-2:9", "invalid-utf8@3:1-3:3"])
    }

    @Test func nulByteIsReported() {
        let parsed = ConfigParser.parse(SourceFile(path: "c", bytes: Array("root=/a".utf8) + [0, 0] + Array("b\n".utf8)))
        #expect(diagnostics(parsed) == ["nul-byte@1:8-1:10"])
    }

    @Test func fileOverOneMebibyteStopsParsing() {
        let big = [UInt8](repeating: UInt8(ascii: "#"), count: (1 << 20) + 1)
        let parsed = ConfigParser.parse(SourceFile(path: "c", bytes: Array("rot=/x\n".utf8) + big))
        #expect(codes(parsed) == ["file-too-large"])
        #expect(parsed.config.isIncomplete)
        let exact = ConfigParser.parse(SourceFile(path: "c", bytes: [UInt8](repeating: UInt8(ascii: "\n"), count: 1 << 20)))
        #expect(exact.diagnostics.isEmpty)
    }

    @Test func columnsCountScalarsNotBytes() {
        let parsed = parse("# é\nrööt=/x\n")
        #expect(diagnostics(parsed) == ["unknown-key@2:1-2:5"])
        let parsedValue = parse("mount=/é:ü\n")
        #expect(diagnostics(parsedValue) == ["path-not-absolute@1:10-1:11"])
    }

    @Test func byteOrderMarkIsSkipped() {
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        let keyValue = ConfigParser.parse(SourceFile(path: "c", bytes: bom + Array("root=/x\nrot=/y\n".utf8)))
        #expect(keyValue.config.root?.value == "/x")
        #expect(diagnostics(keyValue) == ["unknown-key@2:1-2:4"])
        let yaml = ConfigParser.parse(SourceFile(path: "c.yaml", bytes: bom + Array("root: x\n".utf8)))
        #expect(diagnostics(yaml) == ["path-not-absolute@1:8-1:9"])
    }
}
