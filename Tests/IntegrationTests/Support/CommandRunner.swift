import Foundation
import Testing

/// The outcome of one run of a program.
struct RunResult: CustomStringConvertible {
    var status: Int32
    var stdout: String
    var stderr: String
    /// True when the program was still running at the deadline and had to be killed.
    var timedOut: Bool

    var description: String {
        "exit \(status)\(timedOut ? " (timed out)" : "")\n--- stdout\n\(stdout)--- stderr\n\(stderr)"
    }
}

/// Runs programs with their output captured in files, not pipes: a detached container's
/// launcher may leave a process behind that inherited the output, and reading a pipe to its
/// end would then wait for the container.
struct CommandRunner {
    /// Where output files are written.
    let scratchDirectory: URL

    /// Runs `executable` with `arguments`, `stdin` as its standard input (nil: /dev/null),
    /// `environment` added to ours, and `extraDescriptors` (open fds of ours) inherited.
    /// Waits at most `timeout` seconds, then kills it and reports `timedOut`.
    func run(
        _ executable: String, _ arguments: [String], stdin: String? = nil,
        environment: [String: String] = [:], timeout: TimeInterval = 30
    ) throws -> RunResult {
        let process = try start(executable, arguments, stdin: stdin, environment: environment)
        return try process.wait(timeout: timeout)
    }

    /// Starts `executable` and returns without waiting (for concurrent runs).
    func start(
        _ executable: String, _ arguments: [String], stdin: String? = nil,
        environment: [String: String] = [:]
    ) throws -> RunningCommand {
        let id = UUID().uuidString
        let out = scratchDirectory.appendingPathComponent("out-\(id)")
        let err = scratchDirectory.appendingPathComponent("err-\(id)")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        if let stdin {
            let input = scratchDirectory.appendingPathComponent("in-\(id)")
            try Data(stdin.utf8).write(to: input)
            process.standardInput = try FileHandle(forReadingFrom: input)
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        try process.run()
        return RunningCommand(process: process, stdoutFile: out, stderrFile: err)
    }
}

/// A program started by `CommandRunner.start`.
struct RunningCommand {
    let process: Process
    let stdoutFile: URL
    let stderrFile: URL

    /// Waits for the program to exit (at most `timeout` seconds, then SIGKILL).
    func wait(timeout: TimeInterval = 30) throws -> RunResult {
        let exited = eventually(timeout: timeout) { !process.isRunning }
        if !exited {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        let stdout = (try? String(contentsOf: stdoutFile, encoding: .utf8)) ?? ""
        let stderr = (try? String(contentsOf: stderrFile, encoding: .utf8)) ?? ""
        return RunResult(
            status: process.terminationStatus, stdout: stdout, stderr: stderr, timedOut: !exited)
    }
}

/// Polls `condition` until it holds or `timeout` seconds pass; returns whether it held. The
/// short pauses are between checks of a real condition, never a guess at how long to wait.
@discardableResult
func eventually(timeout: TimeInterval = 10, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    var pause: useconds_t = 1_000
    while true {
        if try condition() { return true }
        if Date() >= deadline { return false }
        usleep(pause)
        pause = min(pause * 2, 50_000)
    }
}
