import ConfigSource
import Diagnostics

extension ValueParsers {
    /// `id_map_mode`: `idmap` or `none` (language.md §12). Anything else is
    /// `invalid-id-map-mode` over the value, with a fix-it when it is a near miss (`IDMAP`).
    static func idMapMode(_ text: ValueText, name: String, into bag: inout DiagnosticBag) -> IDMapMode? {
        if let mode = IDMapMode(rawValue: text.string) { return mode }
        let choices = IDMapMode.allCases.map(\.rawValue)
        let suggestion = KeySuggestion.closest(to: text.string, among: choices)
        bag.emit(.invalidIDMapMode(name, text: text.string, choices: choices, suggestion: suggestion, at: text.sourceRange))
        return nil
    }

    /// The per-mount opt-out of the id map: a mount value may end in `:noidmap`.
    static let noIDMapSuffix = ":noidmap"
}
