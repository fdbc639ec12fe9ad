import ConfigSource
import JSONSupport

/// `--format sarif`: one SARIF 2.1.0 log for the whole run, for code-scanning UIs.
///
/// The run declares `columnKind: unicodeCodePoints` (our columns count Unicode scalars) and a
/// rule for each code that occurs, with its description. Regions use SARIF's own convention,
/// which matches ours: 1-based, `endColumn` exclusive. Notes become `relatedLocations`
///, fix-its become `fixes`.
public struct SARIFDiagnosticRenderer: DiagnosticRenderer {
    public static let schemaURI = "https://json.schemastore.org/sarif-2.1.0.json"

    private var results: [JSONValue] = []
    /// Rule order is first use, so `ruleIndex` is stable for a given input.
    private var ruleIndex: [DiagnosticID: Int] = [:]
    private var rules: [DiagnosticID] = []

    public init() {}

    public mutating func render(_ file: FileDiagnostics, into output: inout String) {
        let uri = Self.uriReference(file.file.path)
        for diagnostic in file.diagnostics {
            let index: Int
            if let known = ruleIndex[diagnostic.id] {
                index = known
            } else {
                index = rules.count
                ruleIndex[diagnostic.id] = index
                rules.append(diagnostic.id)
            }
            var members: [(String, JSONValue)] = [
                ("ruleId", .string(diagnostic.code)),
                ("ruleIndex", .integer(Int64(index))),
                ("level", .string(diagnostic.severity.rawValue)),
                ("message", .object([("text", .string(diagnostic.message))])),
                ("locations", .array([Self.location(uri, diagnostic.range, in: file.file)])),
            ]
            if !diagnostic.notes.isEmpty {
                members.append(
                    (
                        "relatedLocations",
                        .array(
                            diagnostic.notes.enumerated().map { index, note in
                                guard case var .object(location) = Self.location(uri, note.range, in: file.file) else { return .null }
                                location.insert(("id", .integer(Int64(index + 1))), at: 0)
                                location.append(("message", .object([("text", .string(note.message))])))
                                return .object(location)
                            })
                    ))
            }
            if !diagnostic.fixIts.isEmpty {
                members.append(
                    (
                        "fixes",
                        .array(
                            diagnostic.fixIts.map { fixIt in
                                .object([
                                    ("description", .object([("text", .string(fixIt.message))])),
                                    (
                                        "artifactChanges",
                                        .array([
                                            .object([
                                                ("artifactLocation", .object([("uri", .string(uri))])),
                                                (
                                                    "replacements",
                                                    .array([
                                                        .object([
                                                            ("deletedRegion", Self.region(fixIt.range, in: file.file)),
                                                            ("insertedContent", .object([("text", .string(fixIt.replacement))])),
                                                        ])
                                                    ])
                                                ),
                                            ])
                                        ])
                                    ),
                                ])
                            })
                    ))
            }
            results.append(.object(members))
        }
    }

    public mutating func finish(into output: inout String) {
        let driver = JSONValue.object([
            ("name", .string("container")),
            (
                "rules",
                .array(
                    rules.map { id in
                        .object([
                            ("id", .string(id.rawValue)),
                            ("shortDescription", .object([("text", .string(id.ruleDescription))])),
                            ("defaultConfiguration", .object([("level", .string(id.defaultSeverity.rawValue))])),
                        ])
                    })
            ),
        ])
        let log = JSONValue.object([
            ("$schema", .string(Self.schemaURI)),
            ("version", .string("2.1.0")),
            (
                "runs",
                .array([
                    .object([
                        ("tool", .object([("driver", driver)])),
                        ("columnKind", .string("unicodeCodePoints")),
                        ("results", .array(results)),
                    ])
                ])
            ),
        ])
        log.write(to: &output, pretty: true)
        output += "\n"
    }

    private static func location(_ uri: String, _ range: SourceRange, in file: SourceFile) -> JSONValue {
        .object([
            (
                "physicalLocation",
                .object([
                    ("artifactLocation", .object([("uri", .string(uri))])),
                    ("region", region(range, in: file)),
                ])
            )
        ])
    }

    private static func region(_ range: SourceRange, in file: SourceFile) -> JSONValue {
        let place = RenderedRange(range, in: file)
        return .object([
            ("startLine", .integer(Int64(place.line))), ("startColumn", .integer(Int64(place.column))),
            ("endLine", .integer(Int64(place.endLine))), ("endColumn", .integer(Int64(place.endColumn))),
        ])
    }

    /// A path as a URI reference: unreserved characters and `/` kept, everything else
    /// percent-encoded byte by byte (a space, `#`, `%`, non-ASCII).
    public static func uriReference(_ path: String) -> String {
        var result = ""
        let hex = Array("0123456789ABCDEF")
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                result.append("%")
                result.append(hex[Int(byte >> 4)])
                result.append(hex[Int(byte & 0xF)])
            }
        }
        return result
    }
}
