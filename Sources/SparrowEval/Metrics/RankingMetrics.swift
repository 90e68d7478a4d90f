import Foundation

/// Top-K metrics of ranked recommendation lists, averaged over users, with exact definitions:
/// - HR@K: share of users with at least one relevant item in the top K;
/// - Recall@K: relevant items in the top K / relevant items;
/// - Precision@K: relevant items in the top K / K;
/// - NDCG@K: DCG (gain 1/log₂(rank+1)) over the ideal DCG of min(K, |relevant|) hits;
/// - MAP@K: mean over users of Σ_{hits at rank r} precision@r / min(K, |relevant|);
/// - MRR: mean reciprocal rank of the first relevant item in the top K (0 when none);
/// - coverage: distinct recommended items / catalogue size;
/// - novelty: mean −log₂ popularity share of recommended items;
/// - with a `BeyondAccuracy` context, intra-list genre diversity, the mean popularity percentile and the long-tail
///   share of what is recommended (see there).
public struct RankingMetrics: Sendable, Codable, Equatable {
    /// Cut-off.
    public var k: Int
    /// Users averaged over.
    public var users: Int
    /// Hit rate.
    public var hitRate: Double
    /// Recall.
    public var recall: Double
    /// Precision.
    public var precision: Double
    /// Normalised discounted cumulative gain.
    public var ndcg: Double
    /// Mean average precision.
    public var map: Double
    /// Mean reciprocal rank.
    public var mrr: Double
    /// Catalogue coverage.
    public var coverage: Double
    /// Mean self-information of recommended items (bits).
    public var novelty: Double
    /// Mean intra-list genre diversity (nil without a `BeyondAccuracy` context).
    public var diversity: Double?
    /// Mean popularity percentile of recommended items.
    public var popularityPercentile: Double?
    /// Share of recommended slots outside the most-interacted 20 % of movies.
    public var longTailShare: Double?
    /// Each list's hit (a relevant item in the top K), in the order the lists were added: what a paired comparison
    /// of two methods on the same cases reads (`PairedComparison`). Not encoded: a report keeps the averages.
    public var hits: [Bool] = []

    enum CodingKeys: String, CodingKey {
        case k, users, hitRate, recall, precision, ndcg, map, mrr, coverage, novelty, diversity
        case popularityPercentile, longTailShare
    }

    /// Accumulates per-user lists.
    public struct Accumulator: Sendable {
        let k: Int
        var users = 0
        var hits = 0.0
        var recall = 0.0
        var precision = 0.0
        var ndcg = 0.0
        var map = 0.0
        var mrr = 0.0
        var recommended = Set<Int32>()
        var novelty = 0.0
        var noveltyCount = 0
        var caseHits: [Bool] = []
        let beyond: BeyondAccuracy?
        var diversity = 0.0
        var diverseLists = 0
        var percentiles = 0.0
        var tail = 0
        var slots = 0

        /// Starts an accumulator for cut-off `k`; with `beyond`, the beyond-accuracy metrics too.
        public init(k: Int, beyond: BeyondAccuracy? = nil) {
            self.k = k
            self.beyond = beyond
        }

        /// Adds one user's ranked list (only the first K count) and relevant set; `popularity` (item → share of
        /// interactions) feeds novelty when given.
        public mutating func add(ranked: [Int32], relevant: Set<Int32>, popularity: ((Int32) -> Double)? = nil) {
            users += 1
            let top = ranked.prefix(k)
            if let beyond {
                if let d = beyond.diversity(top) {
                    diversity += d
                    diverseLists += 1
                }
                for item in top {
                    percentiles += beyond.percentile[Int(item)]
                    tail += beyond.head[Int(item)] ? 0 : 1
                    slots += 1
                }
            }
            var found = 0
            var dcg = 0.0
            var ap = 0.0
            var first: Int?
            for (r, item) in top.enumerated() {
                recommended.insert(item)
                if let popularity {
                    let share = popularity(item)
                    if share > 0 {
                        novelty += -log2(share)
                        noveltyCount += 1
                    }
                }
                guard relevant.contains(item) else { continue }
                found += 1
                dcg += 1 / log2(Double(r) + 2)
                ap += Double(found) / Double(r + 1)
                if first == nil { first = r }
            }
            caseHits.append(found > 0)
            guard !relevant.isEmpty else { return }
            let ideal = (0..<min(k, relevant.count)).reduce(0.0) { $0 + 1 / log2(Double($1) + 2) }
            if found > 0 { hits += 1 }
            recall += Double(found) / Double(relevant.count)
            precision += Double(found) / Double(k)
            ndcg += dcg / ideal
            map += ap / Double(min(k, relevant.count))
            mrr += first.map { 1 / Double($0 + 1) } ?? 0
        }

        /// The averages; `catalogSize` is the denominator of coverage.
        public func result(catalogSize: Int) -> RankingMetrics {
            let n = Double(max(1, users))
            return RankingMetrics(
                k: k, users: users, hitRate: hits / n, recall: recall / n, precision: precision / n, ndcg: ndcg / n,
                map: map / n, mrr: mrr / n, coverage: Double(recommended.count) / Double(max(1, catalogSize)),
                novelty: noveltyCount > 0 ? novelty / Double(noveltyCount) : 0,
                diversity: beyond == nil ? nil : diverseLists > 0 ? diversity / Double(diverseLists) : 0,
                popularityPercentile: beyond == nil ? nil : slots > 0 ? percentiles / Double(slots) : 0,
                longTailShare: beyond == nil ? nil : slots > 0 ? Double(tail) / Double(slots) : 0, hits: caseHits)
        }
    }

    /// One line: `HR@10 …  NDCG@10 …  …`, with the beyond-accuracy metrics when computed.
    public var line: String {
        var text = String(
            format: "HR@%d %.4f  NDCG@%d %.4f  Recall@%d %.4f  MAP@%d %.4f  MRR %.4f  coverage %.3f  novelty %.2f",
            k, hitRate, k, ndcg, k, recall, k, map, mrr, coverage, novelty)
        if let diversity, let popularityPercentile, let longTailShare {
            text += String(
                format: "  diversity %.3f  popularity pct %.3f  long tail %.3f", diversity, popularityPercentile,
                longTailShare)
        }
        return text
    }
}

/// Error metrics of rating predictions.
public enum RatingError {
    /// Root mean squared error.
    public static func rmse(_ predicted: [Float], _ actual: [Float]) -> Double {
        precondition(predicted.count == actual.count, "rmse: sizes differ")
        guard !actual.isEmpty else { return .nan }
        let s = zip(predicted, actual).reduce(0.0) { $0 + Double(($1.0 - $1.1) * ($1.0 - $1.1)) }
        return (s / Double(actual.count)).squareRoot()
    }

    /// Mean absolute error.
    public static func mae(_ predicted: [Float], _ actual: [Float]) -> Double {
        precondition(predicted.count == actual.count, "mae: sizes differ")
        guard !actual.isEmpty else { return .nan }
        return zip(predicted, actual).reduce(0.0) { $0 + Double(abs($1.0 - $1.1)) } / Double(actual.count)
    }
}
