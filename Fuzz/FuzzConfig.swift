import ConfigChecker
import ConfigLanguage
import ConfigSource
import Diagnostics
import JSONSupport

/// libFuzzer entry point: parse + check (without the filesystem) + every renderer.
///
/// The first input byte picks the form: even = KEY=VALUE (`web`), odd = YAML (`web.yaml`); the
/// rest is the file. Besides "never trap", it checks invariants every stage promises:
/// diagnostic ranges lie inside the file, a checked model exists exactly when there is no
/// error, and the JSON renderer's output is valid JSON.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfig(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data, size > 0 else { return 0 }
    let input = UnsafeBufferPointer(start: data, count: size)
    let path = input[0] & 1 == 0 ? "configs/web" : "configs/web.yaml"
    let file = SourceFile(path: path, bytes: Array(input.dropFirst()))

    let parsed = ConfigParser.parse(file)
    let result = ConfigChecker.check(parsed, name: "web", options: CheckOptions(useFilesystem: false))
    for diagnostic in result.diagnostics {
        let ranges = [diagnostic.range] + diagnostic.notes.map(\.range) + diagnostic.fixIts.map(\.range)
        for range in ranges {
            precondition(range.lowerBound >= 0 && range.upperBound <= file.bytes.count,
                         "\(diagnostic.code): range \(range) outside a file of \(file.bytes.count) bytes")
        }
    }
    let hasErrors = result.diagnostics.contains { $0.severity == .error }
    precondition(hasErrors == (result.checked == nil), "checked model present iff no error")

    let diagnostics = FileDiagnostics(file: file, diagnostics: result.diagnostics)
    for format in DiagnosticFormat.allCases {
        var renderer = format.makeRenderer(color: true)
        let output = renderer.renderAll([diagnostics])
        if format == .json || format == .sarif {
            do { _ = try JSONValue.parse(Array(output.utf8)) } catch { preconditionFailure("\(format) output is not JSON: \(error)") }
        }
    }
    return 0
}
