/// Walker's alias method: draws index `i` with probability `weights[i] / Σ weights` in O(1).
///
/// Used for power-law sampling in synthetic data, for weighted random walks and for negative sampling.
/// - Complexity: O(n) to build, O(1) per draw.
public struct AliasTable: Sendable {
    /// Acceptance probability of each slot.
    public private(set) var probability: [Float]
    /// The alternative index of each slot.
    public private(set) var alias: [Int32]

    /// Builds the table.
    /// - Precondition: `weights` is non-empty, with non-negative finite entries and a positive sum.
    public init(weights: [Double]) {
        precondition(!weights.isEmpty, "AliasTable needs at least one weight")
        let n = weights.count
        let total = weights.reduce(0, +)
        precondition(total > 0 && total.isFinite, "AliasTable needs a positive finite weight sum")
        var scaled = weights.map { w -> Double in
            precondition(w >= 0 && w.isFinite, "AliasTable weights must be non-negative and finite")
            return w * Double(n) / total
        }
        probability = [Float](repeating: 1, count: n)
        alias = Array(0..<Int32(n))
        var small: [Int] = []
        var large: [Int] = []
        for i in 0..<n {
            if scaled[i] < 1 { small.append(i) } else { large.append(i) }
        }
        while let s = small.popLast(), let l = large.last {
            probability[s] = Float(scaled[s])
            alias[s] = Int32(l)
            scaled[l] -= 1 - scaled[s]
            if scaled[l] < 1 {
                large.removeLast()
                small.append(l)
            }
        }
        for i in large { probability[i] = 1 }
        for i in small { probability[i] = 1 }
    }

    /// The number of outcomes.
    public var count: Int { probability.count }

    /// Draws one index.
    @inlinable
    public func sample(_ rng: inout SeededGenerator) -> Int {
        let slot = rng.nextInt(below: probability.count)
        return rng.nextUnitFloat() < probability[slot] ? slot : Int(alias[slot])
    }
}
