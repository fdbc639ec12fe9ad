#if canImport(Glibc)
import Glibc
#endif
import CLinuxShim

/// The pseudo-terminal of `container exec -t`: allocated by the launcher on the host (the
/// command gets the slave as its controlling terminal; the launcher relays the master to the
/// caller's terminal with `TerminalRelay`). The container never sees the caller's terminal, so
/// it cannot push input into it (TIOCSTI) or change its modes.
///
/// Unlike `start -s`, whose console pty is opened inside the container's own devpts
/// (`setUpConsole`), this pty lives in the host's devpts instance: inside the container the
/// command's stdio is a working terminal, but `tty` cannot name it (its /dev/pts/N is not in
/// the container's devpts). Opening it through the container's `/dev/pts/ptmx` is the next step.
struct PseudoTerminal {
    var master: Int32
    var slave: Int32
    var slavePath: String

    /// Allocates the pair; its size is the caller's terminal's; echo is off when stdin is not
    /// a terminal (the input is a script, not typed: echoing it back would duplicate it).
    static func open() throws(RuntimeError) -> PseudoTerminal {
        var name = [CChar](repeating: 0, count: 128)
        let master = cls_open_pty_master(&name, name.count)
        guard master >= 0 else { throw .system("posix_openpt", path: "/dev/ptmx") }
        let slavePath = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let slave: Int32
        do { slave = try Syscall.open(slavePath, O_RDWR | O_NOCTTY) } catch {
            Syscall.close(master)
            throw error
        }
        if isatty(0) == 1 {
            TerminalRelay.copyWindowSize(to: master)
        } else {
            _ = cls_set_echo(slave, 0)
        }
        return PseudoTerminal(master: master, slave: slave, slavePath: slavePath)
    }
}
