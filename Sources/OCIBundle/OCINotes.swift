import ConfigChecker
import ConfigLanguage

/// What the native start does that config.json cannot say, or says differently. Each note is
/// one sentence naming the key and what a user of the bundle gets instead.
enum OCINotes {
    static func general(_ config: CheckedConfig) -> [String] {
        var notes = [
            "init's output goes to the OCI runtime's standard output and error, not to logs/\(config.name), "
                + "and no pids/\(config.name) or lock is written: the runtime keeps its own state "
                + "(`crun state`, `runc state`, `ctr task ls`)"
        ]
        if config.namespaces.contains(.time) { notes.append(timeNamespace) }
        if config.initProgram.location == .host {
            notes.append(
                "init @\(config.initProgram.path) is a host program: the bundle bind-mounts it read-only at "
                    + "\(OCISpec.hostInitPath) and runs it from there (the runtime creates that empty file "
                    + "in the root if it is missing; the native start execs it by descriptor and creates nothing)")
        }
        if config.namespaces.contains(.user) && !config.namespaces.contains(.pid) {
            notes.append(
                "namespaces has u without p: /proc is the host's /proc bound recursively, as natively "
                    + "(a new proc instance needs a pid namespace owned by the user namespace)")
        }
        if config.usesIDMappedMounts { notes.append(idmappedMounts) }
        if config.mounts.contains(where: { !$0.readOnly }) {
            notes.append(
                "mount: the native start warns and goes on when a read-write bind fails (the seed's "
                    + "behaviour); OCI runtimes refuse to start the container instead")
        }
        if config.netClassID != nil {
            notes.append(
                "net_classid: network.classID needs the v1 net_cls controller; on a cgroup v2 host "
                    + "runtimes have nowhere to write it (as natively, where the plan says so)")
        }
        if config.stopSignal != CheckedConfig.defaultStopSignal {
            notes.append(
                "stop_signal: config.json has no stop signal (an image config's StopSignal does); "
                    + "stop the container with `crun kill NAME \(config.stopSignal)` / `runc kill NAME \(config.stopSignal)` "
                    + "before `delete --force`")
        }
        if config.namespaces.contains(.net) {
            notes.append(network(config))
        }
        return notes
    }

    /// The OCI runtimes bring `lo` up in a new network namespace themselves; a veth on a
    /// bridge is a hook's job (CNI), which the bundle does not write.
    static func network(_ config: CheckedConfig) -> String {
        guard let bridge = config.netBridge else {
            return "namespaces has n: the bundle has a network namespace; the runtime brings lo up "
                + "(crun and runc do), as natively"
        }
        return "net_bridge \(bridge): the bundle has a network namespace but no veth on the bridge; an OCI "
            + "runtime leaves interfaces to hooks (CNI): create the pair, move it in as eth0 with "
            + (config.netAddress.map { "\($0)" } ?? "no address")
            + (config.netGateway.map { " and a default route via \($0)" } ?? "")
            + " from a createRuntime hook (the native start does it over netlink)"
    }
    /// id_map_mode=idmap (the default with `u`): runtime-spec has no idmapped root, and the
    /// per-mount uidMappings/gidMappings of 1.1 are not implemented by runc 1.1 (nor validated
    /// by the 1.0.2 schema the tests check against), so the bundle binds plainly and says so.
    static let idmappedMounts =
        "id_map_mode=idmap: the native start mounts the root and the mount sources idmapped (on-disk ids "
        + "0…65535 are the container's); the bundle binds them plainly, as runtime-spec has no idmapped root, "
        + "so under an OCI runtime files show as nobody unless owned by the id_map_start range "
        + "(chown the root to the range, as for id_map_mode=none)"

    /// The native start resets CLOCK_MONOTONIC and CLOCK_BOOTTIME to 0 when init starts;
    /// `timeOffsets` are fixed numbers written in the bundle, and a negative offset taken when
    /// the bundle is written would make the kernel refuse it (ERANGE) after the host reboots.
    static let timeNamespace =
        "namespaces has t: the bundle has a time namespace with timeOffsets 0, so uptime inside is the "
        + "host's; the native start resets it to 0 at each start, which static offsets cannot express "
        + "(set timeOffsets to minus the host's uptime just before `run` for the same effect)"
}
