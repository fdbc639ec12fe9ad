import ConfigChecker
import ContainerState
import HostCgroups

#if canImport(Glibc)
import Glibc
#endif

extension PlanOptions {
    /// The options for a plan of `host`, as `plan` and `start` need them (the engine builds
    /// them here): the cgroups of the host (the one probe, `CgroupProbe.probeHost()`, or a host
    /// assumed by `plan --cgroup`) under `parent` (validated, see
    /// `CgroupLayout.parentFromEnvironment`), the state directory and config path made absolute
    /// (a plan holds only absolute paths; `--path rel` is relative to the cwd), and the
    /// device-filter opt-out from `$CONTAINERS_ALLOW_UNFILTERED_DEVICES` (exactly `1`).
    public static func forHost(
        _ host: HostCgroups, parent: String, stateDirectory: StateDirectory, configPath: String, configBytes: [UInt8]
    ) -> PlanOptions {
        PlanOptions(
            cgroupLayout: CgroupLayout(host: host, parent: parent),
            stateDirectory: StateDirectory(path: absolutePath(stateDirectory.path)),
            configPath: absolutePath(configPath), configBytes: configBytes,
            allowUnfilteredDevices: allowUnfilteredDevicesFromEnvironment())
    }
}

/// `path` made absolute against the current directory and normalised lexically: no `.`, no
/// `..` (dropping the previous component), no empty component.
public func absolutePath(_ path: String) -> String {
    var full = path
    if !path.hasPrefix("/") {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let cwd = getcwd(&buffer, buffer.count).map { String(cString: $0) } ?? "/"
        full = cwd + "/" + path
    }
    return PathNormalization.normalize(full)
}

/// Whether `$CONTAINERS_ALLOW_UNFILTERED_DEVICES` is exactly `1` (any other value, or unset,
/// keeps the filter: a typo must not switch a defence off).
func allowUnfilteredDevicesFromEnvironment() -> Bool {
    guard let value = getenv(ContainerDefaults.allowUnfilteredDevicesVariable) else { return false }
    return String(cString: value) == "1"
}
