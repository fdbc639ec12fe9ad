#if canImport(Glibc)
import Glibc
#endif
import CLinuxShim
import ConfigLanguage
import LaunchPlan

/// init's steps: the dispatch, identity and privileges, stdio and the exec.
extension ForkedProcess {
    mutating func performInitStep(_ action: StepAction, index: Int) throws(RuntimeError) {
        switch action {
        case .makeMountsPrivate:
            try makeMountsPrivate()
        case let .bindRootToItself(path):
            try bindRootToItself(path)
        case let .mountTmpfs(target, options):
            try mountTmpfs(target, options: options)
        case let .mountProc(target):
            try mountProc(target)
        case let .populateDev(target, nodes, bindFromHost):
            try populateDev(target, nodes: nodes, bindFromHost: bindFromHost)
        case let .bindMount(mount):
            try withFailurePolicy(of: mount) { (process: inout Self) throws(RuntimeError) in try process.bindMount(mount) }
        case let .attachIDMappedMount(mount):
            try withFailurePolicy(of: mount) { (process: inout Self) throws(RuntimeError) in try process.attachIDMappedMount(mount) }
        case let .protectProc(masked, readOnly):
            try protectProc(masked: masked, readOnly: readOnly)
        case let .pivotRoot(path):
            try pivotRoot(path)
        case let .setHostname(name):
            let bytes = Array(name.utf8)
            guard cls_sethostname(name, bytes.count) == 0 else { throw .system("sethostname", detail: "'\(name)'") }
        case let .restrictPrivileges(keep):
            try Self.restrictPrivileges(keeping: keep)
        case let .redirectOutput(logPath):
            try connectStandardStreams(logPath: logPath)
        case let .exec(program, environment):
            try exec(program, environment: environment, index: index)
        case let .mountDevpts(target, options, ptmxLink, ptmx):
            try mountDevpts(target, options: options, ptmxLink: ptmxLink, ptmx: ptmx)
        case let .mountMqueue(target):
            try mountMqueue(target)
        case let .mountSysfs(target):
            try mountSysfs(target)
        case let .bindReadOnlyTree(source, target):
            try bindReadOnlyTree(source: source, target: target)
        case let .setUpConsole(ptmx, console):
            try setUpConsole(ptmx: ptmx, console: console)
        default:
            throw .failed("plan", "\(action.name) cannot run in init")
        }
    }

    /// Runs a mount step; with the `warn` policy a failure is sent as a warning and the start
    /// goes on (the seed's rule for `mount`).
    private mutating func withFailurePolicy(of mount: BindMount, _ body: (inout Self) throws(RuntimeError) -> Void) throws(RuntimeError) {
        do throws(RuntimeError) {
            try body(&self)
        } catch {
            guard mount.onFailure == .warn else { throw error }
            channel.send(.warning("\(error) (mount skipped, the start goes on)"))
        }
    }

    /// The program init will exec, after the mode is applied: `-s`/`-se` run the shell.
    func effectiveProgram(_ planned: InitProgram) -> InitProgram {
        options.program(replacing: planned)
    }

    /// Right after the fork. A host program (`@`) is not opened here: the launcher made its
    /// sealed copy before forking (`inherited.hostProgram`), exec'd by fd after pivot_root.
    mutating func prepareInit() throws(RuntimeError) {
        maskSource = try Syscall.open("/dev/null", CLS_O_PATH)
    }

    /// PR_SET_NO_NEW_PRIVS, then the capability bounding set reduced to `keep`.
    static func restrictPrivileges(keeping keep: [UInt32]) throws(RuntimeError) {
        guard cls_set_no_new_privs() == 0 else { throw .system("prctl(PR_SET_NO_NEW_PRIVS)") }
        let lastText = (try? Syscall.readFile("/proc/sys/kernel/cap_last_cap")) ?? "40"
        let last = Int32(lastText.split(separator: "\n").first ?? "40") ?? 40
        let kept = Set(keep.map { Int32(bitPattern: $0) })
        for capability in 0...last where !kept.contains(capability) {
            guard cls_capbset_drop(capability) == 0 || errno == EINVAL else {
                throw .system("prctl(PR_CAPBSET_DROP)", detail: "capability \(capability)")
            }
        }
    }

    /// stdin, stdout, stderr for the mode: /dev/null and the log (detached, foreground), the
    /// container's console pty (shell modes with a terminal), or the caller's own stdio passed
    /// straight through (shell modes without one: a script pipes commands in and reads clean
    /// output). Never closed: dup2 onto them. Detached and shell modes start a new session, so
    /// the caller's terminal signals do not reach the container; the console becomes the
    /// shell's controlling terminal.
    private func connectStandardStreams(logPath: String) throws(RuntimeError) {
        switch options.mode {
        case .detached, .foreground:
            guard inherited.log >= 0 else { throw .failed("open", path: logPath, "the log is not open") }
            if options.mode == .detached, setsid() < 0 { throw .system("setsid") }
            try duplicate(inherited.devNull, onto: 0, what: "/dev/null")
            try duplicate(inherited.log, onto: 1, what: logPath)
            try duplicate(inherited.log, onto: 2, what: logPath)
        case .shell, .shellKeepEnvironment:
            if setsid() < 0 { throw .system("setsid") }
            guard options.attachesTerminal else { return }
            guard consoleSlave >= 0 else { throw .failed("open", path: "/dev/console", "no console pty (setUpConsole did not run)") }
            for stream: Int32 in 0...2 { try duplicate(consoleSlave, onto: stream, what: "/dev/console") }
            guard cls_set_controlling_tty(0) == 0 else { throw .system("ioctl(TIOCSCTTY)", path: "/dev/console") }
        }
    }

    private func duplicate(_ descriptor: Int32, onto stream: Int32, what: String) throws(RuntimeError) {
        guard dup2(descriptor, stream) == stream else { throw .system("dup2", path: what, detail: "onto fd \(stream)") }
    }
}
