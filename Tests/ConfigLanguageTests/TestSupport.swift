@testable import ConfigLanguage
import ConfigSource
import Diagnostics

/// Parses `text` as a file named `path` (the extension picks the front end).
func parse(_ text: String, path: String = "test.conf") -> ParsedConfig {
    ConfigParser.parse(SourceFile(path: path, text: text))
}

func parseYAML(_ text: String) -> ParsedConfig { parse(text, path: "test.yaml") }

/// A diagnostic as `CODE@LINE:COL-LINE:COL`, the way the tests assert them.
func describe(_ diagnostic: Diagnostic, in file: SourceFile) -> String {
    let start = file.location(of: diagnostic.range.lowerBound)
    let end = file.location(of: diagnostic.range.upperBound)
    return "\(diagnostic.code)@\(start)-\(end)"
}

/// Every diagnostic of a parse, in source order, as `describe` spells them.
func diagnostics(_ parsed: ParsedConfig) -> [String] {
    var bag = DiagnosticBag()
    bag.append(contentsOf: parsed.diagnostics)
    return bag.sorted.map { describe($0, in: parsed.file) }
}

/// The codes of a parse, in source order.
func codes(_ parsed: ParsedConfig) -> [String] {
    var bag = DiagnosticBag()
    bag.append(contentsOf: parsed.diagnostics)
    return bag.sorted.map(\.code)
}

/// The text a range covers.
func text(_ range: SourceRange, in parsed: ParsedConfig) -> String { parsed.file.text(range) }

/// The AST without ranges: what both forms must agree on. One line per setting, key by key in
/// declaration order; the switch has no `default:`, so a new key cannot be left out.
func rangeFreeDescription(_ config: ContainerConfig) -> String {
    var lines: [String] = []
    func add<V>(_ name: String, _ setting: Setting<V>?) {
        guard let setting else { return }
        lines.append("\(name)=\(setting.value.map { "\($0)" } ?? "invalid")")
    }
    for key in ConfigKey.allCases {
        let name = key.rawValue
        switch key {
        case .root: add(name, config.root)
        case .initProgram:
            add(
                name,
                config.initProgram.map {
                    Setting(
                        keyRange: $0.keyRange, valueRange: $0.valueRange,
                        value: $0.value.map { "\($0.location.rawValue):\($0.path)" })
                })
        case .namespaces:
            add(name, config.namespaces.map { Setting(keyRange: $0.keyRange, valueRange: $0.valueRange, value: $0.value?.letters) })
        case .maxPhysicalMemory: add(name, config.maxPhysicalMemory)
        case .maxMemory: add(name, config.maxMemory)
        case .maxProcesses: add(name, config.maxProcesses)
        case .cpuShare: add(name, config.cpuShare)
        case .netClassID: add(name, config.netClassID)
        case .idMapStart: add(name, config.idMapStart)
        case .stopSignal: add(name, config.stopSignal)
        case .netBridge: add(name, config.netBridge)
        case .netAddress: add(name, config.netAddress)
        case .netGateway: add(name, config.netGateway)
        case .idMapMode: add(name, config.idMapMode)
        case .mount:  // `mount` and `mount_ro` share one list, in source order
            for mount in config.mounts {
                lines.append("mount=" + (mount.value.map { "\($0.source.value):\($0.destination.value) ro=\($0.readOnly) idmap=\($0.idmap)" } ?? "invalid"))
            }
        case .mountReadOnly: break  // listed with `mount`
        case .iopsLimit:  // `iops_limit` and `io_bw_limit` share one list, in source order
            for limit in config.ioLimits {
                lines.append("io=" + (limit.value.map { "\($0.device.value) \($0.kind.rawValue) \($0.value.value)" } ?? "invalid"))
            }
        case .ioBandwidthLimit: break  // listed with `iops_limit`
        }
    }
    return lines.joined(separator: "\n")
}
