import ConfigLanguage
import ConfigSource
import Diagnostics
import HostCgroups

/// Options of a check run.
public struct CheckOptions: Sendable {
    /// Run the rules that read the filesystem (F in language.md §3). `--no-filesystem` clears it.
    public var useFilesystem: Bool
    /// The cgroup version of the target host, for rules that depend on it; nil: the version
    /// of `cgroupHost` (or of the probed host, and only when `useFilesystem` is set, so a
    /// `--no-filesystem` run never depends on the machine it runs on).
    public var cgroupVersion: CgroupVersion?
    /// The cgroups of the target host, as `plan` and `start` plan for them (probed once, or
    /// assumed by `plan --cgroup`); nil: the F rules probe through `fileSystem` (which reads
    /// `/proc/self/mountinfo`, so a fake filesystem can hold a fake host).
    public var cgroupHost: HostCgroups?
    /// How the F rules see the host; tests inject a fake.
    public var fileSystem: any FileSystemProbe
    /// Where the kernel lists block devices by `MAJOR:MINOR` (sysfs).
    public var blockDeviceDirectory: String
    /// Where the kernel lists network interfaces (sysfs); a bridge has a `bridge` directory.
    public var networkInterfaceDirectory: String
    /// Where the cgroup hierarchies are mounted (v1: one directory per controller; v2: unified).
    public var cgroupRoot: String

    public init(
        useFilesystem: Bool = true, cgroupVersion: CgroupVersion? = nil, cgroupHost: HostCgroups? = nil,
        fileSystem: any FileSystemProbe = HostFileSystemProbe(),
        blockDeviceDirectory: String = "/sys/dev/block", cgroupRoot: String = "/sys/fs/cgroup",
        networkInterfaceDirectory: String = "/sys/class/net"
    ) {
        self.useFilesystem = useFilesystem
        self.cgroupVersion = cgroupVersion
        self.cgroupHost = cgroupHost
        self.fileSystem = fileSystem
        self.blockDeviceDirectory = blockDeviceDirectory
        self.cgroupRoot = cgroupRoot
        self.networkInterfaceDirectory = networkInterfaceDirectory
    }
}

/// The checker's verdict on one file.
public struct CheckResult: Sendable {
    /// Syntax and semantic diagnostics of the file, in source order.
    public var diagnostics: [Diagnostic]
    /// The checked model, present only when there is no error.
    public var checked: CheckedConfig?
}

/// Validates a parsed config against every rule of language.md §2–3.
public enum ConfigChecker {
    /// Checks `parsed` as the config of the container `name`.
    ///
    /// The rules run by concern, each adding diagnostics to one context; the F rules run only
    /// with `options.useFilesystem`. The result holds the parser's diagnostics and the checker's,
    /// ordered by position, and a `CheckedConfig` only when none of them is an error.
    public static func check(_ parsed: ParsedConfig, name: String, options: CheckOptions) -> CheckResult {
        var context = CheckContext(parsed: parsed, options: options)
        RequiredKeyRules.apply(to: &context)
        RootPathRules.apply(to: &context)
        NamespaceRules.apply(to: &context)
        MemoryRules.apply(to: &context)
        MountRules.apply(to: &context)
        DeviceLimitRules.apply(to: &context)
        CgroupRules.apply(to: &context)
        NetworkRules.apply(to: &context)
        if options.useFilesystem {
            RootFilesystemRules.apply(to: &context)
            InitFilesystemRules.apply(to: &context)
            MountFilesystemRules.apply(to: &context)
            IDMapFilesystemRules.apply(to: &context)
            BlockDeviceFilesystemRules.apply(to: &context)
            ControllerFilesystemRules.apply(to: &context)
            HostCgroupRules.apply(to: &context)
            NetworkFilesystemRules.apply(to: &context)
        }
        let diagnostics = context.sortedDiagnostics
        let hasError = diagnostics.contains { $0.severity == .error }
        return CheckResult(
            diagnostics: diagnostics,
            checked: hasError ? nil : CheckedConfig.build(from: context, name: name)
        )
    }
}
