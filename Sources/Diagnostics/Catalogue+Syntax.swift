import ConfigSource

/// The messages of the syntax and value diagnostics (both front ends, language.md §2–4).
///
/// Every message says what is wrong, quoting the offending text, and how to fix it. Emit sites
/// call these constructors and never spell a message themselves, so wording stays consistent.
extension Diagnostic {
    /// The one place the size limit of a config file is spelled.
    public static let maximumConfigSize = 1 << 20

    // MARK: File level

    /// The file is larger than 1 MiB; nothing else is parsed.
    public static func fileTooLarge(at range: SourceRange) -> Diagnostic {
        Diagnostic(
            .fileTooLarge,
            "the file is larger than 1 MiB (\(maximumConfigSize) bytes); a config is a few lines of text, check that this is the right file",
            at: range)
    }

    /// A run of bytes that is not UTF-8; `bytes` are the offending bytes.
    public static func invalidUTF8(_ bytes: ArraySlice<UInt8>, at range: SourceRange) -> Diagnostic {
        let shown = bytes.prefix(8).map { "0x" + hex($0) }.joined(separator: " ")
        return Diagnostic(
            .invalidUTF8,
            "invalid UTF-8 (\(shown)\(bytes.count > 8 ? " …" : "")); save the file as UTF-8 text",
            at: range)
    }

    /// One or more NUL bytes.
    public static func nulByte(at range: SourceRange) -> Diagnostic {
        Diagnostic(
            .nulByte, "NUL byte in the file; a config is text, remove it", at: range,
            fixIts: [FixIt("remove the NUL byte", replacing: range, with: "")])
    }

    // MARK: Lines (KEY=VALUE)

    /// `range` is the carriage return before a line feed.
    public static func crlfLineEnding(at range: SourceRange) -> Diagnostic {
        Diagnostic(
            .crlfLineEnding,
            "line ends in CR LF (a Windows line ending); lines must end in LF alone",
            at: range, fixIts: [FixIt("remove the carriage return", replacing: range, with: "")])
    }

    /// A line that is neither empty, a comment, nor `KEY=VALUE`.
    public static func missingEquals(line: String, at range: SourceRange, fixIt: FixIt? = nil) -> Diagnostic {
        Diagnostic(
            .missingEquals,
            "expected KEY=VALUE, found '\(line)' without '='; write the line as KEY=VALUE or start it with '#' to make it a comment",
            at: range, fixIts: fixIt.map { [$0] } ?? [])
    }

    /// `=VALUE` with nothing before the `=`.
    public static func emptyKey(at range: SourceRange) -> Diagnostic {
        Diagnostic(.emptyKey, "missing key before '='; write KEY=VALUE, e.g. root=/srv/web", at: range)
    }

    /// Whitespace around or inside a key (`root = /x`); `range` is the first whitespace run.
    public static func whitespaceInKey(_ key: String, at range: SourceRange, fixIt: FixIt?) -> Diagnostic {
        Diagnostic(
            .whitespaceInKey,
            "whitespace in key '\(key)'; keys have no spaces and '=' has none around it: write KEY=VALUE",
            at: range, fixIts: fixIt.map { [$0] } ?? [])
    }

    /// A key that is not in the language; `suggestion` is the closest known key, if any, and
    /// `known` every key of the language (`ConfigKey.spellings`: Diagnostics sits below the
    /// language, so it is handed the list rather than keeping its own).
    public static func unknownKey(
        _ key: String, suggestion: String?, known: [String],
        at range: SourceRange
    ) -> Diagnostic {
        if let suggestion {
            return Diagnostic(
                .unknownKey, "unknown key '\(key)'; did you mean '\(suggestion)'?", at: range,
                fixIts: [FixIt("replace '\(key)' with '\(suggestion)'", replacing: range, with: suggestion)])
        }
        return Diagnostic(
            .unknownKey,
            "unknown key '\(key)'; the keys are \(listed(known))",
            at: range)
    }

    /// A single-valued key (or a YAML mapping key) written twice. `firstName` is how the first
    /// occurrence was spelled when it differs (`max_memory` and YAML's `memory.total`).
    public static func duplicateKey(
        _ key: String, at range: SourceRange, firstAt first: SourceRange,
        firstName: String? = nil
    ) -> Diagnostic {
        let earlier = firstName ?? key
        let what =
            earlier == key
            ? "'\(key)' is set more than once"
            : "'\(key)' sets the same key as '\(earlier)', which is already set"
        return Diagnostic(
            .duplicateKey, "\(what); it takes a single value, remove one of them",
            at: range, notes: [DiagnosticNote("'\(earlier)' first set here", at: first)])
    }

    /// Spaces or tabs after a value; the value is read without them.
    public static func trailingWhitespace(key: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(
            .trailingWhitespace,
            "trailing whitespace after the value of '\(key)' is ignored; remove it",
            at: range, fixIts: [FixIt("remove the trailing whitespace", replacing: range, with: "")])
    }

    /// ` #` inside a value: not a comment.
    public static func commentInValue(key: String, text: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(
            .commentInValue,
            "'\(text)' is part of the value of '\(key)', not a comment; put comments on a line of their own",
            at: range)
    }

    // MARK: YAML structure

    /// libyaml rejected the document; `problem` is its explanation.
    public static func yamlSyntax(_ problem: String, context: String?, at range: SourceRange) -> Diagnostic {
        let detail = context.map { "\(problem) \($0)" } ?? problem
        return Diagnostic(.yamlSyntax, "YAML syntax error: \(detail)", at: range)
    }

    /// The document is not a mapping of keys to values.
    public static func yamlNotMapping(found: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(
            .yamlNotMapping,
            "the document is \(found), not a mapping; write one 'key: value' per line, e.g. 'root: /srv/web'",
            at: range)
    }

    /// A value of the wrong shape (a list where a string belongs, …).
    public static func yamlWrongType(_ field: String, expected: String, found: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(.yamlWrongType, "'\(field)' must be \(expected), found \(found)", at: range)
    }

    /// A field a structured value does not have.
    public static func yamlUnknownField(
        _ field: String, in context: String, known: [String],
        suggestion: String?, at range: SourceRange
    ) -> Diagnostic {
        if let suggestion {
            return Diagnostic(
                .yamlUnknownField,
                "unknown field '\(field)' in \(context); did you mean '\(suggestion)'?", at: range,
                fixIts: [FixIt("replace '\(field)' with '\(suggestion)'", replacing: range, with: suggestion)])
        }
        return Diagnostic(
            .yamlUnknownField,
            "unknown field '\(field)' in \(context); its fields are \(known.joined(separator: ", "))",
            at: range)
    }

    /// A structured value without a field it needs.
    /// `hint` replaces the default repair ("add 'field: …'") when there are alternatives.
    public static func yamlMissingField(
        _ field: String, in context: String, hint: String? = nil,
        at range: SourceRange
    ) -> Diagnostic {
        Diagnostic(.yamlMissingField, "\(context) has no '\(field)'; \(hint ?? "add '\(field): …'")", at: range)
    }

    /// A YAML feature the config language does not accept; `fix` says what to write instead.
    public static func yamlUnsupported(_ feature: String, fix: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(.yamlUnsupported, "\(feature) not supported in a container config; \(fix)", at: range)
    }

    // MARK: Paths

    /// A path that does not start with `/`.
    public static func pathNotAbsolute(_ what: String, path: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(.pathNotAbsolute, "\(what) '\(path)' is not an absolute path; it must start with '/'", at: range)
    }

    /// A key or field with nothing after it.
    public static func emptyValue(_ what: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(.emptyValue, "\(what) is empty; give it a value", at: range)
    }

    // MARK: Namespaces

    public static func unknownNamespace(_ name: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(
            .unknownNamespace,
            "unknown namespace '\(name)'; use letters from u (user), p (pid), h (uts), t (time), i (ipc), c (cgroup), or 'all' / 'none'",
            at: range)
    }

    public static func duplicateNamespace(_ name: String, at range: SourceRange, firstAt first: SourceRange) -> Diagnostic {
        Diagnostic(
            .duplicateNamespace, "namespace '\(name)' is listed twice; remove one", at: range,
            notes: [DiagnosticNote("first listed here", at: first)],
            fixIts: [FixIt("remove the repeated '\(name)'", replacing: range, with: "")])
    }

    public static func namespaceMixedWithAll(_ word: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(
            .namespaceMixedWithAll,
            "'\(word)' cannot be combined with other namespaces; write '\(word)' alone or only letters",
            at: range)
    }

    public static func emptyNamespaces(at range: SourceRange) -> Diagnostic {
        Diagnostic(
            .emptyNamespaces,
            "no namespaces given; write 'none' to unshare none, 'all', or letters from uphtic", at: range)
    }

    // MARK: Sizes and numbers

    public static func invalidSize(_ what: String, text: String, reason: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(
            .invalidSize,
            "\(what) '\(text)' is not a size: \(reason); write bytes, optionally with K, M, G or T (e.g. 512M), or 'max'",
            at: range)
    }

    public static func unknownSizeSuffix(_ suffix: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(
            .unknownSizeSuffix,
            "unknown size suffix '\(suffix)'; use K, M, G or T (binary multiples, optionally KiB, MiB, …)",
            at: range)
    }

    public static func zeroSize(_ what: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(.zeroSize, "\(what) is zero, which allows nothing; give a positive size, or 'max' for no limit", at: range)
    }

    public static func sizeOverflow(_ what: String, text: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(
            .sizeOverflow,
            "\(what) '\(text)' is larger than the largest size (2^63-1 bytes); use 'max' for no limit",
            at: range)
    }

    public static func invalidNumber(_ what: String, text: String, expected: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(.invalidNumber, "\(what) '\(text)' is not \(expected)", at: range)
    }

    /// `stop_signal` that names no signal (or a number outside 1…64); `suggestion` is the
    /// closest signal name, if any.
    public static func invalidSignal(_ what: String, text: String, suggestion: String?, at range: SourceRange) -> Diagnostic {
        let expected = "a signal name (SIGTERM, TERM, SIGRTMIN+3, any case) or a number 1…64"
        if let suggestion {
            return Diagnostic(
                .invalidSignal, "\(what) '\(text)' is not a signal; did you mean '\(suggestion)'?", at: range,
                fixIts: [FixIt("replace '\(text)' with '\(suggestion)'", replacing: range, with: suggestion)])
        }
        return Diagnostic(.invalidSignal, "\(what) '\(text)' is not \(expected)", at: range)
    }

    public static func numberOutOfRange(_ what: String, text: String, bounds: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(.numberOutOfRange, "\(what) \(text) is out of range: it must be \(bounds)", at: range)
    }

    /// `id_map_mode` with a value that is not one of `choices`.
    public static func invalidIDMapMode(
        _ what: String, text: String, choices: [String], suggestion: String?,
        at range: SourceRange
    ) -> Diagnostic {
        var message = "\(what) '\(text)' is not one of \(choices.map { "'\($0)'" }.joined(separator: ", "))"
        var fixIts: [FixIt] = []
        if let suggestion {
            message += "; did you mean '\(suggestion)'?"
            fixIts.append(FixIt("replace with '\(suggestion)'", replacing: range, with: suggestion))
        }
        return Diagnostic(.invalidIDMapMode, message, at: range, fixIts: fixIts)
    }

    // MARK: Mounts and devices

    public static func invalidMount(_ what: String, text: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(
            .invalidMount,
            "\(what) '\(text)' has no ':'; write SOURCE:DEST, e.g. /srv/data:/data", at: range)
    }

    public static func ambiguousMount(_ text: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(
            .ambiguousMount,
            "second ':' in mount '\(text)'; SOURCE:DEST cannot tell which ':' separates the paths, rename the path that contains ':'",
            at: range)
    }

    public static func invalidDeviceLimit(_ what: String, text: String, reason: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(
            .invalidDeviceLimit,
            "\(what) '\(text)' is not MAJOR:MINOR VALUE: \(reason); e.g. 8:0 1000", at: range)
    }

    public static func deviceMajorOutOfRange(_ text: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(.deviceMajorOutOfRange, "device major number \(text) is out of range: it must be 0…4095", at: range)
    }

    public static func deviceMinorOutOfRange(_ text: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(.deviceMinorOutOfRange, "device minor number \(text) is out of range: it must be 0…1048575", at: range)
    }
}

/// `a, b and c`: a list in a sentence.
private func listed(_ words: [String]) -> String {
    guard let last = words.last else { return "" }
    let rest = words.dropLast()
    return rest.isEmpty ? last : rest.joined(separator: ", ") + " and " + last
}

private func hex(_ byte: UInt8) -> String {
    let digits = Array("0123456789ABCDEF")
    return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
}
