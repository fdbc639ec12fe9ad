#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import ContainerEngine
import ContainerRuntime
import JSONSupport

/// `container list [-r] [--format text|json]`: every container and whether it is running.
///
/// The containers listed are those with a config in `configs/` plus those that are running
/// without one (a config deleted while its container runs must not hide the container).
/// Running is decided by the container's cgroups; the pid is init's, shown only when the pid
/// file's pid is verified to be in the container's cgroup. Leftovers of stopped containers
/// (empty cgroups, stale pid files) are removed on the way.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the containers and whether they are running.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @OptionGroup var global: GlobalOptions

    @Flag(name: .customShort("r"), help: "Only running containers.")
    var runningOnly = false

    @Option(help: "text (the seed's table) or json ([{\"name\", \"running\", \"pid\"}]).")
    var format: Format = .text

    func run() throws {
        let statuses: [ContainerStatus]
        do { statuses = try ContainerEngine(state: global.stateDirectory).list(runningOnly: runningOnly) } catch {
            printLifecycleError("list: \(error)")
            throw ExitCode(error.exitStatus)
        }
        switch format {
        case .text: print(Self.table(statuses), terminator: "")
        case .json: print(Self.json(statuses).serialized())
        }
    }

    /// The seed's table: `NAME` padded to 32 columns, then `RUNNING`, rows `Yes`/`No`. A name
    /// of 32 characters or more is printed whole, followed by one space.
    static func table(_ statuses: [ContainerStatus]) -> String {
        var text = "NAME" + String(repeating: " ", count: 28) + "RUNNING\n"
        for status in statuses {
            let name = status.name.rawValue
            text += name + String(repeating: " ", count: max(1, 32 - name.count))
            text += status.running ? "Yes\n" : "No\n"
        }
        return text
    }

    /// `[{"name": …, "running": …, "pid": … or null}]`.
    static func json(_ statuses: [ContainerStatus]) -> JSONValue {
        .array(statuses.map { status in
            .object([
                ("name", .string(status.name.rawValue)),
                ("running", .bool(status.running)),
                ("pid", status.pid.map { .integer(Int64($0)) } ?? .null),
            ])
        })
    }
}
