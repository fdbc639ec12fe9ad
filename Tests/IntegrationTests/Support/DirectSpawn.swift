import Foundation

/// Runs a program with posix_spawn and waits with waitpid, without Foundation's `Process`.
///
/// `Process` learns that its child exited through a socket the child inherits: a process that
/// keeps every inherited descriptor (exactly what a runtime without `close_range` does to the
/// container's init) keeps that socket open, and `Process` then waits forever for a child
/// that is long gone. The fd-leak test spawns with this instead, so that a leak makes the
/// test fail rather than hang.
enum DirectSpawn {
    static func run(
        _ executable: String, _ arguments: [String], environment: [String: String],
        scratchDirectory: URL, timeout: TimeInterval = 30
    ) throws -> RunResult {
        let id = UUID().uuidString
        let out = scratchDirectory.appendingPathComponent("out-\(id)").path
        let err = scratchDirectory.appendingPathComponent("err-\(id)").path
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, err, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let variables = ProcessInfo.processInfo.environment.merging(environment) { $1 }.map { "\($0.key)=\($0.value)" }
        var argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        var envp: [UnsafeMutablePointer<CChar>?] = variables.map { strdup($0) } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, &argv, &envp)
        guard spawned == 0 else { throw TestFailure("posix_spawn \(executable): errno \(spawned)") }
        var status: Int32 = 0
        let exited = eventually(timeout: timeout) { waitpid(pid, &status, WNOHANG) == pid }
        if !exited {
            kill(pid, SIGKILL)
            waitpid(pid, &status, 0)
        }
        let signal = status & 0x7F
        return RunResult(
            status: signal == 0 ? (status >> 8) & 0xFF : signal,
            stdout: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "", timedOut: !exited)
    }
}
