#if canImport(Glibc)
import Glibc
#endif
import CLinuxShim
import ConfigLanguage
import LaunchPlan

/// The last step of init: clean descriptors, a verified cwd, the environment, the exec.
extension ForkedProcess {
    /// Closes every fd ≥ 3 but the channel (close-on-exec: its end of file tells the launcher
    /// the exec succeeded) and a host program's sealed copy (close-on-exec too; see
    /// `SealedHostProgram`), chdir("/") and verifies
    /// it (a leaked directory fd must not leave the cwd outside the root, CVE-2024-21626), builds
    /// the environment and execs. A failure is reported to the launcher with its errno.
    mutating func exec(_ planned: InitProgram, environment: [String], index: Int) throws(RuntimeError) {
        let program = effectiveProgram(planned)
        let hostProgram = inherited.hostProgram
        try Self.closeDescriptors(keeping: [channel.descriptor, hostProgram, inherited.hooks.traceDescriptor].filter { $0 >= 0 })
        guard chdir("/") == 0 else { throw .system("chdir", path: "/") }
        try Self.verifyWorkingDirectory()
        let variables = Self.environment(planned: environment, mode: options.mode, caller: options.callerEnvironment)
        let arguments = [program.path]
        // init starts with no blocked and no ignored signal, whatever the caller had (a
        // blocked or ignored SIGTERM would make `container stop` wait for nothing).
        guard cls_reset_signals() == 0 else { throw .system("sigprocmask", detail: "reset") }
        channel.send(.execNext(index))
        inherited.hooks.record(index, Step(.`init`, .exec(program: planned, environment: environment)))
        let code: Int32 = withCStrings(arguments) { argv in
            withCStrings(variables) { envp in
                if hostProgram >= 0 {
                    _ = cls_execveat(hostProgram, "", argv, envp, CLS_AT_EMPTY_PATH)
                } else {
                    _ = execve(program.path, argv, envp)
                }
                return errno
            }
        }
        let shown = program.location == .host ? "@" + program.path : program.path
        throw .system(hostProgram >= 0 ? "execveat" : "execve", path: shown, detail: hostProgram >= 0 ? "(sealed copy)" : nil, errno: code)
    }

    static func closeDescriptors(keeping keep: [Int32]) throws(RuntimeError) {
        var first: UInt32 = 3
        for descriptor in keep.sorted() where descriptor >= 3 {
            if UInt32(descriptor) > first, cls_close_range(first, UInt32(descriptor) - 1, 0) != 0 {
                throw .system("close_range", detail: "\(first)-\(descriptor - 1)")
            }
            first = UInt32(descriptor) + 1
        }
        guard cls_close_range(first, UInt32.max, 0) == 0 else { throw .system("close_range", detail: "\(first)-max") }
    }

    /// The cwd must be the root of the container: "/" by name and the same inode as "/".
    static func verifyWorkingDirectory() throws(RuntimeError) {
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getcwd(&buffer, buffer.count) != nil else { throw .system("getcwd") }
        let cwd = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var here = stat(), top = stat()
        guard stat(".", &here) == 0, stat("/", &top) == 0 else { throw .system("stat", path: "/") }
        guard cwd == "/", here.st_dev == top.st_dev, here.st_ino == top.st_ino else {
            throw .failed("chdir", path: "/", "the working directory is \(cwd), not the container's root")
        }
    }

    /// The environment init gets: the plan's (PATH, TERM, HOME…) in the detached and
    /// foreground modes and for `-s` (whose TERM comes from the caller, to match the terminal
    /// it is relayed to); the caller's for `-se`, with the plan's values for missing names.
    static func environment(planned: [String], mode: StartMode, caller: [String]) -> [String] {
        func name(_ entry: String) -> Substring { entry.split(separator: "=", maxSplits: 1).first ?? "" }
        switch mode {
        case .detached, .foreground:
            return planned
        case .shell:
            var result = planned
            if let term = getenv("TERM") {
                result.removeAll { name($0) == "TERM" }
                result.append("TERM=" + String(cString: term))
            }
            return result
        case .shellKeepEnvironment:
            let present = Set(caller.map(name))
            return caller + planned.filter { !present.contains(name($0)) }
        }
    }
}

/// Calls `body` with a NULL-terminated C array of the strings.
func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> R) -> R {
    var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
    pointers.append(nil)
    defer { for pointer in pointers { free(pointer) } }
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}
