/// A first-order Markov model of what users pick next: for each movie, how often each other movie was the next
/// positive (the next distinct second; movies in the same second are one step, so the tie order never matters),
/// normalised to probabilities per source movie.
public struct TransitionModel: Sendable {
    /// Catalog size.
    public let catalogSize: Int
    /// `targets[start[i]..<start[i+1]]`: what followed item i.
    public let start: [Int]
    /// Next items.
    public let targets: [Int32]
    /// P(next = target | current = i).
    public let probabilities: [Float]

    /// Creates the model from its parts (as loaded from an artifact).
    public init(catalogSize: Int, start: [Int], targets: [Int32], probabilities: [Float]) {
        precondition(start.count == catalogSize + 1 && targets.count == probabilities.count)
        self.catalogSize = catalogSize
        self.start = start
        self.targets = targets
        self.probabilities = probabilities
    }

    /// Counts transitions between consecutive moments of every history.
    /// - Complexity: O(Σ |moment|·|next moment|).
    public init(histories: [PositiveHistory], catalogSize: Int) {
        var counts = [[Int32: Float]](repeating: [:], count: catalogSize)
        for h in histories {
            let moments = h.moments
            for (a, b) in zip(moments, moments.dropFirst()) {
                for x in a { for y in b where y != x { counts[Int(x)][y, default: 0] += 1 } }
            }
        }
        var start = [0]
        var targets: [Int32] = []
        var probabilities: [Float] = []
        for row in counts {
            let total = row.values.reduce(0, +)
            for (t, c) in row.sorted(by: { $0.key < $1.key }) {
                targets.append(t)
                probabilities.append(c / total)
            }
            start.append(targets.count)
        }
        self.init(catalogSize: catalogSize, start: start, targets: targets, probabilities: probabilities)
    }

    /// Σᵢ wᵢ·P(· | i) over the catalog.
    public func scores(_ history: [(item: Int32, weight: Float)]) -> [Float] {
        var out = [Float](repeating: 0, count: catalogSize)
        for (item, w) in history where w != 0 {
            for e in start[Int(item)]..<start[Int(item) + 1] { out[Int(targets[e])] += w * probabilities[e] }
        }
        return out
    }
}
