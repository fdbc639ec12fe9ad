import LaunchPlan

/// Checks, before anything runs, that a plan's steps can be executed by the three processes
/// the runtime forks: where each action can run, and that the forks come in order.
///
/// The plan decides what happens and in which process; this only refuses a plan the process
/// model cannot honour (a hand-edited `--plan` file, or a generator bug), so that a start never
/// fails half-way for a reason known in advance.
enum PlanShape {
    /// Throws the first reason the plan cannot be executed.
    static func validate(_ plan: Plan) throws(RuntimeError) {
        var forkedChild = false, forkedInit = false, execed = false
        for (index, step) in plan.steps.enumerated() {
            let where_ = "step \(index + 1)"
            let required = step.action.process  // the plan's own table (LaunchPlan)
            guard step.process == required else {
                throw .failed("plan", "\(where_): \(step.action.name) runs in the \(required.rawValue), not in the \(step.process.rawValue)")
            }
            switch step.process {
            case .launcher:
                break
            case .child:
                guard forkedChild else { throw .failed("plan", "\(where_): a child step before forkChild") }
                guard !forkedInit else { throw .failed("plan", "\(where_): a child step after forkInit (the child exits once init is forked)") }
            case .`init`:
                guard forkedInit else { throw .failed("plan", "\(where_): an init step before forkInit") }
                guard !execed else { throw .failed("plan", "\(where_): an init step after exec") }
            }
            switch step.action {
            case .forkChild:
                guard !forkedChild else { throw .failed("plan", "\(where_): a second forkChild") }
                forkedChild = true
            case .forkInit:
                guard !forkedInit else { throw .failed("plan", "\(where_): a second forkInit") }
                forkedInit = true
            case .exec:
                execed = true
            default:
                break
            }
        }
        guard forkedChild, forkedInit, execed else {
            throw .failed("plan", "the plan must fork the child, fork init and exec (forkChild, forkInit, exec)")
        }
    }
}
