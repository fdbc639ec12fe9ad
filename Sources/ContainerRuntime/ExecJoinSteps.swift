#if canImport(Glibc)
import Glibc
#endif
import CLinuxShim
import SystemIO
import ConfigLanguage
import LaunchPlan

/// The running container's init, found for `exec`: its pid, verified to be in the
/// container's cgroup after a pidfd and a /proc/PID directory fd were opened for it, so a pid
/// recycled between the pid file's read and the join is never joined (the fds refer to the
/// process that was verified, or fail with ESRCH); and the join of its namespaces.
struct InitProcess {
    var pid: pid_t
    /// pidfd_open(pid), or -1 on a kernel without it (< 5.3).
    var pidfd: Int32
    /// O_DIRECTORY fd of /proc/PID: the fallback source of the namespace fds.
    var procDirectory: Int32

    /// Refuses (not running) unless the pid file names a process of `cgroups`.
    static func find(pidPath: String, cgroups: [String]) throws(RuntimeError) -> InitProcess {
        guard let pid = LifecyclePidFile.read(path: pidPath) else {
            throw RuntimeError(kind: .refused, step: "findInit", path: pidPath, detail: "not running (no valid pid file)")
        }
        let pidfd = cls_pidfd_open(pid)
        if pidfd < 0, errno != ENOSYS { throw RuntimeError(kind: .refused, step: "findInit", detail: "not running (pid \(pid) is gone)") }
        let procDirectory = Glibc.open("/proc/\(pid)", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        let found = InitProcess(pid: pid, pidfd: pidfd, procDirectory: procDirectory)
        guard procDirectory >= 0, Set(LifecycleIO.processes(inSubtreesOf: cgroups)).contains(pid) else {
            found.close()
            throw RuntimeError(kind: .refused, step: "findInit", detail: "not running (pid \(pid) is not in the container's cgroup)")
        }
        return found
    }

    func close() {
        Syscall.close(pidfd)
        Syscall.close(procDirectory)
    }

    /// Joins this process's namespaces: setns(pidfd, every flag) in one call (Linux ≥ 5.8: the
    /// kernel joins the user namespace first and checks the others against its credentials,
    /// atomically); else one setns per /proc/PID/ns file, all opened before any is joined
    /// (joining the mount namespace changes what /proc is), the user namespace last: as the
    /// host's root the others are joined with full privilege, and entering the user namespace
    /// is the step that gives it up. Pid and time namespaces apply to the caller's children.
    func join(_ namespaces: NamespaceSet) throws(RuntimeError) {
        let (flags, names) = ForkedProcess.cloneFlags(namespaces)
        if pidfd >= 0, cls_setns(pidfd, flags) == 0 { return }
        if pidfd >= 0, errno != EINVAL { throw .system("setns", detail: "pidfd of init, \(names)") }
        var files = ["mnt"] + Namespace.allCases.filter { namespaces.contains($0) && $0 != .user }.map(\.longName)  // the /proc/PID/ns file names
        if namespaces.contains(.user) { files.append("user") }
        var descriptors: [Int32] = []
        defer { for descriptor in descriptors { Syscall.close(descriptor) } }
        for file in files {
            let descriptor = openat(procDirectory, "ns/" + file, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { throw .system("open", path: "/proc/\(pid)/ns/\(file)") }
            descriptors.append(descriptor)
        }
        for (file, descriptor) in zip(files, descriptors) where cls_setns(descriptor, 0) != 0 {
            throw .system("setns", path: "/proc/\(pid)/ns/\(file)")
        }
    }
}

/// The command's process of an exec, forked by the launcher inside the container's cgroup and
/// namespaces: it runs its steps of the plan in order and ends in exec or `_exit`, never
/// returning into the caller's code. Errors go to stderr (the caller's, or the pty), named by
/// their step as `container plan --exec` numbers them.
struct ExecCommandProcess {
    let plan: Plan
    let options: ExecOptions
    /// Written one byte just before the command's exec (close-on-exec); with `-t` the pty's
    /// master is sent over it first (a socket).
    let startedWrite: Int32
    let hostProgram: Int32
    let hooks: StepHooks

    func run(from start: Int) -> Never {
        var current = start
        do throws(RuntimeError) {
            // Die with `container exec` before the exec: nothing of it outlives the launcher.
            guard cls_set_pdeathsig(SIGKILL) == 0 else { throw .system("prctl(PR_SET_PDEATHSIG)") }
            for index in start..<plan.steps.count {
                current = index
                let step = plan.steps[index]
                guard step.process == .`init` else {
                    throw .failed("plan", "\(step.action.name) runs in the \(step.process.rawValue), not here")
                }
                try perform(step.action, index: index)
                if case .execCommand = step.action { break }
                hooks.record(index, step, note: "dumpable=\(cls_get_dumpable())")
                // CONTAINERS_STOP_AFTER_STEP=N: the process that ran step N stops itself, so a
                // test can look at it half-way (its Dumpable flag, its namespaces).
                if hooks.stopAfterStep == index + 1 { raise(SIGSTOP) }
            }
            _exit(1)
        } catch {
            let located = error.at(current, plan.steps[current])
            ContainerLog.printError("container: exec: \(plan.container): error: \(located)")
            _exit(1)
        }
    }

    private func perform(_ action: StepAction, index: Int) throws(RuntimeError) {
        switch action {
        case let .setCredentials(uid, gid):
            guard cls_setgroups_empty() == 0 else { throw .system("setgroups", detail: "[]") }
            guard cls_setresgid(gid) == 0 else { throw .system("setresgid", detail: "\(gid)") }
            guard cls_setresuid(uid) == 0 else { throw .system("setresuid", detail: "\(uid)") }
        case let .restrictPrivileges(keep):
            try ForkedProcess.restrictPrivileges(keeping: keep)
        case let .execCommand(arguments, environment, ptmx):
            try ExecCommandRunner(
                container: plan.container, startedWrite: startedWrite, terminal: options.terminal,
                hostProgram: hostProgram, hooks: hooks, step: (index, plan.steps[index])
            ).exec(arguments, planned: environment, ptmx: ptmx, keepCaller: options.keepCallerEnvironment)
        default:
            throw .failed("plan", "\(action.name) cannot run in an exec's command process")
        }
    }
}
