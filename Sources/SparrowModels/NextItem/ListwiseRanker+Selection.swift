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
            linear: linear, hiddenWeights: [], hiddenBias: [], outputWeights: [])
    }

    /// The fraction of lists whose picked candidate is among the best `k` by `scores` (ties broken against it).
    static func hitRate(_ lists: [RankingList], k: Int, scores: (RankingList) -> [Float]) -> Double {
        guard !lists.isEmpty else { return 0 }
        var hits = 0
        for l in lists {
            let s = scores(l)
            let target = s[l.target]
            let above = s.indices.filter { $0 != l.target && s[$0] >= target }.count
            if above < k { hits += 1 }
        }
        return Double(hits) / Double(lists.count)
    }

    /// Fits the learned ranker, unless one of `rankColumns` alone does strictly better on held-out lists: each of
    /// `folds` folds (every `folds`-th list) is ranked by a ranker fitted on the others, and by each rank column.
    /// With few lists (a small or unusual data set) a learned combination can fall below its best input; this keeps
    /// the served list at least as good as its best signal, measured on the training data only.
    ///
    /// - Complexity: `folds + 1` fits.
    public static func fitSelecting(
        _ lists: [RankingList], width: Int, rankColumns: [Int], config: Config = Config(), folds: Int = 5, k: Int = 10
    ) -> Selection {
        precondition(folds >= 2)
        var learnedHits = 0.0
        if lists.count >= folds * 2 {
            for f in 0..<folds {
                let train = lists.indices.filter { $0 % folds != f }.map { lists[$0] }
                let test = lists.indices.filter { $0 % folds == f }.map { lists[$0] }
                let r = fit(train, width: width, config: config)
                learnedHits += hitRate(test, k: k) { r.scores($0.features, count: $0.count) } * Double(test.count)
            }
        }
        let learned = lists.count >= folds * 2 ? learnedHits / Double(lists.count) : 1
        let single = rankColumns.map { c in
            (column: c, hitRate: hitRate(lists, k: k) { l in (0..<l.count).map { -l.features[$0 * width + c] } })
        }
        let best = single.max { $0.hitRate < $1.hitRate }
        if let best, best.hitRate > learned {
            return Selection(
                learned: learned, single: single, chosenColumn: best.column,
                ranker: byColumn(best.column, width: width))
        }
        return Selection(
            learned: learned, single: single, chosenColumn: nil, ranker: fit(lists, width: width, config: config))
    }
}
