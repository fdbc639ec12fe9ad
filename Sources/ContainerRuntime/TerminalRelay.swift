#if canImport(Glibc)
import Glibc
#endif
import SystemIO
import CLinuxShim

/// A pseudo-terminal pair for `-s`/`-se`: the shell gets the slave as its controlling
/// terminal; the launcher relays the master to the caller's stdin/stdout. The container never
/// sees the caller's terminal, so it cannot push input into it (TIOCSTI) or change its modes.
struct PseudoTerminal {
    var master: Int32
    var slave: Int32
    var slavePath: String
}

/// The launcher's side of the shell modes: raw mode on the caller's terminal, bytes both ways,
/// window sizes copied on SIGWINCH; one poll loop, no threads.
struct TerminalRelay {
    let master: Int32

    /// Allocates the pair; its size is the caller's terminal's; echo is off when stdin is not
    /// a terminal (the input is a script, not typed: echoing it back would duplicate it).
    static func openPseudoTerminal() throws(RuntimeError) -> PseudoTerminal {
        var name = [CChar](repeating: 0, count: 128)
        let master = cls_open_pty_master(&name, name.count)
        guard master >= 0 else { throw .system("posix_openpt", path: "/dev/ptmx") }
        let slavePath = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let slave = Glibc.open(slavePath, O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard slave >= 0 else {
            let error = RuntimeError.system("open", path: slavePath)
            Syscall.close(master)
            throw error
        }
        var rows: UInt16 = 0, columns: UInt16 = 0
        if isatty(0) == 1, cls_get_winsize(0, &rows, &columns) == 0 {
            _ = cls_set_winsize(master, rows, columns)
        } else {
            _ = cls_set_echo(slave, 0)
        }
        return PseudoTerminal(master: master, slave: slave, slavePath: slavePath)
    }

    /// Relays until the shell side hangs up (every holder of the slave closed it).
    func relay() {
        let interactive = isatty(0) == 1
        var saved = [UInt8](repeating: 0, count: cls_termios_size())
        let raw = interactive && cls_make_raw(0, &saved) == 0
        defer { if raw { _ = cls_restore_termios(0, saved) } }

        var signalPipe: [Int32] = [-1, -1]
        let watchesSize = interactive && cls_pipe2(&signalPipe, O_CLOEXEC | O_NONBLOCK) == 0
        if watchesSize { _ = cls_signal_to_pipe(SIGWINCH, signalPipe[1]) }
        defer {
            if watchesSize {
                _ = cls_signal_default(SIGWINCH)
                Syscall.close(signalPipe[0])
                Syscall.close(signalPipe[1])
            }
        }

        var stdinOpen = true
        var buffer = [UInt8](repeating: 0, count: 16384)
        while true {
            var fds = [pollfd(fd: master, events: Int16(POLLIN), revents: 0)]
            if stdinOpen { fds.append(pollfd(fd: 0, events: Int16(POLLIN), revents: 0)) }
            if watchesSize { fds.append(pollfd(fd: signalPipe[0], events: Int16(POLLIN), revents: 0)) }
            guard retryingInterrupts({ poll(&fds, nfds_t(fds.count), -1) }) >= 0 else { return }
            for entry in fds where entry.revents != 0 {
                if entry.fd == master {
                    let count = retryingInterrupts { read(master, &buffer, buffer.count) }
                    // EIO: the last holder of the slave closed it, the shell is gone.
                    if count <= 0 { return }
                    Syscall.writeAll(1, Array(buffer[0..<count]))
                } else if entry.fd == 0 {
                    let count = retryingInterrupts { read(0, &buffer, buffer.count) }
                    if count <= 0 {
                        // End of a piped input: ^D at the start of a line is end of file for
                        // the shell on the other side.
                        stdinOpen = false
                        Syscall.writeAll(master, [0x04])
                        continue
                    }
                    Syscall.writeAll(master, Array(buffer[0..<count]))
                } else {
                    var drain = [UInt8](repeating: 0, count: 64)
                    _ = read(signalPipe[0], &drain, drain.count)
                    var rows: UInt16 = 0, columns: UInt16 = 0
                    if cls_get_winsize(0, &rows, &columns) == 0 { _ = cls_set_winsize(master, rows, columns) }
                }
            }
        }
    }
}
