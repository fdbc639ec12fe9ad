/// Lexical path arithmetic on absolute paths, the way the checker compares and prints them.
enum PathNormalization {
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
    static func normalize(_ path: String) -> String {
        var kept: [Substring] = []
        for component in components(path) {
            if component == ".." {
                _ = kept.popLast()
            } else {
                kept.append(component)
            }
        }
        return "/" + kept.joined(separator: "/")
    }

    /// `base` + `/` + `relative`, without a doubled slash when `base` is `/`.
    static func join(_ base: String, _ components: [Substring]) -> String {
        let trimmed = base.hasSuffix("/") ? String(base.dropLast()) : base
        return trimmed + "/" + components.joined(separator: "/")
    }
}
