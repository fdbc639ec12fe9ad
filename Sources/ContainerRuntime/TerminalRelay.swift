#if canImport(Glibc)
import Glibc
#endif
import SystemIO
import CLinuxShim

/// The launcher's side of the terminal modes: the console pty's master (init opened it in the
/// container's devpts and handed it over), relayed to the caller's stdin/stdout in raw mode,
/// bytes both ways, window sizes copied on SIGWINCH; one poll loop, no threads. The container
/// never sees the caller's terminal, so it cannot push input into it (TIOCSTI) or change its
/// modes.
struct TerminalRelay {
    let master: Int32

    /// The caller's terminal's size onto the pty, when stdin is a terminal.
    static func copyWindowSize(to master: Int32) {
        var rows: UInt16 = 0, columns: UInt16 = 0
        if isatty(0) == 1, cls_get_winsize(0, &rows, &columns) == 0 { _ = cls_set_winsize(master, rows, columns) }
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
                    Self.copyWindowSize(to: master)
                }
            }
        }
    }
}
