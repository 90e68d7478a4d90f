/// A first-order Markov model of what users pick next: for each movie, how often each other movie was the next
/// positive (the next distinct second; movies in the same second are one step, so the tie order never matters),
/// normalised to probabilities per source movie.
public struct TransitionModel: Sendable {
    /// Row i: P(next = target | current = i).
    public let rows: SparseItemRows

    /// Wraps a transition table (as loaded from an artifact).
    public init(rows: SparseItemRows) { self.rows = rows }

    /// Counts transitions between consecutive moments of every history.
    /// - Complexity: O(Σ |moment|·|next moment|).
    public init(histories: [RatingHistory], catalogSize: Int) {
        var counts = [[Int32: Float]](repeating: [:], count: catalogSize)
        for h in histories {
            let moments = h.moments
            for (a, b) in zip(moments, moments.dropFirst()) {
                for x in a { for y in b where y != x { counts[Int(x)][y, default: 0] += 1 } }
            }
        }
        rows = SparseItemRows(
            rows: counts.map { row in
                let total = row.values.reduce(0, +)
                return row.sorted { $0.key < $1.key }.map { ($0.key, $0.value / total) }
            })
    }

    /// Σᵢ wᵢ·P(· | i) over the catalog.
    public func scores(_ history: [(item: Int32, weight: Float)]) -> [Float] { rows.scores(history) }
}
