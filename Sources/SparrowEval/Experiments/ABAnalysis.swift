import Foundation

/// Statistics of an A/B test on a rate (CTR): per-arm rates with Wilson intervals, the two-proportion z-test, and
/// the sample size needed to detect a given lift.
public enum ABAnalysis {
    /// One arm's counts.
    public struct Arm: Sendable, Codable, Equatable {
        /// Successes (clicks).
        public var successes: Int
        /// Trials (exposures).
        public var trials: Int
        /// successes / trials.
        public var rate: Double { trials > 0 ? Double(successes) / Double(trials) : 0 }

        /// Creates an arm.
        public init(successes: Int, trials: Int) {
            self.successes = successes
            self.trials = trials
        }

        /// The 95 % Wilson score interval of the rate.
        public var interval: (low: Double, high: Double) {
            guard trials > 0 else { return (0, 1) }
            let z = 1.959963984540054
            let n = Double(trials)
            let p = rate
            let centre = (p + z * z / (2 * n)) / (1 + z * z / n)
            let half = z * (p * (1 - p) / n + z * z / (4 * n * n)).squareRoot() / (1 + z * z / n)
            return (centre - half, centre + half)
        }
    }

    /// Standard normal CDF.
    public static func normalCDF(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }

    /// The pooled two-proportion z statistic of B against A and its two-sided p-value.
    public static func zTest(_ a: Arm, _ b: Arm) -> (z: Double, p: Double) {
        guard a.trials > 0, b.trials > 0 else { return (0, 1) }
        let pooled = Double(a.successes + b.successes) / Double(a.trials + b.trials)
        let se = (pooled * (1 - pooled) * (1 / Double(a.trials) + 1 / Double(b.trials))).squareRoot()
        guard se > 0 else { return (0, 1) }
        let z = (b.rate - a.rate) / se
        return (z, 2 * (1 - normalCDF(abs(z))))
    }

    /// Trials per arm to detect a change from `baseline` to `target` with two-sided level α and the given power.
    public static func sampleSize(baseline p1: Double, target p2: Double, alpha: Double = 0.05, power: Double = 0.8)
        -> Int
    {
        let za = quantile(1 - alpha / 2)
        let zb = quantile(power)
        let pBar = (p1 + p2) / 2
        let numerator = za * (2 * pBar * (1 - pBar)).squareRoot() + zb * (p1 * (1 - p1) + p2 * (1 - p2)).squareRoot()
        return Int((numerator * numerator / ((p1 - p2) * (p1 - p2))).rounded(.up))
    }

    /// The standard normal quantile (bisection on the CDF; plenty for sample sizes).
    public static func quantile(_ q: Double) -> Double {
        var lo = -10.0
        var hi = 10.0
        for _ in 0..<100 {
            let mid = (lo + hi) / 2
            if normalCDF(mid) < q { lo = mid } else { hi = mid }
        }
        return (lo + hi) / 2
    }

    /// Two-sided p-value of a sign test: `wins` of `n` non-tied comparisons (normal approximation above 30).
    public static func signTest(wins: Int, n: Int) -> Double {
        guard n > 0 else { return 1 }
        if n > 30 {
            let z = (Double(wins) - Double(n) / 2) / (Double(n) / 4).squareRoot()
            return 2 * (1 - normalCDF(abs(z)))
        }
        // Exact binomial tail.
        let k = min(wins, n - wins)
        var tail = 0.0
        var c = 1.0
        for i in 0...k {
            if i > 0 { c = c * Double(n - i + 1) / Double(i) }
            tail += c
        }
        return min(1, 2 * tail / pow(2, Double(n)))
    }
}

/// Team-draft interleaving (Radlinski et al. 2008): the two rankers take turns, a coin deciding who picks first in
/// each round, each adding its best movie not already shown; clicks are credited to the team that placed the movie.
public enum TeamDraft {
    /// The interleaved list and each position's team (0 = A, 1 = B).
    public static func interleave(_ a: [Int32], _ b: [Int32], length: Int, rng: inout SplitRandom) -> (
        list: [Int32], teams: [Int]
    ) {
        var list: [Int32] = []
        var teams: [Int] = []
        var shown = Set<Int32>()
        var (ia, ib) = (0, 0)
        var countA = 0
        var countB = 0
        while list.count < length && (ia < a.count || ib < b.count) {
            let aTurn = countA < countB || (countA == countB && rng.coin())
            if aTurn {
                while ia < a.count && shown.contains(a[ia]) { ia += 1 }
                guard ia < a.count else { countA = Int.max / 2; continue }
                list.append(a[ia]); teams.append(0); shown.insert(a[ia]); countA += 1
            } else {
                while ib < b.count && shown.contains(b[ib]) { ib += 1 }
                guard ib < b.count else { countB = Int.max / 2; continue }
                list.append(b[ib]); teams.append(1); shown.insert(b[ib]); countB += 1
            }
        }
        return (list, teams)
    }
}

/// A small seeded generator for the simulator (SparrowEval has its own so results repeat for a seed).
public struct SplitRandom: Sendable {
    var state: UInt64

    /// Seeds the stream.
    public init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 | 1 }

    /// Next 64 bits.
    public mutating func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }

    /// A fair coin.
    public mutating func coin() -> Bool { next() & 1 == 1 }
}
