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

/// The AST without ranges: what both forms must agree on.
func rangeFreeDescription(_ config: ContainerConfig) -> String {
    var lines: [String] = []
    func add<V>(_ name: String, _ setting: Setting<V>?) {
        guard let setting else { return }
        lines.append("\(name)=\(setting.value.map { "\($0)" } ?? "invalid")")
    }
    add("root", config.root)
    add("init", config.initProgram.map { Setting(keyRange: $0.keyRange, valueRange: $0.valueRange,
                                                 value: $0.value.map { "\($0.location.rawValue):\($0.path)" }) })
    add("namespaces", config.namespaces.map { Setting(keyRange: $0.keyRange, valueRange: $0.valueRange, value: $0.value?.letters) })
    add("max_physical_memory", config.maxPhysicalMemory)
    add("max_memory", config.maxMemory)
    add("max_processes", config.maxProcesses)
    add("cpu_share", config.cpuShare)
    add("net_classid", config.netClassID)
    add("id_map_start", config.idMapStart)
    for mount in config.mounts {
        lines.append("mount=" + (mount.value.map { "\($0.source.value):\($0.destination.value) ro=\($0.readOnly)" } ?? "invalid"))
    }
    for limit in config.ioLimits {
        lines.append("io=" + (limit.value.map { "\($0.device.value) \($0.kind.rawValue) \($0.value.value)" } ?? "invalid"))
    }
    return lines.joined(separator: "\n")
}
