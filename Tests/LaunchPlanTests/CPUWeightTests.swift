import Foundation
import LaunchPlan
import Testing

@Suite struct CPUWeightTests {
    /// The fixed points the formula is built on (runtime.md, runc's and crun's tests).
    @Test func fixedPoints() {
        #expect(CPUWeight.weight(forShares: 2) == 1)
        #expect(CPUWeight.weight(forShares: 1024) == 100)
        #expect(CPUWeight.weight(forShares: 262_144) == 10_000)
    }

    @Test func clampedOutsideTheRange() {
        #expect(CPUWeight.weight(forShares: 0) == 1)
        #expect(CPUWeight.weight(forShares: 1) == 1)
        #expect(CPUWeight.weight(forShares: 1_000_000) == 10_000)
    }

    /// Away from the exact powers of two the result is the textbook formula's ceiling.
    @Test(arguments: [3, 100, 512, 1000, 2048, 4096, 10_000, 100_000, 262_143])
    func matchesTheFormula(shares: Int) {
        let l = log2(Double(shares))
        let expected = Int(ceil(pow(10, (l * l + 125 * l) / 612 - 7.0 / 34)))
        #expect(CPUWeight.weight(forShares: shares) == expected)
    }

    @Test func monotonic() {
        var previous = 0
        for shares in stride(from: 2, through: 262_144, by: 97) {
            let weight = CPUWeight.weight(forShares: shares)
            #expect(weight >= previous)
            previous = weight
        }
    }
}
