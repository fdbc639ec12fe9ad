#if canImport(Glibc)
import Glibc
#endif
import SystemIO
import CLinuxShim
import LaunchPlan

/// init's steps for terminals, /sys and POSIX message queues: every target resolved inside the
/// root, every mount made through the resolved fd.
extension ForkedProcess {
    /// A devpts instance of the container's own at `target`, then `ptmxLink` → `ptmx`.
    func mountDevpts(_ target: String, options: String, ptmxLink: String, ptmx: String) throws(RuntimeError) {
        let root = try requireRoot("mountDevpts")
        let (flags, data) = MountOptions.parse(options)
        try mountFresh("devpts", at: target, flags: flags, data: data)
        let (parent, name) = Syscall.split(ptmxLink)
        let directory = try root.openDirectory(parent)
        defer { Syscall.close(directory) }
        guard symlinkat(ptmx, directory, name) == 0 else {
            throw .system("symlink", path: root.display(ptmxLink), detail: "-> \(ptmx)")
        }
    }

    /// The mqueue filesystem of the container's IPC namespace.
    func mountMqueue(_ target: String) throws(RuntimeError) {
        try mountFresh("mqueue", at: target, flags: CLS_MS_NOSUID | CLS_MS_NODEV | CLS_MS_NOEXEC)
    }

    /// A fresh sysfs of the container's network namespace, read-only.
    func mountSysfs(_ target: String) throws(RuntimeError) {
        try mountFresh("sysfs", at: target, flags: CLS_MS_RDONLY | CLS_MS_NOSUID | CLS_MS_NODEV | CLS_MS_NOEXEC)
    }

    /// A detached recursive copy of `source`, made read-only mount by mount before it is
    /// attached: no moment exists in which the container's tree has a writable /sys (or a
    /// writable cgroup filesystem below it).
    func bindReadOnlyTree(source: String, target: String) throws(RuntimeError) {
        let root = try requireRoot("bindReadOnlyTree")
        let display = root.display(target)
        let opened = try Syscall.open(source, CLS_O_PATH | O_DIRECTORY, step: "open bind source")
        defer { Syscall.close(opened) }
        let tree = try system { () throws(SystemError) in try MountTree.clone("", in: opened, displayPath: source) }
        defer { tree.close() }
        try system { () throws(SystemError) in try MountTree.makeReadOnly(tree, displayPath: source) }
        let destination = try root.openTarget(target, creating: .directory)
        defer { Syscall.close(destination) }
        try system { () throws(SystemError) in try MountTree.attach(tree, onto: destination, displayPath: display) }
    }

    /// With a terminal: a new pty of the container's devpts (so `tty` says /dev/pts/N inside),
    /// its slave bound onto /dev/console and kept for init's stdio, its master handed to the
    /// launcher over the channel. The slave is opened through the master (TIOCGPTPEER), never by
    /// a path the container could have replaced.
    mutating func setUpConsole(ptmx: String, console: String) throws(RuntimeError) {
        guard options.attachesTerminal else { return }
        let root = try requireRoot("setUpConsole")
        let master = try root.open(ptmx, flags: O_RDWR | O_NOCTTY)
        defer { Syscall.close(master) }
        guard cls_unlock_pty(master) == 0 else { throw .system("ioctl(TIOCSPTLCK)", path: root.display(ptmx)) }
        let slave = cls_open_pty_peer(master)
        guard slave >= 0 else { throw .system("ioctl(TIOCGPTPEER)", path: root.display(ptmx)) }
        consoleSlave = slave
        let target = try root.openTarget(console, creating: .file)
        defer { Syscall.close(target) }
        try Syscall.mount(
            Syscall.fdPath(slave), Syscall.fdPath(target), type: nil, flags: CLS_MS_BIND, data: nil, displayTarget: root.display(console),
            step: "mount --bind the console")
        guard channel.send(.console(Int(cls_pty_number(master)))), cls_send_fd(channel.descriptor, master) == 0 else {
            throw .system("sendmsg", detail: "the console's master to the launcher")
        }
    }
}
