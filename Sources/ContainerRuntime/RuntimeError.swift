#if canImport(Glibc)
import Glibc
#endif
import SystemIO
import CLinuxShim
import LaunchPlan

/// Why a start failed: the step (system call or operation), the path it worked on and the
/// errno, rendered the way an administrator can act on it:
/// `pivot_root(/srv/web): Invalid argument (EINVAL)`.
public struct RuntimeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure this is; decides the exit status and the wording.
    public enum Kind: Sendable, Equatable {
        /// A system call failed with `errno`.
        case system(errno: Int32)
        /// The container is already running (or being started): refused, nothing touched.
        case refused
        /// Anything else; `detail` says what.
        case failed
    }

    public var kind: Kind
    /// The operation, e.g. `pivot_root`, `write`, `mount`.
    public var step: String
    /// The file or path the operation worked on, when there is one.
    public var path: String?
    /// More words: the value written, the namespace flags, a reason.
    public var detail: String?
    /// The plan step that failed, `step 27 init bindMount` (numbered as `container plan`
    /// numbers them), so that a failure can be found in the plan listing; nil outside a plan.
    public var planStep: String?

    public init(kind: Kind, step: String, path: String? = nil, detail: String? = nil) {
        self.kind = kind
        self.step = step
        self.path = path
        self.detail = detail
    }

    /// A failed system call: captures the current `errno`, so call it right after the failure.
    public static func system(_ step: String, path: String? = nil, detail: String? = nil, errno code: Int32 = errno) -> RuntimeError {
        RuntimeError(SystemError(step, path: path, detail: detail, errno: code))
    }

    /// A failed system call of the syscall layer, as a runtime failure.
    public init(_ error: SystemError) {
        self.init(kind: .system(errno: error.errno), step: error.operation, path: error.path, detail: error.detail)
    }

    /// A failure that is not an errno.
    public static func failed(_ step: String, path: String? = nil, _ detail: String) -> RuntimeError {
        RuntimeError(kind: .failed, step: step, path: path, detail: detail)
    }

    /// The errno of a failed system call, nil for the other kinds.
    public var errnoValue: Int32? {
        if case let .system(code) = kind { return code }
        return nil
    }

    public var description: String {
        // A refusal is a sentence, not a failed operation.
        if kind == .refused, path == nil, let detail { return detail }
        var text = planStep.map { $0 + ": " } ?? ""
        text += step
        if let path { text += "(\(path))" }
        if let detail { text += (path == nil ? ": " : " ") + detail }
        if case let .system(code) = kind { text += ": " + Self.describe(errno: code) }
        return text
    }

    /// This error as the failure of the plan's step at `index` (0-based). Refusals are left
    /// as they are: they are sentences about the container, not failed operations.
    func at(_ index: Int, _ planned: Step) -> RuntimeError {
        guard kind != .refused, planStep == nil else { return self }
        var copy = self
        copy.planStep = "step \(index + 1) \(planned.process.rawValue) \(planned.action.name)"
        return copy
    }

    /// `Invalid argument (EINVAL)`.
    public static func describe(errno code: Int32) -> String { SystemError.describe(errno: code) }
}

/// Runs a call of the syscall layer in runtime code: its `SystemError` becomes the
/// `RuntimeError` the step reports.
@inline(__always) @discardableResult
func system<Result>(_ body: () throws(SystemError) -> Result) throws(RuntimeError) -> Result {
    do { return try body() } catch { throw RuntimeError(error) }
}
