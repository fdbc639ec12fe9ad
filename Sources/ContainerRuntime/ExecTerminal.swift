#if canImport(Glibc)
import Glibc
#endif
import CLinuxShim

/// The pseudo-terminal of `container exec -t`, opened by the command's process inside the
/// container (after it joined the mount namespace and took the container's credentials), like
/// the console of `start -s` (`setUpConsole`): a new pty of the container's own devpts, so
/// `tty` names it (/dev/pts/N inside). The slave becomes the command's controlling terminal and
/// stdio; the master goes to the launcher over the exec's status socket, which relays it to the
/// caller's terminal with `TerminalRelay`. The container never sees the caller's terminal, so
/// it cannot push input into it (TIOCSTI) or change its modes.
enum ExecTerminal {
    /// Opens a pty through `ptmx` (the plan's: after setns into the mount namespace the
    /// process's root is the container's, so the absolute path is resolved inside it), sends its master over `socket` (then closes it here), and
    /// makes its slave the controlling terminal and fds 0–2 of this process. The size is the
    /// caller's terminal's (still fd 0 here, so it is set before CMD runs); echo is off when stdin
    /// is not a terminal (the input is a script, not typed: echoing it back would duplicate it).
    static func attach(ptmx: String, sendingMasterOver socket: Int32) throws(RuntimeError) {
        let master = try Syscall.open(ptmx, O_RDWR | O_NOCTTY, step: "open the exec's pty")
        defer { Syscall.close(master) }
        // Both ioctls fail on anything but a pty master (the container cannot remount its
        // /dev/pts without CAP_SYS_ADMIN, but nothing but a master is used either way).
        guard cls_unlock_pty(master) == 0 else { throw .system("ioctl(TIOCSPTLCK)", path: ptmx) }
        let slave = cls_open_pty_peer(master)
        guard slave >= 0 else { throw .system("ioctl(TIOCGPTPEER)", path: ptmx) }
        defer { Syscall.close(slave) }
        let slavePath = "/dev/pts/\(cls_pty_number(master))"
        if isatty(0) == 1 {
            TerminalRelay.copyWindowSize(to: master)
        } else {
            _ = cls_set_echo(slave, 0)
        }
        guard cls_send_fd(socket, master) == 0 else { throw .system("sendmsg", detail: "the exec's pty master to the launcher") }
        if setsid() < 0 { throw .system("setsid") }
        for stream: Int32 in 0...2 where dup2(slave, stream) != stream {
            throw .system("dup2", path: slavePath, detail: "onto fd \(stream)")
        }
        guard cls_set_controlling_tty(0) == 0 else { throw .system("ioctl(TIOCSCTTY)", path: slavePath) }
    }
}
