import ConfigLanguage
import ConfigSource
import Diagnostics

/// `missing-required-key`: `root`, `init` and `namespaces` must be written.
///
/// Only an ABSENT key is missing: a key written with an invalid value already has its own
/// diagnostic, and so has a key on a line the parser had to drop when that diagnostic's fix-it
/// restores the key (`root /x` gets "insert '='", `rot=/x` gets "replace with 'root'"): one
/// error per mistake. Nothing is reported when the front end could not read the whole file
/// (`isIncomplete`: too large, not text, YAML syntax error, not a mapping).
///
/// The diagnostic points at 1:1 with an empty range (a missing key has no place in the file;
/// the top is where a reader looks first), one per key, in the order root, init, namespaces.
enum RequiredKeyRules {
    static func apply(to context: inout CheckContext) {
        guard !context.parserGaveUp else { return }
        let config = context.config
        for key in ConfigKey.required where !config.isWritten(key) && !writtenOnDroppedLine(key, context) {
            context.emit(
                .missingRequiredKey(
                    key.rawValue, example: example(for: key, form: config.form), at: .point(0)))
        }
    }

    /// True when a parser error about a dropped line carries a fix-it that would make it `key`.
    static func writtenOnDroppedLine(_ key: ConfigKey, _ context: CheckContext) -> Bool {
        context.parsed.diagnostics.contains { diagnostic in
            switch diagnostic.id {
            case .unknownKey:
                return diagnostic.fixIts.contains { $0.replacement == key.rawValue }
            case .missingEquals:
                // The fix-it inserts '=' right after the key: what precedes it is the key.
                return diagnostic.fixIts.contains { fixIt in
                    let before = context.text(SourceRange(diagnostic.range.lowerBound, fixIt.range.lowerBound))
                    return before.trimmingBlanks == key.rawValue
                }
            default:
                return false
            }
        }
    }

    /// A line the user can add, in the form of the file. Only required keys are ever missing;
    /// the others are listed so that making a key required is a decision about its example too.
    static func example(for key: ConfigKey, form: ConfigForm) -> String {
        let value: String
        switch key {
        case .root: value = "/srv/web"
        case .initProgram: value = "/sbin/init"
        case .namespaces: value = "all"
        case .maxPhysicalMemory, .maxMemory, .maxProcesses, .cpuShare, .netClassID, .mount, .mountReadOnly,
            .iopsLimit, .ioBandwidthLimit, .idMapStart, .netBridge, .netAddress, .netGateway, .stopSignal, .idMapMode:
            value = "…"
        }
        switch form {
        case .keyValue: return "\(key.rawValue)=\(value)"
        case .yaml: return "\(key.rawValue): \(value)"
        }
    }
}

private extension String {
    /// Without leading and trailing spaces and tabs.
    var trimmingBlanks: String {
        var text = Substring(self)
        while let first = text.first, first == " " || first == "\t" { text = text.dropFirst() }
        while let last = text.last, last == " " || last == "\t" { text = text.dropLast() }
        return String(text)
    }
}
