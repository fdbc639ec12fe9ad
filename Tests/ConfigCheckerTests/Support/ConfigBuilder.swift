import ConfigChecker
import ConfigLanguage
import ConfigSource
import Diagnostics

/// Builds a `ParsedConfig` by hand over a KEY=VALUE text, so checker tests do not depend on the
/// parser: each setter finds its `KEY=VALUE` line in the text and records the real ranges.
struct ConfigBuilder {
    let text: String
    let file: SourceFile
    var config: ContainerConfig
    var diagnostics: [Diagnostic] = []
    private var searchFrom: [String: Int] = [:]

    init(_ lines: [String], form: ConfigForm = .keyValue) {
        text = lines.map { $0 + "\n" }.joined()
        file = SourceFile(path: "test.conf", text: text)
        config = ContainerConfig(form: form)
    }

    /// The byte range of the next occurrence of `needle` (after earlier lookups of the same needle).
    mutating func range(of needle: String) -> SourceRange {
        let bytes = Array(text.utf8), target = Array(needle.utf8)
        var start = searchFrom[needle] ?? 0
        while start + target.count <= bytes.count {
            if Array(bytes[start..<(start + target.count)]) == target {
                searchFrom[needle] = start + 1
                return SourceRange(start, start + target.count)
            }
            start += 1
        }
        fatalError("'\(needle)' is not in the test text")
    }

    /// The key and value ranges of the next line `key=value`.
    mutating func entry(_ key: String, _ value: String) -> (SourceRange, SourceRange) {
        let whole = range(of: key + "=" + value)
        let keyEnd = whole.lowerBound + key.utf8.count
        return (SourceRange(whole.lowerBound, keyEnd), SourceRange(keyEnd + 1, whole.upperBound))
    }

    mutating func setting<T>(_ key: String, _ value: String, _ typed: T?) -> Setting<T> {
        let (keyRange, valueRange) = entry(key, value)
        return Setting(keyRange: keyRange, valueRange: valueRange, value: typed)
    }

    mutating func mount(_ key: String, _ source: String, _ destination: String) -> Setting<MountSpec> {
        let (keyRange, valueRange) = entry(key, source + ":" + destination)
        let sourceRange = SourceRange(valueRange.lowerBound, valueRange.lowerBound + source.utf8.count)
        let destinationRange = SourceRange(sourceRange.upperBound + 1, valueRange.upperBound)
        let spec = MountSpec(
            source: Located(source, at: sourceRange),
            destination: Located(destination, at: destinationRange),
            readOnly: key == "mount_ro")
        return Setting(keyRange: keyRange, valueRange: valueRange, value: spec)
    }

    mutating func ioLimit(_ key: String, major: UInt32, minor: UInt32, value: UInt64) -> Setting<IOLimit> {
        let deviceText = "\(major):\(minor)"
        let (keyRange, valueRange) = entry(key, deviceText + " \(value)")
        let deviceRange = SourceRange(valueRange.lowerBound, valueRange.lowerBound + deviceText.utf8.count)
        let limit = IOLimit(
            device: Located(DeviceNumber(major: major, minor: minor), at: deviceRange),
            kind: key == "iops_limit" ? .iops : .bytesPerSecond,
            value: Located(value, at: SourceRange(deviceRange.upperBound + 1, valueRange.upperBound)))
        return Setting(keyRange: keyRange, valueRange: valueRange, value: limit)
    }

    var parsed: ParsedConfig { ParsedConfig(file: file, config: config, diagnostics: diagnostics) }

    /// A config with the three required keys set (root, init, namespaces), as the first lines.
    static func minimal(
        root: String = "/srv/web", initPath: String = "/sbin/init",
        namespaces: String = "uphtic", extra: [String] = []
    ) -> ConfigBuilder {
        var builder = ConfigBuilder(["root=\(root)", "init=\(initPath)", "namespaces=\(namespaces)"] + extra)
        builder.config.root = builder.setting("root", root, root)
        let location: InitProgram.Location = initPath.hasPrefix("@") ? .host : .insideRoot
        let program = InitProgram(path: location == .host ? String(initPath.dropFirst()) : initPath, location: location)
        builder.config.initProgram = builder.setting("init", initPath, program)
        var set = NamespaceSet()
        for letter in namespaces {
            if let namespace = Namespace(rawValue: letter) { set.insert(NamespaceSet(namespace)) }
        }
        builder.config.namespaces = builder.setting("namespaces", namespaces, set)
        return builder
    }
}

extension CheckResult {
    /// The codes of the diagnostics, in order.
    var codes: [String] { diagnostics.map(\.code) }
}
