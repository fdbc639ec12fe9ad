import ContainerRuntime
import ContainerState
import Diagnostics
import LaunchPlan

/// Why an engine operation did not happen. Each case knows its exit status (language.md §6:
/// 1 refused or failed, 2 usage or unreadable input) and its message, which the CLI prints
/// after its own prefix (`container start: `).
public enum EngineError: Error, Sendable, CustomStringConvertible {
    /// The config could not be found or read (exit 2).
    case unreadableConfig(ConfigLoadError)
    /// `configs/` could not be listed (exit 1: nothing was asked of a single config).
    case unreadableConfigDirectory(ConfigLoadError)
    /// NAME is not a container name; refused before any path is formed from it (exit 2).
    case invalidName(ContainerName.InvalidName)
    /// `$CONTAINERS_CGROUP_PARENT` is not a valid cgroup path (exit 2).
    case invalidCgroupParent(CgroupLayout.InvalidParent)
    /// The config has errors; the diagnostics say which (exit 1). `outcome` words the
    /// consequence: "nothing was started", "no plan".
    case configHasErrors(displayName: String, outcome: String)
    /// The plan generator refused the checked config (exit 2).
    case planning(String)
    /// A saved plan was refused (exit 1): unreadable, stale, or not the config's plan.
    case savedPlanRefused(String)
    /// The container is not running (exit 1).
    case notRunning(ContainerName)
    /// A kill did not finish (exit 1).
    case killFailed(ContainerName, RuntimeError)

    /// The process exit status the command returns for this failure.
    public var exitStatus: Int32 {
        switch self {
        case .unreadableConfig, .invalidName, .invalidCgroupParent, .planning: 2
        case .unreadableConfigDirectory, .configHasErrors, .savedPlanRefused, .notRunning, .killFailed: 1
        }
    }

    public var description: String {
        switch self {
        case let .unreadableConfig(error): "error: " + visibleText(error.description)
        case let .unreadableConfigDirectory(error): error.description
        case let .invalidName(error): error.description
        case let .invalidCgroupParent(error): "error: " + error.description
        case let .configHasErrors(name, outcome): "\(name): the config has errors, \(outcome)"
        case let .planning(reason): "error: " + reason
        case let .savedPlanRefused(reason): "error: " + reason
        case let .notRunning(name): "container '\(name)' is not running"
        case let .killFailed(name, error): "cannot kill '\(name)': \(error)"
        }
    }
}
