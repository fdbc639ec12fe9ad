import ConfigLanguage
import HostCgroups
import LaunchPlan
import Testing

/// cgroup v2's no-internal-processes rule: a launcher whose own cgroup holds the container
/// parent (a systemd service with `Delegate=yes`) leaves it for a leaf before it delegates
/// controllers; one that shares its cgroup with other processes is refused before anything.
@Suite struct LauncherCgroupPlanTests {
    static func options(parent: String, own: String?, shared: Bool = false) -> PlanOptions {
        var options = PlanTestSupport.options(.v2, name: "web")
        options.cgroupLayout.parent = parent
        options.cgroupLayout.launcherV2Cgroup = own
        options.cgroupLayout.launcherCgroupIsShared = shared
        return options
    }

    static let limited = PlanTestSupport.config(maxProcesses: .count(20))

    @Test func aLauncherWhoseCgroupHoldsTheParentMovesToALeafFirst() throws {
        let options = Self.options(parent: "system.slice/web.service/containers", own: "/system.slice/web.service")
        let plan = try PlanGenerator.generate(Self.limited, options: options)
        let leaf = "/sys/fs/cgroup/system.slice/web.service/_launcher"
        let move = try #require(plan.steps.firstIndex(of: Step(.launcher, .writeCgroup(path: leaf + "/cgroup.procs", value: "0"))))
        #expect(plan.steps[move - 1] == Step(.launcher, .createCgroup(path: leaf)))
        let delegate = try #require(
            plan.steps.firstIndex(
                of: Step(
                    .launcher,
                    .writeCgroup(
                        path: "/sys/fs/cgroup/system.slice/web.service/cgroup.subtree_control", value: "+pids"))))
        #expect(move < delegate, "the launcher leaves before its cgroup delegates controllers")
        #expect(plan.notes.contains { $0.contains("moves itself to \(leaf)") })
    }

    @Test func theParentBeingTheLaunchersCgroupItselfAlsoMoves() throws {
        let plan = try PlanGenerator.generate(Self.limited, options: Self.options(parent: "svc", own: "/svc"))
        #expect(plan.steps.contains(Step(.launcher, .writeCgroup(path: "/sys/fs/cgroup/svc/_launcher/cgroup.procs", value: "0"))))
    }

    @Test(arguments: [
        ("minimal_containers", "/user.slice/session-1.scope"),  // the parent elsewhere
        ("svcx/containers", "/svc"),  // a sibling whose name starts alike
        ("minimal_containers", "/"),  // the launcher in the root cgroup
    ])
    func noMoveWhenTheParentIsOutsideTheLaunchersCgroup(parent: String, own: String) throws {
        let plan = try PlanGenerator.generate(Self.limited, options: Self.options(parent: parent, own: own, shared: true))
        #expect(!plan.steps.contains { if case let .writeCgroup(path, _) = $0.action { path.hasSuffix("/cgroup.procs") } else { false } })
    }

    @Test func noMoveWithoutControllersToDelegate() throws {
        let plan = try PlanGenerator.generate(PlanTestSupport.config(), options: Self.options(parent: "svc/c", own: "/svc", shared: true))
        #expect(!plan.steps.contains { if case let .createCgroup(path) = $0.action { path.hasSuffix("/_launcher") } else { false } })
    }

    @Test func aSharedLauncherCgroupHoldingTheParentIsRefused() {
        #expect(throws: PlanGenerationError.self) {
            try PlanGenerator.generate(Self.limited, options: Self.options(parent: "svc/c", own: "/svc", shared: true))
        }
        do throws(PlanGenerationError) {
            _ = try PlanGenerator.generate(Self.limited, options: Self.options(parent: "svc/c", own: "/svc", shared: true))
        } catch {
            #expect(error.description.contains("inside this process's cgroup /svc, which other processes share"))
            #expect(error.description.contains("Delegate=yes"))
        }
    }
}
