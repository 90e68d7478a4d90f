import SparrowCore

/// How samples are divided into training and test sets.
public enum SampleSplit: Sendable, Equatable {
    /// Each sample goes to test with probability `testFraction`, decided by a hash of (seed, rating row), so the
    /// assignment does not depend on the order samples are produced in.
    case random(seed: UInt64, testFraction: Double)
    /// Samples after the global timestamp quantile `1 − testFraction` of all ratings are test.
    case time(testFraction: Double)
    /// Each user's last rating is test (leave-last-out).
    case lastOut

    /// A function telling whether a sample (by rating row and time) is in the test set.
    public func classifier(catalog: Catalog) -> @Sendable (_ ratingRow: Int, _ timestamp: Int64) -> Bool {
        switch self {
        case .random(let seed, let fraction):
            let threshold = UInt64(fraction * Double(UInt64.max >> 11)) << 11
            return { row, _ in
                var g = SeededGenerator(seed: seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(row))
                return g.next() < threshold
            }
        case .time(let fraction):
            let cut = SampleSplit.quantile(catalog.ratings.timestamp, 1 - fraction)
            return { _, t in t > cut }
        case .lastOut:
            var last = [Bool](repeating: false, count: catalog.ratings.count)
            for u in 0..<catalog.userIds.count {
                if let r = catalog.ratingsOfUser(u).last { last[Int(r)] = true }
            }
            let isLast = last
            return { row, _ in isLast[row] }
        }
    }

    /// The exact `q`-quantile (lower) of `values`.
    static func quantile(_ values: [Int64], _ q: Double) -> Int64 {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let k = min(sorted.count - 1, max(0, Int((Double(sorted.count) * q).rounded(.down))))
        return sorted[k]
    }
}
