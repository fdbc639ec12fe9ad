/// Lexical path arithmetic on absolute paths, the way the checker compares and prints them.
/// The plan generator uses the same arithmetic for the paths it makes absolute.
public enum PathNormalization {
    /// The components of `path`, with empty and `.` components dropped (`..` kept).
    static func components(_ path: String) -> [Substring] {
        path.split(separator: "/", omittingEmptySubsequences: true).filter { $0 != "." }
    }

    /// True when some component of `path` is `..`.
    static func containsDotDot(_ path: String) -> Bool {
        components(path).contains("..")
    }

    /// The normal form of an absolute path: one `/` between components, no `.`, no trailing `/`,
    /// and `..` removing the component before it (never climbing above `/`).
    public static func normalize(_ path: String) -> String {
        var kept: [Substring] = []
        for component in components(path) {
            if component == ".." {
                _ = kept.popLast()
            } else {
                kept.append(component)
            }
        }
        return "/" + joined(kept, separator: "/")
    }

    /// `base` + `/` + `relative`, without a doubled slash when `base` is `/`.
    static func join(_ base: String, _ components: [Substring]) -> String {
        let trimmed = base.hasSuffix("/") ? String(base.dropLast()) : base
        return trimmed + "/" + joined(components, separator: "/")
    }

    /// `parts` joined with `separator`. Not the standard library's `joined(separator:)`: on
    /// Substrings it runs unspecialised, through the runtime's generic metadata, and costs
    /// ~90,000 instructions a call (callgrind), more than the rest of a plan's path handling.
    /// Inlinable, and no `enumerated()`: called from another module it would otherwise run
    /// unspecialised and instantiate `EnumeratedSequence<Parts>.Iterator`'s metadata at run
    /// time, 180,000 instructions on the first call of each process (callgrind, `start`).
    @inlinable
    public static func joined<Parts: Collection>(_ parts: Parts, separator: String) -> String
    where Parts.Element == Substring {
        var text = ""
        var first = true
        for part in parts {
            if !first { text += separator }
            first = false
            text.append(contentsOf: part)  // the concrete Substring overload; `+=` is generic
        }
        return text
    }
}
