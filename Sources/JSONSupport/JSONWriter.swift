// TODO(helper): serializer. API:
// extension JSONValue { public func serialized(pretty: Bool = false) -> String }
