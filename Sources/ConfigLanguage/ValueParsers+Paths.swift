import ConfigSource
import Diagnostics

/// The value parsers shared by both front ends. Each returns a typed value, or nil after
/// emitting a diagnostic whose range is the offending part of the value.
enum ValueParsers {}

extension ValueParsers {
    /// An absolute path (`root`, either side of a mount). `name` names it in messages.
    static func absolutePath(_ text: ValueText, name: String, into bag: inout DiagnosticBag) -> String? {
        if text.isEmpty {
            bag.emit(.emptyValue(name, at: text.range(text.lower, text.lower)))
            return nil
        }
        guard text.bytes[text.lower] == UInt8(ascii: "/") else {
            bag.emit(.pathNotAbsolute(name, path: text.string, at: text.sourceRange))
            return nil
        }
        return text.string
    }

    /// `init`: an absolute path inside the root, or on the host when prefixed with `@`.
    static func initProgram(_ text: ValueText, name: String, into bag: inout DiagnosticBag) -> InitProgram? {
        guard text[safe: text.lower] == UInt8(ascii: "@") else {
            return absolutePath(text, name: name, into: &bag).map { InitProgram(path: $0, location: .insideRoot) }
        }
        let hostPath = text.slice(text.lower + 1, text.upper)
        return absolutePath(hostPath, name: "\(name) host path (after '@')", into: &bag)
            .map { InitProgram(path: $0, location: .host) }
    }

    /// `SOURCE:DEST`, both absolute; a second `:` is ambiguous, except a final `:noidmap`
    /// (the mount opts out of the id map, language.md §12).
    static func mount(_ text: ValueText, name: String, readOnly: Bool, into bag: inout DiagnosticBag) -> MountSpec? {
        let suffix = Array(noIDMapSuffix.utf8)
        if text.upper - text.lower > suffix.count, Array(text.bytes[(text.upper - suffix.count)..<text.upper]) == suffix {
            var mount = mount(text.slice(text.lower, text.upper - suffix.count), name: name, readOnly: readOnly, into: &bag)
            mount?.idmap = false
            return mount
        }
        let colon = UInt8(ascii: ":")
        guard let separator = text.firstIndex(of: colon) else {
            if text.isEmpty {
                bag.emit(.emptyValue(name, at: text.range(text.lower, text.lower)))
            } else {
                bag.emit(.invalidMount(name, text: text.string, at: text.sourceRange))
            }
            return nil
        }
        if let second = text.firstIndex(of: colon, from: separator + 1) {
            bag.emit(.ambiguousMount(text.string, at: text.range(second, second + 1)))
            return nil
        }
        let sourceText = text.slice(text.lower, separator)
        let destinationText = text.slice(separator + 1, text.upper)
        let source = absolutePath(sourceText, name: "\(name) source", into: &bag)
        let destination = absolutePath(destinationText, name: "\(name) destination", into: &bag)
        guard let source, let destination else { return nil }
        return MountSpec(
            source: Located(source, at: sourceText.sourceRange),
            destination: Located(destination, at: destinationText.sourceRange),
            readOnly: readOnly)
    }
}
