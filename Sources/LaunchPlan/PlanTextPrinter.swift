import ConfigLanguage

/// The readable form of a plan (`container plan`, the default): a header, one numbered line
/// per step with the process and every path and value, then the notes.
///
///     plan for web (cgroup v1)
///     config /containers/configs/web sha256:…
///      1  launcher  lock /containers/locks/web
///     12  init      mount proc at /srv/web/proc
///     note: …
extension Plan {
    public var text: String {
        var lines = [
            "plan for \(container) (cgroup \(cgroup.rawValue), schema \(schemaVersion))",
            "config \(configPath) \(configHash)",
        ]
        let width = String(steps.count).count
        let processWidth = StepProcess.allCases.map(\.rawValue.count).max() ?? 0
        for (index, step) in steps.enumerated() {
            let number = String(index + 1)
            let process = step.process.rawValue
            lines.append(
                String(repeating: " ", count: width - number.count) + number + "  " + process
                    + String(repeating: " ", count: processWidth - process.count) + "  "
                    + step.action.summary)
        }
        lines += notes.map { "note: " + $0 }
        return lines.joined(separator: "\n") + "\n"
    }
}

extension StepAction {
    /// One line saying what the step does, with its paths and values.
    public var summary: String {
        switch self {
        case let .lock(path):
            return "lock \(path) (exclusive, held while the container runs)"
        case let .ensureNotRunning(cgroups):
            return "refuse if running: no process in " + cgroups.joined(separator: ", ")
        case let .createCgroup(path):
            return "create cgroup \(path)"
        case let .writeCgroup(path, value):
            return "write \(quoted(value)) to \(path)"
        case let .attachDeviceFilter(cgroup, rules):
            return "attach the device filter (eBPF BPF_CGROUP_DEVICE) to \(cgroup): "
                + rules.map { "allow " + $0.text }.joined(separator: ", ") + "; deny every other device"
        case .forkChild:
            return "fork the child"
        case let .unshare(namespaces):
            let names = ["mount"] + Namespace.allCases.filter(namespaces.contains).map(\.longName)
            return "unshare namespaces: " + names.joined(separator: " ")
        case let .attachChild(cgroup):
            return "attach the child to \(cgroup) (cgroup.procs)"
        case let .writeIDMap(kind, containerStart, hostStart, count):
            return "write /proc/CHILD/\(kind.rawValue)_map \"\(containerStart) \(hostStart) \(count)\""
        case .resetTimeNamespaceClocks:
            return "reset CLOCK_MONOTONIC and CLOCK_BOOTTIME to 0 (time namespace offsets)"
        case .forkInit:
            return "fork init"
        case .makeMountsPrivate:
            return "make every mount private (MS_REC|MS_PRIVATE on /)"
        case let .bindRootToItself(root):
            return "bind \(root) onto itself"
        case let .mountTmpfs(target, options):
            return "mount tmpfs at \(target) (\(options))"
        case let .mountProc(target):
            return "mount proc at \(target)"
        case let .populateDev(target, nodes, bindFromHost):
            let how = bindFromHost ? "bind from the host" : "mknod"
            let list = nodes.map { "\($0.name) c \($0.major):\($0.minor) \(octal($0.mode))" }
            return "populate \(target) (\(how)): " + list.joined(separator: ", ")
        case let .bindMount(mount):
            let mode = mount.readOnly ? "read-only" : "read-write"
            return "bind \(mount.source) at \(mount.target) (\(mode), on failure \(mount.onFailure.rawValue))"
        case let .protectProc(masked, readOnly):
            return "mask " + masked.joined(separator: " ") + "; read-only " + readOnly.joined(separator: " ")
        case let .pivotRoot(root):
            return "pivot_root into \(root), detach and remove the old root"
        case let .setHostname(hostname):
            return "set hostname \(quoted(hostname))"
        case let .restrictPrivileges(keep):
            return "set no_new_privs, keep capabilities " + keep.map(Capability.name).joined(separator: " ")
        case let .redirectOutput(logPath):
            return "open log \(logPath) (append) for init's stdout and stderr, stdin /dev/null"
        case let .writePidFile(path):
            return "write init's pid to \(path)"
        case let .exec(program, environment):
            let whereFrom =
                program.location == .host
                ? "host path, run from a sealed copy: memfd, F_SEAL_SEAL|F_SEAL_SHRINK|F_SEAL_GROW|F_SEAL_WRITE"
                : "inside the root"
            return "exec \(program.path) (\(whereFrom)) with environment "
                + environment.map(quoted).joined(separator: " ")
        // Exec plan steps.
        case let .findInit(pidPath, cgroups):
            return "find init: the pid in \(pidPath), a pidfd for it, verified to be in "
                + cgroups.joined(separator: ", ") + "; refuse if not running"
        case .makeNonDumpable:
            return "make non-dumpable (PR_SET_DUMPABLE 0), inherited by the command's process"
        case let .enterCgroup(cgroup):
            return "enter \(cgroup) (the launcher's pid to cgroup.procs, before any namespace; the command is born in it)"
        case let .joinNamespaces(namespaces):
            let names = ["mount"] + Namespace.allCases.filter(namespaces.contains).map(\.longName)
            return "join init's namespaces (setns on the pidfd, else /proc/PID/ns, user last): "
                + names.joined(separator: " ")
        case .forkCommand:
            return "fork the command's process (born in the cgroup and the pid namespace); wait for it"
        case let .setCredentials(uid, gid):
            return "set credentials uid \(uid) gid \(gid), no supplementary groups"
        case let .execCommand(arguments, environment, ptmx):
            let whereFrom =
                arguments.first?.hasPrefix("@") == true
                ? "host program, run from a sealed copy" : "searched in the container's PATH"
            return "exec " + arguments.map(quoted).joined(separator: " ")
                + " (\(whereFrom); cwd /, fds 0-2 only; with -t a new pty of the container's \(ptmx) on them,"
                + " its master sent to the launcher) with environment "
                + environment.map(quoted).joined(separator: " ")
        case let .requireBridge(name):
            return "netlink RTM_GETLINK \(name): refuse unless it is a bridge"
        case let .deleteStaleLink(name, owner):
            return "netlink RTM_DELLINK \(name) if a veth of that name with alias \(owner) was left by a killed start"
        case let .createVethPair(hostName, peerName, owner):
            return "netlink RTM_NEWLINK veth \(hostName) alias \(owner), peer \(peerName) in the child's network namespace (IFLA_NET_NS_PID)"
        case let .attachToBridge(link, bridge):
            return "netlink RTM_NEWLINK \(link) master \(bridge)"
        case let .setHostLinkUp(name), let .setLinkUp(name):
            return "netlink RTM_NEWLINK \(name) up"
        case let .addAddress(link, address):
            return "netlink RTM_NEWADDR \(address) on \(link)"
        case let .addDefaultRoute(link, gateway):
            return "netlink RTM_NEWROUTE default via \(gateway) dev \(link)"
        case let .createMountTargets(root, targets):
            let list = targets.map { target in target.path + (target.source.map { " (like \($0))" } ?? "") }
            return "create the missing mount targets inside \(root) (resolved in the root, no symlinks): "
                + list.joined(separator: ", ")
        case let .openRoot(root):
            return "open \(root) (O_PATH, before the id maps take effect)"
        case let .openMountSources(sources):
            return "open the mount sources (O_PATH, before the id maps take effect): " + sources.joined(separator: ", ")
        case let .mountDevpts(target, options, ptmxLink, ptmx):
            return "mount devpts at \(target) (\(options)); symlink \(ptmxLink) -> \(ptmx)"
        case let .mountSysfs(target):
            return "mount sysfs at \(target) (read-only, nosuid,nodev,noexec: the container's network namespace)"
        case let .mountMqueue(target):
            return "mount mqueue at \(target) (nosuid,nodev,noexec)"
        case let .bindReadOnlyTree(source, target):
            return "bind \(source) at \(target) (recursive, every mount read-only)"
        case let .setUpConsole(ptmx, console):
            return "with a terminal: open a pty through \(ptmx), bind its slave at \(console), relay its master"
        case let .prepareIDMappedMount(source, containerStart, hostStart, count, onFailure):
            return "prepare an idmapped copy of \(source) (open_tree, mount_setattr MOUNT_ATTR_IDMAP): on-disk ids "
                + "\(containerStart)…\(UInt64(containerStart) + UInt64(count) - 1) are host ids "
                + "\(hostStart)…\(UInt64(hostStart) + UInt64(count) - 1) (on failure \(onFailure.rawValue))"
        case let .attachIDMappedMount(mount):
            let mode = mount.readOnly ? "read-only" : "read-write"
            return "attach the idmapped copy of \(mount.source) at \(mount.target) (move_mount, \(mode), on failure \(mount.onFailure.rawValue))"
        }
    }

    private func quoted(_ text: String) -> String { "\"" + text + "\"" }
    private func octal(_ mode: UInt32) -> String { "0" + String(mode, radix: 8) }
}
