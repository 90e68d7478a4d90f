import Foundation

extension ListwiseRanker {
    /// How the learned ranker and each single feature did on held-out training lists, and which one was kept.
    public struct Selection: Sendable {
        /// Cross-validated HR@K of the learned ranker.
        public var learned: Double
        /// Cross-validated HR@K of ranking by each single candidate feature column (by its rank), in column order.
        public var single: [(column: Int, hitRate: Double)]
        /// The column kept instead of the learned ranker, nil when the learned ranker is kept.
        public var chosenColumn: Int?
        /// The ranker kept.
        public var ranker: ListwiseRanker
    }

    /// A ranker that orders candidates by one feature column, lowest value first (a rank column: 0 = best).
    public static func byColumn(_ column: Int, width: Int) -> ListwiseRanker {
        precondition(column >= 0 && column < width)
        var linear = [Float](repeating: 0, count: width)
        linear[column] = -1
        return ListwiseRanker(
            width: width, mean: [Float](repeating: 0, count: width), scale: [Float](repeating: 1, count: width),
            linear: linear)
    }

    /// Whether each list's picked candidate is among the best `k` by `scores` (ties broken against it).
    static func hits(_ lists: [RankingList], k: Int, scores: (RankingList) -> [Float]) -> [Bool] {
        lists.map { l in
            let s = scores(l)
            let target = s[l.target]
            return s.indices.filter { $0 != l.target && s[$0] >= target }.count < k
        }
    }

    /// Whether a single column's hits beat the learned ranker's on the same lists by more than `z` standard errors of
    /// the paired difference (a sign test on the lists where exactly one of the two hits): b lists only the column
    /// hits, c only the learned ranker, and the column is kept when b − c > z·√(b + c). A margin of a few lists out of
    /// hundreds is noise, and replacing the learned ranker on noise costs more than it saves.
    /// - Complexity: O(lists).
    public static func significantlyBetter(_ single: [Bool], than learned: [Bool], z: Double = 2) -> Bool {
        precondition(single.count == learned.count, "the same lists")
        var (b, c) = (0, 0)
        for (s, l) in zip(single, learned) where s != l {
            if s { b += 1 } else { c += 1 }
        }
        return Double(b - c) > z * Double(b + c).squareRoot()
    }

    /// Fits the learned ranker, unless the best of `rankColumns` alone does significantly better on held-out lists
    /// (`significantlyBetter`): each of `folds` folds (every `folds`-th list) is ranked by a ranker fitted on the
    /// others, and by each rank column. With few lists (a small or unusual data set) a learned combination can fall
    /// below its best input; this keeps the served list at least as good as its best signal, measured on the
    /// training data only — and does not swap it for a signal that is ahead by a few lists of noise.
    ///
    /// - Complexity: `folds + 1` fits.
    public static func fitSelecting(
        _ lists: [RankingList], width: Int, rankColumns: [Int], config: Config = Config(), folds: Int = 5, k: Int = 10
    ) -> Selection {
        precondition(folds >= 2)
        var learnedHits = [Bool](repeating: false, count: lists.count)
        if lists.count >= folds * 2 {
            for f in 0..<folds {
                let test = lists.indices.filter { $0 % folds == f }
                let r = fit(lists.indices.filter { $0 % folds != f }.map { lists[$0] }, width: width, config: config)
                let h = hits(test.map { lists[$0] }, k: k) { r.scores($0.features, count: $0.count) }
                for (i, hit) in zip(test, h) { learnedHits[i] = hit }
            }
        } else {
            learnedHits = [Bool](repeating: true, count: lists.count)
        }
        let rate = { (h: [Bool]) in h.isEmpty ? 0 : Double(h.filter { $0 }.count) / Double(h.count) }
        let singleHits = rankColumns.map { c in
            (column: c, hits: hits(lists, k: k) { l in (0..<l.count).map { -l.features[$0 * width + c] } })
        }
        let learned = rate(learnedHits)
        let single = singleHits.map { (column: $0.column, hitRate: rate($0.hits)) }
        if let best = single.indices.max(by: { single[$0].hitRate < single[$1].hitRate }),
            significantlyBetter(singleHits[best].hits, than: learnedHits)
        {
            return Selection(
                learned: learned, single: single, chosenColumn: single[best].column,
                ranker: byColumn(single[best].column, width: width))
        }
        return Selection(
            learned: learned, single: single, chosenColumn: nil, ranker: fit(lists, width: width, config: config))
    }
}
