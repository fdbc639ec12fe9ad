import ConfigChecker
import ConfigLanguage
import ContainerState
import HostCgroups

/// The code generator of `container exec` (and `plan --exec`): the steps that run a command
/// inside a running container, from the same checked config and host options as its start
/// plan, so the new process gets exactly what init got. Pure: it reads nothing.
///
/// The order follows runc (nsexec.c), crun (join_process) and LXC (attach.c):
/// non-dumpable before anything is joined; the cgroup before the namespaces (so every
/// process the command forks is accounted, limited and killed with the container, and a
/// cgroup namespace is rooted where init's is); the namespaces of a pid verified against the
/// cgroup, through a pidfd; a fork to enter the pid namespace; then init's credentials,
/// bounding set and no_new_privs, and the exec. The launcher is the joining process (as
/// nsenter is): entering the cgroup and the namespaces itself, it forks once, and the command
/// is born in both (runc and crun fork a joining process first: one process more per exec).
public enum ExecPlanGenerator {
    /// The exec plan of `arguments` (CMD ARG…, non-empty) in the container of `config`.
    public static func generate(
        _ config: CheckedConfig, arguments: [String], options: PlanOptions
    ) throws(PlanGenerationError) -> Plan {
        let name: ContainerName
        do { name = try ContainerName(validating: config.name) } catch { throw .invalidName(error) }
        if let shortfall = options.cgroupLayout.shortfall { throw .noUsableCgroup(shortfall) }
        let layout = options.cgroupLayout
        let attach = CgroupPlan.make(for: config, name: name, layout: layout).attach
        var steps: [Step] = [
            Step(
                .launcher,
                .findInit(
                    pidPath: options.stateDirectory.pidPath(name), cgroups: layout.identityCgroups(for: name))),
            Step(.launcher, .makeNonDumpable),
        ]
        steps += attach.map { Step(.launcher, .enterCgroup(cgroup: $0)) }
        steps.append(Step(.launcher, .joinNamespaces(namespaces: config.namespaces)))
        steps.append(Step(.launcher, .forkCommand))
        // init's credentials are uid/gid 0: the host's root, or the user namespace's root
        // (mapped to idMapStart on the host) with `u`.
        steps.append(Step(.`init`, .setCredentials(uid: 0, gid: 0)))
        steps.append(Step(.`init`, .restrictPrivileges(keepCapabilities: ContainerDefaults.keptCapabilities)))
        steps.append(Step(.`init`, .execCommand(arguments: arguments, environment: ContainerDefaults.environment, ptmx: ContainerDefaults.ptmxPath)))
        return Plan(
            container: name.rawValue, configPath: options.configPath,
            configHash: ConfigHash.of(options.configBytes), cgroup: layout.version, steps: steps,
            notes: [])
    }
}
