import JSONSupport

/// libFuzzer entry point for the strict JSON parser: it must never trap, and whatever it accepts
/// must serialize (compact and pretty) to text that parses back to an equal value.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let value = try? JSONValue.parse(bytes) else { return 0 }
    for pretty in [false, true] {
        let text = value.serialized(pretty: pretty)
        do {
            let again = try JSONValue.parse(Array(text.utf8))
            precondition(again == value, "round trip changed the value: \(text)")
        } catch {
            preconditionFailure("serialized output does not parse: \(error) in \(text)")
        }
    }
    return 0
}
