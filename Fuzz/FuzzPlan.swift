import LaunchPlan

/// libFuzzer entry point for the plan JSON reader (`container start --plan FILE` reads files
/// that may have been edited by hand): it must never trap, and every plan it accepts must
/// serialize (pretty and compact) to JSON that reads back to an equal plan, so that what
/// `start --plan` executes is exactly what `plan --format json` would print for it.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPlan(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let plan = try? PlanJSONReader.read(bytes) else { return 0 }
    // The text listing must not trap either (it is what `plan` prints for the same value).
    _ = plan.text
    for pretty in [false, true] {
        let text = plan.json(pretty: pretty)
        do {
            let again = try PlanJSONReader.read(Array(text.utf8))
            precondition(again == plan, "round trip changed the plan: \(text)")
        } catch {
            preconditionFailure("the written plan does not read back: \(error) in \(text)")
        }
    }
    return 0
}
