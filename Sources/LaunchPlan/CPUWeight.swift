#if canImport(Glibc)
import Glibc
#endif

/// The cgroup v2 `cpu.weight` for a v1 `cpu.shares` value (the config's `cpu_share`).
///
/// runc and crun today map shares through a quadratic in log2 so that the v1 default (1024)
/// lands on the v2 default (100) and the ends of the ranges meet (2 → 1, 262144 → 10000):
///
///     l = log2(shares)
///     weight = ceil(10^((l² + 125·l) / 612 − 7/34)), clamped to 1…10000
///
/// The exponent is evaluated as `(l − 1)(l + 126) / 612`, which is the same polynomial
/// (7/34 = 126/612) but exact in floating point when l is an integer: the textbook order can
/// come out a hair above 2.0 for 1024 and `ceil` would then give 101 instead of 100.
public enum CPUWeight {
    public static let minimumShares = 2
    public static let maximumShares = 262_144

    public static func weight(forShares shares: Int) -> Int {
        if shares <= minimumShares { return 1 }
        if shares >= maximumShares { return 10_000 }
        let l = log2(Double(shares))
        let exponent = (l - 1) * (l + 126) / 612
        let value = pow(10, exponent)
        // A result within rounding noise of an integer is that integer, not the next one.
        let nearest = value.rounded()
        let weight = abs(value - nearest) < 1e-9 * nearest ? nearest : value.rounded(.up)
        return min(10_000, max(1, Int(weight)))
    }
}
