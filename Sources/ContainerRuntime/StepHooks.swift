#if canImport(Glibc)
import Glibc
#endif
import SystemIO
import LaunchPlan

/// Two hooks read from the launcher's environment, for tests and debugging; without the
/// variables they do nothing.
///
/// * `CONTAINERS_TRACE_STEPS=FILE`: one line per executed step is appended to FILE,
///   `INDEX PROCESS ACTION` (INDEX counts from 1, as `container plan` numbers the steps;
///   ACTION is the JSON action name). Each process writes the lines of the steps it runs to
///   the same open file description (opened by the launcher with `O_APPEND` before the fork,
///   inherited, close-on-exec), right after the step succeeded; `exec`'s line is written just
///   before `execve`. A failed step has no line.
/// * `CONTAINERS_FAULT_AFTER_STEP=N` (test hook): the launcher SIGKILLs itself as soon as it
///   knows step N has completed: right after its own step N, or, for a step of the child or
///   init, when it next gets control (the baton back, or init's exec confirmed). It simulates
///   a launcher killed at that point (OOM killer, `kill -9`, power cut of the supervisor).
/// * `CONTAINERS_STOP_AFTER_STEP=N` (test hook): at the same point the launcher stops itself
///   (SIGSTOP) until it gets SIGCONT, so a test can act while a start is half-way (a second
///   start while the first holds the lock with fresh, still empty cgroups).
struct StepHooks {
    /// The trace file, or -1.
    var traceDescriptor: Int32 = -1
    /// 1-based index of the step after which the launcher kills itself.
    var faultAfterStep: Int?
    /// 1-based index of the step after which the launcher stops itself once.
    var stopAfterStep: Int?

    /// The hooks the launcher's environment asks for. The trace file is opened now (a path
    /// of the host, before any namespace change); an unopenable trace file is ignored.
    static func fromEnvironment() -> StepHooks {
        var hooks = StepHooks()
        if let path = getenv("CONTAINERS_TRACE_STEPS"), path.pointee != 0 {
            let file = try? FileDescriptor.open(String(cString: path), O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW, mode: 0o600)
            hooks.traceDescriptor = file?.rawValue ?? -1
        }
        func step(_ variable: String) -> Int? {
            guard let text = getenv(variable), let step = Int(String(cString: text)), step > 0 else { return nil }
            return step
        }
        hooks.faultAfterStep = step("CONTAINERS_FAULT_AFTER_STEP")
        hooks.stopAfterStep = step("CONTAINERS_STOP_AFTER_STEP")
        return hooks
    }

    /// Appends `INDEX PROCESS ACTION` for the step at `index` (0-based in the plan).
    /// The exec plan's launcher and command add `dumpable=N` (PR_GET_DUMPABLE after the step),
    /// evaluated only when there is a trace.
    func record(_ index: Int, _ step: Step, note: @autoclosure () -> String? = nil) {
        guard traceDescriptor >= 0 else { return }
        let line = "\(index + 1) \(step.process.rawValue) \(step.action.name)" + (note().map { " " + $0 } ?? "")
        Syscall.writeAll(traceDescriptor, Array((line + "\n").utf8))
    }

    /// The launcher's fault and stop points: `completed` steps (a count) are done.
    mutating func launcherReached(completed: Int) {
        if let stop = stopAfterStep, completed >= stop {
            stopAfterStep = nil
            kill(getpid(), SIGSTOP)
        }
        guard let faultAfterStep, completed >= faultAfterStep else { return }
        kill(getpid(), SIGKILL)
    }

    mutating func close() {
        Syscall.close(traceDescriptor)
        traceDescriptor = -1
    }
}
