import ConfigSource
import Diagnostics

extension ValueParsers {
    /// The Linux signal names (x86-64 and arm64 numbering), without the `SIG` prefix.
    static let signalNumbers: [(name: String, number: Int32)] = [
        ("HUP", 1), ("INT", 2), ("QUIT", 3), ("ILL", 4), ("TRAP", 5), ("ABRT", 6), ("IOT", 6),
        ("BUS", 7), ("FPE", 8), ("KILL", 9), ("USR1", 10), ("SEGV", 11), ("USR2", 12),
        ("PIPE", 13), ("ALRM", 14), ("TERM", 15), ("STKFLT", 16), ("CHLD", 17), ("CONT", 18),
        ("STOP", 19), ("TSTP", 20), ("TTIN", 21), ("TTOU", 22), ("URG", 23), ("XCPU", 24),
        ("XFSZ", 25), ("VTALRM", 26), ("PROF", 27), ("WINCH", 28), ("IO", 29), ("POLL", 29),
        ("PWR", 30), ("SYS", 31), ("RTMIN", 34), ("RTMAX", 64),
    ]

    /// `stop_signal` (language.md §8): `SIGTERM`, `TERM`, `SIGRTMIN+3`, `SIGRTMAX-2` in any
    /// case, or a number 1…64. Anything else is `invalid-signal` at the value, with the
    /// closest name as a did-you-mean.
    static func signal(_ text: ValueText, name: String, into bag: inout DiagnosticBag) -> Int32? {
        let written = text.string
        if !written.isEmpty, written.utf8.allSatisfy(isDigit) {
            if written.count <= 2, let number = Int32(written), (1...64).contains(number) { return number }
            bag.emit(.invalidSignal(name, text: written, suggestion: nil, at: text.sourceRange))
            return nil
        }
        if let number = signalNumber(named: written) { return number }
        let candidates = signalNumbers.map { "SIG" + $0.name } + ["SIGRTMIN+3"]
        let typed = written.uppercased().hasPrefix("SIG") ? written : "SIG" + written
        bag.emit(
            .invalidSignal(
                name, text: written,
                suggestion: KeySuggestion.closest(to: typed, among: candidates.map { $0.lowercased() })
                    .map { $0.uppercased() },
                at: text.sourceRange))
        return nil
    }

    /// The number of a signal name (`SIG` optional, any case, `RTMIN+N` / `RTMAX-N` within
    /// 34…64), or nil.
    static func signalNumber(named written: String) -> Int32? {
        var upper = Substring(written.uppercased())
        if upper.hasPrefix("SIG") { upper = upper.dropFirst(3) }
        for (base, sign) in [("RTMIN+", Int32(1)), ("RTMAX-", Int32(-1))] where upper.hasPrefix(base) {
            let offset = upper.dropFirst(base.count)
            guard !offset.isEmpty, offset.count <= 2, offset.utf8.allSatisfy(isDigit), let value = Int32(offset) else { return nil }
            let number = (sign > 0 ? 34 : 64) + sign * value
            return (34...64).contains(number) ? number : nil
        }
        return signalNumbers.first { $0.name == upper }?.number
    }
}
