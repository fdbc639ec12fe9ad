import ConfigSource
import Diagnostics

extension ValueParsers {
    /// `all`, `none`, or letters from `uphtic` (language.md §3).
    ///
    /// Every letter is checked, so one value can report several problems. An unknown letter or
    /// a keyword mixed with letters makes the value invalid; a repeated letter only warns.
    static func namespaces(_ text: ValueText, into bag: inout DiagnosticBag) -> NamespaceSet? {
        if text.isEmpty {
            bag.emit(.emptyNamespaces(at: text.range(text.lower, text.lower)))
            return nil
        }
        if text.equals("all") { return .all }
        if text.equals("none") { return [] }

        var set: NamespaceSet = []
        var firstSeen = NamespaceOccurrences()
        var valid = true
        var index = text.lower
        while index < text.upper {
            if let keyword = keyword(in: text, at: index) {
                let end = index + keyword.utf8.count
                bag.emit(.namespaceMixedWithAll(keyword, at: text.range(index, end)))
                valid = false
                index = end
                continue
            }
            let width = SourceFile.scalarWidth(at: index, in: text.bytes)
            let end = min(index + width, text.upper)
            let range = text.range(index, end)
            if width == 1, let namespace = Namespace(rawValue: Character(Unicode.Scalar(text.bytes[index]))) {
                if let first = firstSeen.first(namespace) {
                    bag.emit(.duplicateNamespace(String(namespace.rawValue), at: range, firstAt: first))
                } else {
                    firstSeen.record(namespace, at: range)
                    set.insert(NamespaceSet(namespace))
                }
            } else {
                bag.emit(.unknownNamespace(text.slice(index, end).string, at: range))
                valid = false
            }
            index = end
        }
        return valid ? set : nil
    }

    /// `all` or `none` written at `index` among letters.
    private static func keyword(in text: ValueText, at index: Int) -> String? {
        for word in ["all", "none"] where text.slice(index, index + word.utf8.count).equals(word) {
            return word
        }
        return nil
    }

    /// A namespace by its YAML list spelling: the long name (`user`) or the letter (`u`).
    static func namespace(named name: String) -> Namespace? {
        Namespace.allCases.first { $0.longName == name || String($0.rawValue) == name }
    }
}

/// Where each namespace of one value was first written, for the note of `duplicate-namespace`.
/// A list, not a Dictionary: the first Dictionary of a key type a process creates checks the
/// key's Hashable conformance at run time through the conformance tables (callgrind: 229,000
/// instructions of every `start`), and a value names at most six namespaces.
struct NamespaceOccurrences {
    private var seen: [NamespaceOccurrence] = []

    /// Where `namespace` was first recorded, nil when it was not.
    func first(_ namespace: Namespace) -> SourceRange? {
        seen.first { $0.namespace == namespace }?.range
    }

    /// Records the first occurrence of `namespace` (call only when `first` is nil).
    mutating func record(_ namespace: Namespace, at range: SourceRange) {
        seen.append(NamespaceOccurrence(namespace: namespace, range: range))
    }
}

/// One entry of `NamespaceOccurrences`.
struct NamespaceOccurrence {
    var namespace: Namespace
    var range: SourceRange
}
