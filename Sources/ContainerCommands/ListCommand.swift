#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import ContainerEngine
import ContainerRuntime
import JSONSupport

/// `container list [-r] [--format text|json]`: every container, whether it is running, and
/// for a running one init's host pid, uptime, memory (now and peak) and tasks.
///
/// The containers listed are those with a config in `configs/` plus those that are running
/// without one (a config deleted while its container runs must not hide the container).
/// Running is decided by the container's cgroups; the pid is init's, shown only when the pid
/// file's pid is verified to be in the container's cgroup. Leftovers of stopped containers
/// (empty cgroups, stale pid files) are removed on the way.
struct ListCommand: ParsableCommand, StateDirectoryOption {
    static let configuration = CommandConfiguration(
        commandName: "list",
        _superCommandName: ContainerCommand.rootName,
        abstract: "List the containers, whether they are running, and what the running ones use.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Option(name: .long, help: Self.help) var path: String?

    @Flag(name: .customShort("r"), help: "Only running containers.")
    var runningOnly = false

    @Option(help: "text (the seed's table plus usage columns) or json ([{\"name\", \"running\", \"pid\", \"uptimeSeconds\", \"memory\", \"tasks\"}]).")
    var format: Format = .text

    func run() throws {
        let statuses: [ContainerStatus]
        do { statuses = try ContainerEngine(state: stateDirectory).list(runningOnly: runningOnly) } catch {
            printLifecycleError("list: \(error)")
            throw ExitCode(error.exitStatus)
        }
        switch format {
        case .text: print(Self.table(statuses), terminator: "")
        case .json: print(Self.json(statuses).serialized())
        }
    }

    /// The seed's table (`NAME` padded to 32 columns, then `RUNNING`, rows `Yes`/`No`; a name
    /// of 32 characters or more is printed whole, followed by one space), then per running
    /// container init's host pid, its uptime, memory now and at its peak, and tasks now; `-`
    /// where a value is unknown or the container is not running.
    static func table(_ statuses: [ContainerStatus]) -> String {
        let header = ["RUNNING", "PID", "UPTIME", "MEMORY", "PEAK", "TASKS"]
        var text = "NAME" + String(repeating: " ", count: 28) + row(header) + "\n"
        for status in statuses {
            let name = status.name.rawValue
            text += name + String(repeating: " ", count: max(1, 32 - name.count))
            let usage = status.usage
            text +=
                row([
                    status.running ? "Yes" : "No", status.pid.map(String.init) ?? "-",
                    usage?.uptimeSeconds.map(duration) ?? "-", usage?.memoryCurrent.map(bytes) ?? "-",
                    usage?.memoryPeak.map(bytes) ?? "-", usage?.tasks.map(String.init) ?? "-",
                ]) + "\n"
        }
        return text
    }

    /// The columns after NAME: each padded to its width, the last one not.
    static func row(_ cells: [String]) -> String {
        let widths = [9, 9, 13, 10, 10]
        var line = ""
        for (index, cell) in cells.enumerated() {
            line += cell
            if index < widths.count { line += String(repeating: " ", count: max(1, widths[index] - cell.count)) }
        }
        while line.hasSuffix(" ") { line.removeLast() }
        return line
    }

    /// `42s`, `5m07s`, `3h05m07s`, `2d03h05m07s`.
    static func duration(_ seconds: UInt64) -> String {
        let (days, hours, minutes, rest) = (seconds / 86_400, seconds / 3600 % 24, seconds / 60 % 60, seconds % 60)
        func two(_ value: UInt64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        if days > 0 { return "\(days)d\(two(hours))h\(two(minutes))m\(two(rest))s" }
        if hours > 0 { return "\(hours)h\(two(minutes))m\(two(rest))s" }
        if minutes > 0 { return "\(minutes)m\(two(rest))s" }
        return "\(rest)s"
    }

    /// Bytes in binary units with one decimal: `512B`, `1.5KiB`, `12.0MiB`, `2.3GiB`.
    static func bytes(_ count: UInt64) -> String {
        let units = ["KiB", "MiB", "GiB", "TiB"]
        guard count >= 1024 else { return "\(count)B" }
        var value = Double(count) / 1024
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)" + units[unit]
    }

    /// `[{"name", "running", "pid", "uptimeSeconds", "memory": {"current", "peak"}, "tasks"}]`:
    /// numbers (bytes for memory), null when not running or not known.
    static func json(_ statuses: [ContainerStatus]) -> JSONValue {
        func number(_ value: UInt64?) -> JSONValue { value.map { .integer(Int64(clamping: $0)) } ?? .null }
        return .array(
            statuses.map { status in
                let usage = status.usage
                return .object([
                    ("name", .string(status.name.rawValue)),
                    ("running", .bool(status.running)),
                    ("pid", status.pid.map { .integer(Int64($0)) } ?? .null),
                    ("uptimeSeconds", number(usage?.uptimeSeconds)),
                    (
                        "memory",
                        usage == nil
                            ? .null
                            : .object([
                                ("current", number(usage?.memoryCurrent)), ("peak", number(usage?.memoryPeak)),
                            ])
                    ),
                    ("tasks", number(usage?.tasks)),
                ])
            })
    }
}
