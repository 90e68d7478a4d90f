import Testing

@testable import SparrowEval

@Suite("Beyond accuracy: diversity, popularity percentile, long tail")
struct BeyondAccuracyTests {
    /// Five movies: genres {0,1}, {1}, {}, {2}, {0,1,2}; training interactions 10, 3, 3, 0, 7.
    static let context = BeyondAccuracy(genres: [0b011, 0b010, 0, 0b100, 0b111], interactions: [10, 3, 3, 0, 7])

    @Test("percentiles are mid-ranks, the head is the most-interacted 20 %, distances are Jaccard's")
    func context() {
        let c = Self.context
        #expect(c.percentile == [0.8, 0.3, 0.3, 0, 0.6])
        #expect(c.head == [true, false, false, false, false])
        #expect(c.distance(0, 1) == 0.5 && c.distance(0, 2) == 1 && c.distance(3, 4) == 1 - 1.0 / 3)
        #expect(c.distance(2, 2) == 0, "two movies without genres")
    }

    @Test("the averages over three lists, by hand; nothing without the context")
    func averages() {
        var accumulator = RankingMetrics.Accumulator(k: 3, beyond: Self.context)
        accumulator.add(ranked: [0, 1, 2, 4], relevant: [1])  // the 4th is past k
        accumulator.add(ranked: [3, 4], relevant: [0])
        accumulator.add(ranked: [2], relevant: [2])
        let m = accumulator.result(catalogSize: 5)
        // Diversity: list 1 (0.5 + 1 + 1) / 3, list 2 2/3, list 3 has one movie: (5/6 + 2/3) / 2 = 0.75.
        #expect(abs(m.diversity! - 0.75) < 1e-12)
        // Percentiles of the six slots: 0.8 + 0.3 + 0.3, 0 + 0.6, 0.3.
        #expect(abs(m.popularityPercentile! - 2.3 / 6) < 1e-12)
        // Every slot but movie 0's is in the long tail.
        #expect(abs(m.longTailShare! - 5.0 / 6) < 1e-12)
        var plain = RankingMetrics.Accumulator(k: 3)
        plain.add(ranked: [0, 1, 2], relevant: [1])
        let without = plain.result(catalogSize: 5)
        #expect(without.diversity == nil && without.popularityPercentile == nil && without.longTailShare == nil)
    }
}
