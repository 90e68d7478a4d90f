import SparrowTensor

/// The item × item co-occurrence counts G = XᵀX over the items with interactions — at most `maxItems` of them, the
/// most interacted (ties: lower index first); other items are left out (EASE and the item-to-item neighbours then serve
/// them no row, other channels do). When the users' pairs Σᵤ nᵤ(nᵤ+1)/2 over the kept items exceed `maxPairs`, each
/// user counts a fixed pseudo-random `cap` of their kept items, `cap` the largest that fits the budget: heavy users
/// no longer dominate the cost (25 M ratings: ~23 × 10⁹ pairs uncapped), light ones are untouched.
public struct GramMatrix: Sendable {
    /// Catalog index of each row/column, ascending.
    public let items: [Int32]
    /// Row-major counts, `items.count²` (symmetric).
    public let values: [Float]
    /// Items per user counted (nil: every kept item of every user).
    public let userCap: Int?

    /// Counts co-occurrences user by user.
    /// - Complexity: O(Σᵤ min(nᵤ, cap)² + items · log items), memory `maxItems²` floats.
    public init(_ matrix: InteractionMatrix, maxItems: Int = .max, maxPairs: Int = .max) {
        precondition(maxItems > 0 && maxPairs > 0, "positive budgets")
        var used = (0..<matrix.items).filter { !matrix.users(of: $0).isEmpty }
        if used.count > maxItems {
            used = Array(
                used.sorted {
                    let (a, b) = (matrix.users(of: $0).count, matrix.users(of: $1).count)
                    return a > b || (a == b && $0 < $1)
                }.prefix(maxItems)
            ).sorted()
        }
        var dense = [Int32](repeating: -1, count: matrix.items)
        for (d, i) in used.enumerated() { dense[i] = Int32(d) }
        let lengths = (0..<matrix.users).map { u in matrix.items(of: u).reduce(0) { $0 + (dense[Int($1)] >= 0 ? 1 : 0) }
        }
        let cap = Self.cap(lengths: lengths, maxPairs: maxPairs)
        let n = used.count
        var g = [Float](repeating: 0, count: n * n)
        g.withUnsafeMutableBufferPointer { out in
            // The lower triangle (b ≤ a) in increasing addresses along each row, then mirrored.
            let m = out.baseAddress!
            for u in 0..<matrix.users {
                var list = matrix.items(of: u).compactMap { dense[Int($0)] >= 0 ? Int(dense[Int($0)]) : nil }
                if let cap, list.count > cap {
                    list = Array(list.sorted { Self.mix(u, $0) < Self.mix(u, $1) }.prefix(cap))
                }
                list.sort()
                for (i, a) in list.enumerated() {
                    let row = m + a * n
                    for b in list[...i] { row[b] += 1 }
                }
            }
            Kernels.mirrorLowerTriangle(m, n: n)
        }
        items = used.map(Int32.init)
        values = g
        userCap = cap
    }

    /// The largest per-user item count whose pairs fit `maxPairs` (nil when every user fits uncapped).
    static func cap(lengths: [Int], maxPairs: Int) -> Int? {
        func pairs(_ c: Int) -> Int {
            lengths.reduce(0) {
                let k = min($1, c); return $0 + k * (k + 1) / 2
            }
        }
        let longest = lengths.max() ?? 0
        guard pairs(longest) > maxPairs else { return nil }
        var (low, high) = (1, longest)  // pairs(low) fits (or low = 1), pairs(high) does not
        while high - low > 1 {
            let mid = (low + high) / 2
            if pairs(mid) <= maxPairs { low = mid } else { high = mid }
        }
        return low
    }

    /// A fixed pseudo-random order of a user's items (splitmix64's finaliser of the pair).
    static func mix(_ u: Int, _ item: Int) -> UInt64 {
        var z = UInt64(truncatingIfNeeded: u) &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(truncatingIfNeeded: item)
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
