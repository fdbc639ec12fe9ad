import ConfigSource

/// The messages of the networking keys (language.md §9): `net_bridge`, `net_address`,
/// `net_gateway` and the `n` namespace they need.
extension Diagnostic {
    /// `net_address` or `net_gateway` does not parse; `range` is the octet, group or prefix
    /// that is wrong (or the whole address when its shape is).
    public static func invalidNetAddress(
        _ key: String, _ value: String, problem: String,
        at range: SourceRange
    ) -> Diagnostic {
        Diagnostic(.invalidNetAddress, "\(key) '\(value)' is not a valid address: \(problem)", at: range)
    }

    /// `net_bridge` is not a name the kernel accepts for an interface.
    public static func invalidInterfaceName(
        _ key: String, _ value: String, problem: String,
        at range: SourceRange
    ) -> Diagnostic {
        Diagnostic(
            .invalidInterfaceName,
            "\(key) '\(value)' is not a valid interface name: \(problem)", at: range)
    }

    /// A networking key without the `n` namespace; `fixIt` adds `n` to `namespaces` when the
    /// value can be edited mechanically.
    public static func networkWithoutNetNamespace(
        _ key: String, at range: SourceRange,
        fixIt: FixIt?
    ) -> Diagnostic {
        Diagnostic(
            .networkWithoutNetNamespace,
            "\(key) needs the network namespace; add 'n' to namespaces (YAML: net)",
            at: range, fixIts: fixIt.map { [$0] } ?? [])
    }

    /// `net_address` without `net_bridge`, or `net_gateway` without `net_address`.
    public static func networkKeyRequires(_ key: String, _ required: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(
            .networkKeyRequires,
            "\(key) needs \(required); add \(required) or remove \(key)", at: range)
    }

    /// `net_gateway` outside `net_address`'s subnet (or equal to the address itself).
    public static func netGatewayOutsideSubnet(
        _ gateway: String, address: String, problem: String,
        at range: SourceRange, addressAt addressRange: SourceRange
    ) -> Diagnostic {
        Diagnostic(
            .netGatewayOutsideSubnet,
            "net_gateway '\(gateway)' \(problem); the gateway must be another address in the container's subnet",
            at: range, notes: [DiagnosticNote("net_address '\(address)' is here", at: addressRange)])
    }

    /// F: `net_bridge` names no interface on this host.
    public static func netBridgeNotFound(_ bridge: String, lookedAt path: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(
            .netBridgeNotFound,
            "net_bridge '\(bridge)' does not exist (no \(path)); create it first (docs/networking.md) or fix the name",
            at: range)
    }

    /// F: `net_bridge` names an interface that is not a bridge.
    public static func netBridgeNotBridge(_ bridge: String, lookedAt path: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(
            .netBridgeNotBridge,
            "net_bridge '\(bridge)' is an interface but not a bridge (no \(path)); name a bridge ('ip link add NAME type bridge')",
            at: range)
    }

    /// `check --all`: two configs give their containers the same address.
    public static func duplicateNetAddress(_ address: String, otherConfig: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(
            .duplicateNetAddress,
            "net_address '\(address)' is also used by \(otherConfig); two containers on one bridge with one address break each other's traffic",
            at: range)
    }
}
