#if canImport(Glibc)
import Glibc
#endif
import CLinuxShim
import LaunchPlan

/// The child and init: the processes the launcher forks. Each runs the plan's steps for its
/// role in order, waits for the baton when a step belongs to the launcher, and ends in exec
/// or `_exit`: it never returns into the caller's code (which may be a test runner).
struct ForkedProcess {
    let plan: Plan
    let options: ExecutionOptions
    var role: StepProcess
    let channel: LaunchChannel
    var inherited: InheritedDescriptors
    let launcherPID: pid_t

    /// init: the container's root once bound onto itself.
    var root: ContainerRoot?
    /// init: O_PATH fd of /dev/null opened in the new mount namespace (a bind mount's source
    /// must belong to the caller's namespace: the launcher's fd would give EINVAL).
    var maskSource: Int32 = -1
    var pivoted = false
    /// child, then init: O_PATH fd of the root opened right after unshare (`openRoot`), until
    /// bindRootToItself binds it.
    var heldRoot: Int32 = -1
    /// child, then init: O_PATH fds of the bind sources opened with the root
    /// (`openMountSources`), by source path.
    var heldSources: [(path: String, descriptor: Int32)] = []
    /// init: the console's pty slave (`setUpConsole`), init's stdio in the terminal modes.
    var consoleSlave: Int32 = -1

    init(plan: Plan, options: ExecutionOptions, role: StepProcess, channel: LaunchChannel, inherited: InheritedDescriptors, launcherPID: pid_t) {
        self.plan = plan
        self.options = options
        self.role = role
        self.channel = channel
        self.inherited = inherited
        self.launcherPID = launcherPID
    }

    mutating func run(from start: Int) -> Never {
        // The step being run, to name it in a failure.
        var current: Int?
        do throws(RuntimeError) {
            // The child dies with the launcher (re-checked: the launcher may already be gone).
            guard cls_set_pdeathsig(SIGKILL) == 0 else { throw .system("prctl(PR_SET_PDEATHSIG)") }
            if getppid() != launcherPID { _exit(1) }
            var index = start
            while index < plan.steps.count {
                let step = plan.steps[index]
                current = nil
                guard step.process == role else {
                    let resume = waitForBaton()
                    try adoptMappedIdentity(after: plan.steps[index..<resume])
                    index = resume
                    continue
                }
                let next = index + 1
                current = index
                if case .forkInit = step.action {
                    // Only init comes back from forkInit; it holds the baton for `next`, or
                    // waits for it when the child handed it to the launcher.
                    try forkInit(next: next, step: step, index: index)
                    index = next
                    continue
                }
                try perform(step.action, index: index)
                inherited.hooks.record(index, step)
                if next < plan.steps.count, plan.steps[next].process != role {
                    guard channel.send(.baton(next)) else { _exit(1) }
                }
                index = next
            }
            _exit(0)
        } catch {
            let located = current.map { error.at($0, plan.steps[$0]) } ?? error
            channel.send(.failure(located.description))
            _exit(1)
        }
    }

    /// Blocks until the launcher hands the baton back; exits when the launcher is gone.
    private func waitForBaton() -> Int {
        guard case let .baton(index)? = channel.receive() else { _exit(1) }
        return index
    }

    /// The launcher wrote the id maps: take container id 0 (root of the new user namespace),
    /// so that files created in the namespace have an owner and exec keeps the capabilities.
    private func adoptMappedIdentity(after launcherSteps: ArraySlice<Step>) throws(RuntimeError) {
        var gid: UInt32?, uid: UInt32?
        for step in launcherSteps {
            guard case let .writeIDMap(kind, containerStart, _, count) = step.action,
                containerStart == 0, count > 0
            else { continue }
            if kind == .gid { gid = 0 } else { uid = 0 }
        }
        if let gid {
            guard cls_setgroups_empty() == 0 else { throw .system("setgroups", detail: "[]") }
            guard cls_setresgid(gid) == 0 else { throw .system("setresgid", detail: "\(gid)") }
        }
        if let uid {
            guard cls_setresuid(uid) == 0 else { throw .system("setresuid", detail: "\(uid)") }
        }
        // Changing the uid cleared the dumpable flag, which makes /proc/self/* owned by the
        // host's root: the process could no longer write its own timens_offsets.
        if gid != nil || uid != nil, cls_set_dumpable(1) != 0 { throw .system("prctl(PR_SET_DUMPABLE)") }
        // The kernel also cleared the parent-death signal (it does on any euid/egid change):
        // arm it again, and re-check that the launcher is still there.
        if gid != nil || uid != nil {
            guard cls_set_pdeathsig(SIGKILL) == 0 else { throw .system("prctl(PR_SET_PDEATHSIG)") }
            if getppid() != launcherPID { _exit(1) }
        }
    }

    private mutating func perform(_ action: StepAction, index: Int) throws(RuntimeError) {
        switch role {
        case .child: try performChildStep(action)
        case .`init`: try performInitStep(action, index: index)
        case .launcher: throw .failed("plan", "launcher step in a forked process")
        }
    }

    /// The child forks init. In the child this sends init's pid to the launcher, hands the
    /// baton on if the launcher is next, releases init and exits; in init it returns once
    /// released.
    private mutating func forkInit(next: Int, step: Step, index: Int) throws(RuntimeError) {
        var release: [Int32] = [-1, -1]
        guard cls_pipe2(&release, O_CLOEXEC) == 0 else { throw .system("pipe2") }
        let pid = cls_fork()
        if pid < 0 { throw .system("fork", detail: "init") }
        if pid == 0 {
            Syscall.close(release[1])
            var byte: UInt8 = 0
            let got = read(release[0], &byte, 1)
            Syscall.close(release[0])
            guard got == 1 else { _exit(1) }
            role = .`init`
            try prepareInit()
            return
        }
        Syscall.close(release[0])
        inherited.hooks.record(index, step)
        channel.send(.initPID(pid))
        if next < plan.steps.count, plan.steps[next].process == .launcher { channel.send(.baton(next)) }
        var byte: UInt8 = 1
        _ = write(release[1], &byte, 1)
        _exit(0)
    }
}
