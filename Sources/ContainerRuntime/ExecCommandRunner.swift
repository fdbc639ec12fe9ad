#if canImport(Glibc)
import Glibc
#endif
import CLinuxShim
import SystemIO
import LaunchPlan

/// The exec plan's last step, in the command's process inside the container: no fd of the
/// host but 0–2, cwd the container's root, the streams, the environment, the exec with a
/// PATH search inside the container (the caller's PATH is never used), and the shell's exit
/// statuses when it cannot: 127 not found, 126 found but not executable.
struct ExecCommandRunner {
    let container: String
    let startedWrite: Int32
    /// `-t`: a pty of the container's devpts (`ExecTerminal`) instead of the caller's stdio.
    let terminal: Bool
    let hostProgram: Int32
    let hooks: StepHooks
    let step: (index: Int, step: Step)

    /// The PATH searched when the environment has none (the plan's environment has one).
    static let defaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

    func exec(_ arguments: [String], planned: [String], ptmx: String, keepCaller: Bool) throws(RuntimeError) -> Never {
        guard let command = arguments.first else { throw .failed("exec", "no command") }
        let mode: StartMode = keepCaller ? .shellKeepEnvironment : (terminal ? .shell : .detached)
        let environment = ForkedProcess.environment(
            planned: planned, mode: mode, caller: keepCaller ? ExecutionOptions.currentEnvironment() : [])
        if terminal { try ExecTerminal.attach(ptmx: ptmx, sendingMasterOver: startedWrite) }
        hooks.record(step.index, step.step)
        try ForkedProcess.closeDescriptors(keeping: [startedWrite, hostProgram].filter { $0 >= 0 })
        guard chdir("/") == 0 else { throw .system("chdir", path: "/") }
        try ForkedProcess.verifyWorkingDirectory()
        guard cls_reset_signals() == 0 else { throw .system("sigprocmask", detail: "reset") }
        var started: UInt8 = 1
        guard write(startedWrite, &started, 1) == 1 else { throw .system("write", detail: "exec status pipe") }
        let (code, shown) = run(command, arguments, environment)
        let (status, reason): (Int32, String) =
            switch code {
            case ENOENT, ENOTDIR: (127, "not found inside the container")
            default: (126, "cannot be executed: " + RuntimeError.describe(errno: code))
            }
        ContainerLog.printError("container: exec: \(container): \(shown): \(reason)")
        _exit(status)
    }

    /// Tries the exec(s); returns the errno that decides the status and the name to show.
    private func run(_ command: String, _ arguments: [String], _ environment: [String]) -> (Int32, String) {
        var argv = arguments
        if hostProgram >= 0 {
            argv[0] = String(command.dropFirst())
            let code: Int32 = withCStrings(argv) { a in
                withCStrings(environment) { e in
                    _ = cls_execveat(hostProgram, "", a, e, CLS_AT_EMPTY_PATH)
                    return errno
                }
            }
            return (code, command + " (sealed copy)")
        }
        let candidates: [String]
        if command.contains("/") {
            candidates = [command]
        } else {
            let path = environment.first { $0.hasPrefix("PATH=") }.map { String($0.dropFirst(5)) } ?? Self.defaultPath
            candidates = path.split(separator: ":", omittingEmptySubsequences: false)
                .map { ($0.isEmpty ? "." : String($0)) + "/" + command }
        }
        // As execvp(3): a candidate that exists but cannot run (EACCES) is remembered; the
        // search goes on, and the first such error is reported when nothing ran.
        var decisive: Int32 = ENOENT
        for candidate in candidates {
            let code: Int32 = withCStrings(argv) { a in
                withCStrings(environment) { e in
                    _ = execve(candidate, a, e)
                    return errno
                }
            }
            if code != ENOENT && code != ENOTDIR && decisive == ENOENT { decisive = code }
            if code != ENOENT && code != ENOTDIR && code != EACCES { return (code, command) }
        }
        return (decisive, command)
    }
}
