import CSparrowKernels
import Foundation
import SparrowCore

/// The re-ranking stage: maximal marginal relevance over genre overlap (Jaccard of genre bit masks), plus a small
/// bonus for recent releases.
public struct Reranker: Sendable {
    /// 1 = pure relevance; lower = more genre diversity.
    public var lambda: Double
    /// Score bonus for a movie released this year, decaying linearly to 0 over `freshnessYears` (0 = none).
    public var freshnessBonus: Double
    /// Years over which the bonus decays.
    public var freshnessYears: Double
    /// Each movie's release year.
    public let years: [Int?]
    /// Each movie's genres as a bit set.
    public let genreMasks: [UInt64]
    /// The year ages are counted from.
    public var currentYear = Double(Calendar(identifier: .gregorian).component(.year, from: Date()))

    /// Creates a re-ranker over a catalog's years and genre masks.
    public init(lambda: Double, freshnessBonus: Double, freshnessYears: Double, years: [Int?], genreMasks: [UInt64]) {
        precondition(years.count == genreMasks.count, "one year and one genre mask per movie")
        self.lambda = lambda
        self.freshnessBonus = freshnessBonus
        self.freshnessYears = freshnessYears
        self.years = years
        self.genreMasks = genreMasks
    }

    /// The best `n` of `scored` in MMR order (by score alone when `lambda` is 1).
    /// - Complexity: O(n · pool), pool = max(5n, 50) best-scored candidates; O(pool log pool) when `lambda` is 1.
    public func rerank(_ scored: [Candidate], n: Int) -> [Candidate] {
        var pool = scored.map { c -> Candidate in
            var c = c
            if Int(c.movie) < years.count, let year = years[Int(c.movie)], freshnessYears > 0 {
                let age = max(0, currentYear - Double(year))
                c.score += Float(freshnessBonus * max(0, 1 - age / freshnessYears))
            }
            return c
        }
        let keep = max(n * 5, 50)
        if pool.count > keep {
            // Partial selection of the best `keep` in O(n), then only those sorted.
            var index = [Int32](repeating: 0, count: keep)
            var best = [Float](repeating: 0, count: keep)
            let found = Int(sparrow_top_k(pool.map(\.score), Int32(pool.count), Int32(keep), nil, &index, &best))
            pool = (0..<found).map { pool[Int(index[$0])] }
        }
        pool.sort { MovieOrder.precedes(($0.movie, $0.score), ($1.movie, $1.score)) }
        // Pure relevance: MMR would pick the pool in this order.
        guard lambda < 1 else { return Array(pool.prefix(n)) }
        let masks = pool.map { Int($0.movie) < genreMasks.count ? genreMasks[Int($0.movie)] : 0 }
        var closest = [Double](repeating: 0, count: pool.count)
        var used = [Bool](repeating: false, count: pool.count)
        var chosen: [Candidate] = []
        while chosen.count < min(n, pool.count) {
            var best = -1
            var bestValue = -Double.infinity
            for i in pool.indices where !used[i] {
                let value = lambda * Double(pool[i].score) - (1 - lambda) * closest[i]
                if value > bestValue {
                    bestValue = value
                    best = i
                }
            }
            used[best] = true
            chosen.append(pool[best])
            let picked = masks[best]
            for i in pool.indices where !used[i] {
                let union = (masks[i] | picked).nonzeroBitCount
                let similarity = union == 0 ? 1 : Double((masks[i] & picked).nonzeroBitCount) / Double(union)
                closest[i] = max(closest[i], similarity)
            }
        }
        return chosen
    }

    /// The same re-ranker without the freshness bonus.
    public func withoutFreshness() -> Reranker {
        var copy = self
        copy.freshnessBonus = 0
        return copy
    }
}
