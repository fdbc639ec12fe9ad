import ConfigChecker
import JSONSupport
import LaunchPlan

/// `mounts`: the same tree the native plan builds before pivot_root, in the same order.
enum OCIMounts {
    static func make(_ config: CheckedConfig) -> [JSONValue] {
        var mounts: [JSONValue] = []
        if config.namespaces.contains(.user) && !config.namespaces.contains(.pid) {
            // As in the native plan: a new proc instance needs a pid namespace owned by the
            // user namespace, so without `p` the host's /proc is bound instead.
            mounts.append(mount("/proc", type: "bind", source: "/proc", ["rbind", "nosuid", "nodev", "noexec"]))
        } else {
            mounts.append(mount("/proc", type: "proc", source: "proc", ["nosuid", "nodev", "noexec"]))
        }
        mounts.append(tmpfs("/dev", ContainerDefaults.devTmpfsOptions))
        mounts.append(mount("/dev/pts", type: "devpts", source: "devpts", ContainerDefaults.devptsOptions.split(separator: ",").map(String.init)))
        mounts.append(tmpfs("/dev/shm", ContainerDefaults.shmTmpfsOptions))
        if config.namespaces.contains(.ipc) {
            mounts.append(mount("/dev/mqueue", type: "mqueue", source: "mqueue", ["nosuid", "nodev", "noexec"]))
        }
        mounts.append(tmpfs("/tmp", ContainerDefaults.tmpTmpfsOptions))
        // The host's /sys, read-only all the way down (`rro`: mount_setattr AT_RECURSIVE, as
        // the native bindReadOnlyTree step does).
        mounts.append(mount("/sys", type: "bind", source: "/sys", ["rbind", "rro", "nosuid", "nodev", "noexec"]))
        // The config's mounts last, so that one over /tmp wins (as natively). `rbind` like the
        // native recursive bind; `ro` makes runtimes remount the top mount read-only, which is
        // what the native start does.
        for bind in config.mounts {
            mounts.append(
                mount(
                    bind.destination, type: "bind", source: bind.source,
                    bind.readOnly ? ["rbind", "ro"] : ["rbind"]))
        }
        if config.initProgram.location == .host {
            mounts.append(
                mount(
                    OCISpec.hostInitPath, type: "bind", source: config.initProgram.path,
                    ["bind", "ro", "nosuid", "nodev"]))
        }
        return mounts
    }

    static func tmpfs(_ destination: String, _ options: String) -> JSONValue {
        mount(destination, type: "tmpfs", source: "tmpfs", options.split(separator: ",").map(String.init))
    }

    static func mount(_ destination: String, type: String, source: String, _ options: [String]) -> JSONValue {
        .object([
            ("destination", .string(destination)), ("type", .string(type)), ("source", .string(source)),
            ("options", .array(options.map(JSONValue.string))),
        ])
    }
}
