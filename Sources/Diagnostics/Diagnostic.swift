import ConfigSource

/// How bad a diagnostic is. `note` only appears attached to another diagnostic.
public enum Severity: String, Sendable, Comparable, CaseIterable {
    case note, warning, error

    private var rank: Int {
        switch self {
        case .note: 0
        case .warning: 1
        case .error: 2
        }
    }
    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

/// A secondary location that explains a diagnostic ("first defined here").
public struct DiagnosticNote: Sendable, Equatable {
    public var message: String
    public var range: SourceRange
    public init(_ message: String, at range: SourceRange) {
        self.message = message
        self.range = range
    }
}

/// A mechanical repair: replace the bytes of `range` with `replacement`.
public struct FixIt: Sendable, Equatable {
    /// What the fix does, in words ("remove the carriage return").
    public var message: String
    public var range: SourceRange
    public var replacement: String
    public init(_ message: String, replacing range: SourceRange, with replacement: String) {
        self.message = message
        self.range = range
        self.replacement = replacement
    }
}

/// One problem found in a config, as a value: the engine collects these, it never throws them.
///
/// `range` is the tight subject of the problem (what the caret underlines); notes point at
/// related places, fix-its say how to repair it.
public struct Diagnostic: Sendable, Equatable {
    public var id: DiagnosticID
    public var severity: Severity
    public var message: String
    public var range: SourceRange
    public var notes: [DiagnosticNote]
    public var fixIts: [FixIt]

    public init(
        _ id: DiagnosticID, _ message: String, at range: SourceRange,
        severity: Severity? = nil, notes: [DiagnosticNote] = [], fixIts: [FixIt] = []
    ) {
        self.id = id
        self.severity = severity ?? id.defaultSeverity
        self.message = message
        self.range = range
        self.notes = notes
        self.fixIts = fixIts
    }

    /// The stable code printed in brackets, e.g. `unknown-key`.
    public var code: String { id.rawValue }
}

/// Collects the diagnostics of one file in the order they are found.
public struct DiagnosticBag: Sendable {
    public private(set) var diagnostics: [Diagnostic] = []
    public init() {}

    public mutating func emit(_ diagnostic: Diagnostic) { diagnostics.append(diagnostic) }

    public mutating func emit(
        _ id: DiagnosticID, _ message: String, at range: SourceRange,
        notes: [DiagnosticNote] = [], fixIts: [FixIt] = []
    ) {
        diagnostics.append(Diagnostic(id, message, at: range, notes: notes, fixIts: fixIts))
    }

    public mutating func append(contentsOf other: [Diagnostic]) { diagnostics.append(contentsOf: other) }

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
    public var errorCount: Int { diagnostics.count { $0.severity == .error } }
    public var warningCount: Int { diagnostics.count { $0.severity == .warning } }

    /// Diagnostics ordered by position, then by the order they were found (stable).
    public var sorted: [Diagnostic] {
        diagnostics.enumerated().sorted { a, b in
            (a.element.range.lowerBound, a.offset) < (b.element.range.lowerBound, b.offset)
        }.map(\.element)
    }
}

/// A file and the diagnostics found in it: the unit every renderer prints.
public struct FileDiagnostics: Sendable {
    public var file: SourceFile
    public var diagnostics: [Diagnostic]
    public init(file: SourceFile, diagnostics: [Diagnostic]) {
        self.file = file
        self.diagnostics = diagnostics
    }

    /// `--strict`: every warning becomes an error, codes and messages unchanged.
    public func promotingWarnings() -> FileDiagnostics {
        var copy = self
        copy.diagnostics = diagnostics.map { d in
            var d = d
            if d.severity == .warning { d.severity = .error }
            return d
        }
        return copy
    }
}
