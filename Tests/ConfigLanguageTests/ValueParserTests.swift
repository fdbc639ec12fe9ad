@testable import ConfigLanguage
import ConfigSource
import Diagnostics
import Testing

/// The value parsers, exercised through one-line KEY=VALUE files so that every range is
/// checked as a line:column the user would see.
@Suite("Values")
struct ValueParserTests {
    private func one(_ line: String) -> ParsedConfig { parse(line + "\n") }

    @Test func paths() {
        #expect(diagnostics(one("root=srv/web")) == ["path-not-absolute@1:6-1:13"])
        #expect(diagnostics(one("root=")) == ["empty-value@1:6-1:6"])
        #expect(one("root=").config.root != nil, "an invalid value still counts as written")
        #expect(one("root=").config.root?.value == nil)
    }

    @Test func initOnTheHostOrInsideRoot() {
        #expect(one("init=/sbin/init").config.initProgram?.value == InitProgram(path: "/sbin/init", location: .insideRoot))
        #expect(one("init=@/bin/sh").config.initProgram?.value == InitProgram(path: "/bin/sh", location: .host))
        #expect(diagnostics(one("init=@bin/sh")) == ["path-not-absolute@1:7-1:13"])
        #expect(diagnostics(one("init=@")) == ["empty-value@1:7-1:7"])
    }

    @Test(arguments: [("all", "uphtic"), ("none", ""), ("uph", "uph"), ("c", "c"), ("tu", "ut")])
    func namespaceSets(value: String, letters: String) {
        let parsed = one("namespaces=" + value)
        #expect(parsed.diagnostics.isEmpty)
        #expect(parsed.config.namespaces?.value?.letters == letters)
    }

    @Test func namespaceErrorsPointAtTheLetter() {
        #expect(diagnostics(one("namespaces=upxh")) == ["unknown-namespace@1:14-1:15"])
        #expect(diagnostics(one("namespaces=upu")) == ["duplicate-namespace@1:14-1:15"])
        #expect(one("namespaces=upu").config.namespaces?.value?.letters == "up")
        #expect(one("namespaces=upu").diagnostics.first?.notes.first?.range == SourceRange(11, 12))
        #expect(diagnostics(one("namespaces=allu")) == ["namespace-mixed-with-all@1:12-1:15"])
        #expect(diagnostics(one("namespaces=unone")) == ["namespace-mixed-with-all@1:13-1:17"])
        #expect(diagnostics(one("namespaces=")) == ["empty-namespaces@1:12-1:12"])
        #expect(diagnostics(one("namespaces=uö")) == ["unknown-namespace@1:13-1:14"])
        #expect(one("namespaces=upxh").config.namespaces?.value == nil)
    }

    @Test(arguments: [
        ("4096", Int64(4096)), ("512M", 512 << 20), ("512m", 512 << 20), ("1G", 1 << 30), ("2KiB", 2048),
        ("3gib", 3 << 30), ("1T", 1 << 40), ("9223372036854775807", Int64.max), ("8388607T", 8_388_607 << 40),
    ])
    func sizes(value: String, bytes: Int64) {
        let parsed = one("max_memory=" + value)
        #expect(parsed.diagnostics.isEmpty)
        #expect(parsed.config.maxMemory?.value == .bytes(bytes))
    }

    @Test func unlimitedSizes() {
        #expect(one("max_memory=max").config.maxMemory?.value == .unlimited)
        #expect(one("max_physical_memory=-1").config.maxPhysicalMemory?.value == .unlimited)
    }

    @Test func sizeErrors() {
        #expect(diagnostics(one("max_memory=")) == ["invalid-size@1:12-1:12"])
        #expect(diagnostics(one("max_memory=lots")) == ["invalid-size@1:12-1:16"])
        #expect(diagnostics(one("max_memory=-2")) == ["invalid-size@1:12-1:14"])
        #expect(diagnostics(one("max_memory=1.5G")) == ["invalid-size@1:12-1:16"])
        #expect(diagnostics(one("max_memory=512MB")) == ["unknown-size-suffix@1:15-1:17"])
        #expect(diagnostics(one("max_memory=10 M")) == ["unknown-size-suffix@1:14-1:16"])
        #expect(diagnostics(one("max_memory=0")) == ["zero-size@1:12-1:13"])
        #expect(diagnostics(one("max_memory=0K")) == ["zero-size@1:12-1:14"])
        #expect(diagnostics(one("max_memory=9223372036854775808")) == ["size-overflow@1:12-1:31"])
        #expect(diagnostics(one("max_memory=8388608T")) == ["size-overflow@1:12-1:20"])
        #expect(diagnostics(one("max_memory=99999999999999999999999999G")) == ["size-overflow@1:12-1:39"])
    }

    @Test func processLimit() {
        #expect(one("max_processes=max").config.maxProcesses?.value == .unlimited)
        #expect(one("max_processes=100").config.maxProcesses?.value == .count(100))
        #expect(diagnostics(one("max_processes=0")) == ["number-out-of-range@1:15-1:16"])
        #expect(diagnostics(one("max_processes=-5")) == ["number-out-of-range@1:15-1:17"])
        #expect(diagnostics(one("max_processes=ten")) == ["invalid-number@1:15-1:18"])
        #expect(diagnostics(one("max_processes=99999999999999999999")) == ["number-out-of-range@1:15-1:35"])
    }

    @Test func cpuShare() {
        #expect(one("cpu_share=2").config.cpuShare?.value == 2)
        #expect(one("cpu_share=262144").config.cpuShare?.value == 262_144)
        #expect(diagnostics(one("cpu_share=1")) == ["number-out-of-range@1:11-1:12"])
        #expect(diagnostics(one("cpu_share=262145")) == ["number-out-of-range@1:11-1:17"])
        #expect(diagnostics(one("cpu_share=1k")) == ["invalid-number@1:11-1:13"])
        #expect(diagnostics(one("cpu_share=")) == ["invalid-number@1:11-1:11"])
    }

    @Test func netClassID() {
        #expect(one("net_classid=0x00100001").config.netClassID?.value == 0x0010_0001)
        #expect(one("net_classid=0XFFFFFFFF").config.netClassID?.value == 0xFFFF_FFFF)
        #expect(one("net_classid=4294967295").config.netClassID?.value == 0xFFFF_FFFF)
        #expect(diagnostics(one("net_classid=4294967296")) == ["number-out-of-range@1:13-1:23"])
        #expect(diagnostics(one("net_classid=0x100000000")) == ["number-out-of-range@1:13-1:24"])
        #expect(diagnostics(one("net_classid=0x")) == ["invalid-number@1:13-1:15"])
        #expect(diagnostics(one("net_classid=0xg1")) == ["invalid-number@1:13-1:17"])
    }

    @Test func stopSignal() {
        for (text, number) in [("SIGTERM", 15), ("term", 15), ("SigRtMin+3", 37), ("RTMAX-1", 63), ("9", 9), ("64", 64), ("sigusr2", 12)] {
            #expect(one("stop_signal=\(text)").config.stopSignal?.value == Int32(number), "\(text)")
        }
        #expect(diagnostics(one("stop_signal=SIGTREM")) == ["invalid-signal@1:13-1:20"])
        #expect(diagnostics(one("stop_signal=0")) == ["invalid-signal@1:13-1:14"])
        #expect(diagnostics(one("stop_signal=65")) == ["invalid-signal@1:13-1:15"])
        #expect(diagnostics(one("stop_signal=RTMIN+31")) == ["invalid-signal@1:13-1:21"])
        let typo = one("stop_signal=SIGTREM").diagnostics.first
        #expect(typo?.message.contains("did you mean 'SIGTERM'?") == true, "\(typo?.message ?? "")")
    }

    @Test func idMapStart() {
        #expect(one("id_map_start=0").config.idMapStart?.value == 0)
        #expect(one("id_map_start=4294901760").config.idMapStart?.value == 4_294_901_760)
        #expect(diagnostics(one("id_map_start=4294901761")) == ["number-out-of-range@1:14-1:24"])
    }

    @Test func mounts() {
        let mount = one("mount_ro=/srv/www:/var/www").config.mounts.first?.value
        #expect(mount?.readOnly == true)
        #expect(mount?.source.range == SourceRange(9, 17))
        #expect(mount?.destination.range == SourceRange(18, 26))
        #expect(diagnostics(one("mount=/srv/www")) == ["invalid-mount@1:7-1:15"])
        #expect(diagnostics(one("mount=/a:/b:/c")) == ["ambiguous-mount@1:12-1:13"])
        #expect(diagnostics(one("mount=a:b")) == ["path-not-absolute@1:7-1:8", "path-not-absolute@1:9-1:10"])
        #expect(diagnostics(one("mount=:/b")) == ["empty-value@1:7-1:7"])
        #expect(diagnostics(one("mount=")) == ["empty-value@1:7-1:7"])
        #expect(one("mount=a:b").config.mounts.count == 1)
        #expect(one("mount=a:b").config.mounts.first?.value == nil)
    }

    @Test func deviceLimits() {
        let limit = one("iops_limit=259:3 500").config.ioLimits.first?.value
        #expect(limit?.device.value == DeviceNumber(major: 259, minor: 3))
        #expect(limit?.value.value == 500)
        #expect(one("io_bw_limit=8:0  1M").config.ioLimits.first?.value?.value.value == 1 << 20)
        #expect(diagnostics(one("iops_limit=8:0")) == ["invalid-device-limit@1:12-1:15"])
        #expect(diagnostics(one("iops_limit=80 100")) == ["invalid-device-limit@1:12-1:14"])
        #expect(diagnostics(one("iops_limit=8:x 100")) == ["invalid-device-limit@1:14-1:15"])
        #expect(diagnostics(one("iops_limit=8:0 100 200")) == ["invalid-device-limit@1:19-1:23"])
        #expect(diagnostics(one("iops_limit=4096:0 100")) == ["device-major-out-of-range@1:12-1:16"])
        #expect(diagnostics(one("iops_limit=8:1048576 100")) == ["device-minor-out-of-range@1:14-1:21"])
        #expect(diagnostics(one("iops_limit=8:0 0")) == ["number-out-of-range@1:16-1:17"])
        #expect(diagnostics(one("iops_limit=8:0 1M")) == ["invalid-number@1:16-1:18"])
        #expect(diagnostics(one("io_bw_limit=8:0 1X")) == ["unknown-size-suffix@1:18-1:19"])
        #expect(diagnostics(one("io_bw_limit=8:0 max")) == ["invalid-size@1:17-1:20"])
    }
}
