import ConfigChecker
import ConfigLanguage
import ConfigSource
import ContainerState
import Testing
import TestSupport
import LaunchPlan
@testable import ContainerRuntime

/// A property of the compiler's back end over thousands of generated configs: for every config
/// the checker accepts, `PlanGenerator` does not trap, the plan can be executed by the runtime's
/// process model (`PlanShape`), and its JSON reads back (`start --plan`) to an equal plan.
struct PlanPropertyTests {
    /// Random configs over every key and the value forms of language.md §3, in both forms.
    struct ConfigMaker {
        var random: SeededRandom

        mutating func pick<T>(_ choices: [T]) -> T { choices.randomElement(using: &random)! }
        mutating func chance(_ percent: Int) -> Bool { Int.random(in: 0..<100, using: &random) < percent }

        mutating func memory() -> String {
            pick([
                "64M", "1G", "512m", "4096KiB", "2g", "max", "-1", "1T", "8MiB",
                String(UInt64.random(in: 4_194_304...(1 << 40), using: &random)),
            ])
        }

        mutating func namespaces() -> String {
            if chance(20) { return pick(["all", "none"]) }
            let letters = Array("uphticn").filter { _ in chance(50) }.shuffled(using: &random)
            return letters.isEmpty ? "none" : String(letters)
        }

        mutating func path(_ prefix: String, _ index: Int) -> String {
            if chance(85) { return pick(["/\(prefix)/d\(index)", "/\(prefix)/sp ace \(index)", "/\(prefix)/é\(index)"]) }
            return pick(["/\(prefix)//d\(index)/", "/\(prefix)/./d\(index)", "/\(prefix)/../\(prefix)/d\(index)"])
        }

        /// `(key, value)` pairs; repeatable keys may come several times. Every key of the
        /// language is generated: the switch has no `default:`, so a new key needs a generator.
        mutating func pairs() -> [(String, String)] {
            var result: [(String, String)] = []
            for key in ConfigKey.allCases {
                let name = key.rawValue
                switch key {
                case .root: result.append((name, pick(["/srv/web", "/srv//web/", "/var/lib/c/./root"])))
                case .initProgram: result.append((name, pick(["/sbin/init", "@/usr/local/bin/tini", "/bin/sh", "@/bin/busybox"])))
                case .namespaces: result.append((name, namespaces()))
                case .maxPhysicalMemory, .maxMemory: if chance(50) { result.append((name, memory())) }
                case .maxProcesses:
                    if chance(50) { result.append((name, chance(20) ? "max" : String(Int.random(in: 1...100_000, using: &random)))) }
                case .cpuShare: if chance(50) { result.append((name, String(Int.random(in: 2...262_144, using: &random)))) }
                case .netClassID:
                    if chance(40) {
                        let id = UInt32.random(in: 0...UInt32.max, using: &random)
                        let hex = String(id, radix: 16, uppercase: chance(50))
                        result.append((name, chance(50) ? "0x" + String(repeating: "0", count: 8 - hex.count) + hex : String(id)))
                    }
                case .mount:  // `mount` and `mount_ro` mixed, in one run of draws
                    for index in 0..<Int.random(in: 0...3, using: &random) {
                        result.append(
                            (
                                chance(50) ? name : ConfigKey.mountReadOnly.rawValue,
                                path("host", index) + ":" + path("mnt", index)
                            ))
                    }
                case .mountReadOnly: break  // drawn with `mount`
                case .iopsLimit:  // `iops_limit` and `io_bw_limit` mixed, one device at most once
                    var devices = Set<String>()
                    for _ in 0..<Int.random(in: 0...3, using: &random) {
                        let device = "\(Int.random(in: 0...4095, using: &random)):\(Int.random(in: 0...1_048_575, using: &random))"
                        guard devices.insert(device).inserted else { continue }
                        if chance(50) {
                            result.append((name, "\(device) \(Int.random(in: 1...1_000_000, using: &random))"))
                        } else {
                            result.append((ConfigKey.ioBandwidthLimit.rawValue, "\(device) " + pick(["10M", "1048576", "2G", "512k"])))
                        }
                    }
                case .ioBandwidthLimit: break  // drawn with `iops_limit`
                case .idMapStart: if chance(40) { result.append((name, String(UInt32.random(in: 0...4_294_901_760, using: &random)))) }
                case .stopSignal: if chance(30) { result.append((name, pick(["SIGTERM", "term", "SIGRTMIN+3", "10"]))) }
                case .netBridge:  // with `net_address` and `net_gateway`, in one coherent draw
                    guard chance(40) else { break }
                    result.append((name, pick(["br0", "lxcbr0", "br-test"])))
                    guard chance(70) else { break }
                    let host = Int.random(in: 2...254, using: &random)
                    if chance(50) {
                        result.append((ConfigKey.netAddress.rawValue, "10.0.3.\(host)/24"))
                        if chance(60) { result.append((ConfigKey.netGateway.rawValue, "10.0.3.1")) }
                    } else {
                        result.append((ConfigKey.netAddress.rawValue, "fd00:0:0:3::\(String(host, radix: 16))/64"))
                        if chance(60) { result.append((ConfigKey.netGateway.rawValue, "fd00:0:0:3::1")) }
                    }
                case .netAddress, .netGateway: break  // drawn with `net_bridge`
                case .idMapMode: if chance(40) { result.append((name, pick(["idmap", "none"]))) }
                }
            }
            return result.shuffled(using: &random)
        }

        /// The config text and its file name (`.yaml` for the YAML form).
        mutating func config(name: String) -> (fileName: String, text: String) {
            let pairs = pairs()
            if chance(70) {
                return (name, pairs.map { "\($0.0)=\($0.1)\n" }.joined())
            }
            var lines: [String] = []
            var lists: [String: [String]] = [:]
            var order: [String] = []
            for (key, value) in pairs {
                if ConfigKey(rawValue: key)?.isRepeatable == true {
                    if lists[key] == nil { order.append(key) }
                    lists[key, default: []].append(value)
                } else {
                    lines.append("\(key): \"\(value)\"")
                }
            }
            for key in order {
                lines.append("\(key):")
                lines += lists[key]!.map { "  - \"\($0)\"" }
            }
            return (name + ".yaml", lines.joined(separator: "\n") + "\n")
        }
    }

    static let layouts: [CgroupLayout] = [
        CgroupLayout(version: .v1, v1Root: "/sys/fs/cgroup", v2Root: "/sys/fs/cgroup/unified", parent: "minimal_containers"),
        CgroupLayout(
            version: .v2, v1Root: "/sys/fs/cgroup", v2Root: "/sys/fs/cgroup", parent: "minimal_containers",
            mountedV1Controllers: []),
        CgroupLayout(version: .v2, v1Root: "/sys/fs/cgroup", v2Root: "/sys/fs/cgroup/unified", parent: "a/b.c"),
    ]

    /// The plan's JSON, pretty and compact, reads back to an equal plan.
    static func expectRoundTrip(_ plan: Plan, round: Int, text: String) {
        for pretty in [true, false] {
            do {
                let again = try PlanJSONReader.read(Array(plan.json(pretty: pretty).utf8))
                #expect(again == plan, "round \(round) (pretty \(pretty)) did not round-trip: \(text)")
            } catch {
                Issue.record("round \(round): the plan's JSON does not read back: \(error)\n\(text)")
            }
        }
    }

    /// A mount SOURCE is a host path kept as written (`/srv/./shared`): the plan still reads back.
    @Test func aPlanWithANonNormalMountSourceReadsBack() throws {
        let text = "root=/srv/web\ninit=/sbin/init\nnamespaces=ph\nmount=/srv/./shared:/mnt\n"
        let file = SourceFile(path: "web", bytes: Array(text.utf8))
        let result = ConfigChecker.check(ConfigParser.parse(file), name: "web", options: CheckOptions(useFilesystem: false, cgroupVersion: .v1))
        let checked = try #require(result.checked)
        let plan = try PlanGenerator.generate(
            checked,
            options: PlanOptions(
                cgroupLayout: Self.layouts[0], stateDirectory: StateDirectory(path: "/containers"),
                configPath: "/containers/configs/web", configBytes: file.bytes))
        Self.expectRoundTrip(plan, round: 0, text: text)
    }

    @Test func everyAcceptedConfigPlansAndRoundTripsThroughJSON() throws {
        var maker = ConfigMaker(random: SeededRandom(state: 0x5EED_2026))
        var accepted = 0, acceptedYAML = 0
        for round in 0..<3000 {
            let name = "c\(round)"
            let (fileName, text) = maker.config(name: name)
            let file = SourceFile(path: fileName, bytes: Array(text.utf8))
            let layout = Self.layouts[round % Self.layouts.count]
            let result = ConfigChecker.check(
                ConfigParser.parse(file), name: name,
                options: CheckOptions(useFilesystem: false, cgroupVersion: layout.version))
            guard let checked = result.checked else { continue }
            accepted += 1
            if fileName.hasSuffix(".yaml") { acceptedYAML += 1 }
            let options = PlanOptions(
                cgroupLayout: layout, stateDirectory: StateDirectory(path: "/containers"),
                configPath: "/containers/configs/" + fileName, configBytes: file.bytes)

            let plan = try PlanGenerator.generate(checked, options: options)

            #expect(throws: Never.self, "round \(round): \(text)") { try PlanShape.validate(plan) }
            Self.expectRoundTrip(plan, round: round, text: text)
            #expect(!plan.text.isEmpty)
        }
        // The generator must reach the interesting part: most configs check, in both forms.
        #expect(accepted >= 1500, "only \(accepted) of 3000 generated configs were accepted")
        #expect(acceptedYAML >= 300, "only \(acceptedYAML) YAML configs were accepted")
    }
}
