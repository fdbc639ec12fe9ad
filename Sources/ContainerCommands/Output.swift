#if canImport(Glibc)
import Glibc
#endif
import SystemIO
import ArgumentParser
import ContainerEngine
import Diagnostics

/// Where commands write: stdout stays machine-readable, everything else goes to stderr.

/// Prints a file's diagnostics on stderr as text (colour only on a terminal, never with
/// `NO_COLOR`); nothing when there are none.
func printDiagnostics(_ diagnostics: FileDiagnostics?) {
    guard let diagnostics, !diagnostics.diagnostics.isEmpty else { return }
    let color = isatty(STDERR_FILENO) == 1 && getenv("NO_COLOR") == nil
    var renderer = TextDiagnosticRenderer(color: color)
    writeStandardError(renderer.renderAll([diagnostics]))
}

/// Prints a compile's diagnostics and its failure (`container COMMAND: …`) on stderr, then exits
/// with the failure's status.
func fail(_ failure: CompileFailure, command: String) throws -> Never {
    printDiagnostics(failure.diagnostics)
    writeStandardError("container \(command): \(failure.error)\n")
    throw ExitCode(failure.error.exitStatus)
}

/// Prints `container: MESSAGE` on stderr (the lifecycle commands' form).
func printLifecycleError(_ message: String) {
    writeStandardError("container: \(message)\n")
}

func writeStandardError(_ text: String) { writeAll(STDERR_FILENO, text) }

/// Writes all of `text`; a closed pipe ends the output quietly.
func writeAll(_ descriptor: Int32, _ text: String) {
    try? FileDescriptor(rawValue: descriptor).writeAll(text)
}
