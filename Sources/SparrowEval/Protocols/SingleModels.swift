import Foundation
import SparrowCore
import SparrowEmbedding
import SparrowModels

/// The single top-K models every comparison table of Sparrow starts with — popularity, ItemKNN, implicit ALS, BPR and
/// item2vec recall — fitted on a split's training data. `sparrow eval` and `sparrow-bench topk` both build their rows
/// here, so the two tables cannot drift apart.
public enum SingleModels {
    /// One fitted model: its table name, its fit time (nil when there is nothing to fit), the reference numbers on
    /// ml-latest-small's leave-last-out protocol (nil when none), and its scorer (a user's scores over the catalogue).
    public typealias Row = (name: String, fitSeconds: Double?, reference: String?, scorer: (Int) -> [Float])

    /// The reference numbers (`reference/tf-reference.md`: `implicit`, numpy and TensorFlow runs) by model name.
    public static let references: [String: String] = [
        "popularity": "HR 0.0444 NDCG 0.0243", "itemknn": "HR 0.0691 NDCG 0.0329", "als": "HR 0.1003 NDCG 0.0472",
        "bpr": "HR 0.0674 NDCG 0.0342", "ease": "HR 0.1102 NDCG 0.0536 (λ 100, numpy)",
        "sasrec": "HR 0.1168 NDCG 0.0621 (TF, 382–542 s)",
    ]

    /// Training interactions beyond which ItemKNN's path sums and BPR's 100 epochs of SGD take more than minutes: the
    /// table leaves them out.
    public static let largeInteractions = 5_000_000

    /// One row of the printed top-K table: the name (padded), the metrics, the fit time when there is one, and the
    /// reference numbers when there are some — the line `sparrow eval` and `sparrow-bench topk` both print.
    public static func line(_ name: String, _ metrics: RankingMetrics, fitSeconds: Double?, reference: String?)
        -> String
    {
        "  \(name.padding(toLength: 26, withPad: " ", startingAt: 0)) " + metrics.line
            + (fitSeconds.map { String(format: "  fit %.2f s", $0) } ?? "")
            + (reference.map { "  | reference " + $0 } ?? "")
    }

    /// Fits popularity, ItemKNN, ALS and BPR on `topK`'s training matrix (ItemKNN and BPR only up to
    /// `largeInteractions`), handing each row to `add` as soon as it is fitted; progress lines go to `log`.
    public static func baselines(
        _ topK: TopKProtocol, log: (String) -> Void = { _ in }, add: (Row) throws -> Void
    ) rethrows {
        let large = topK.matrix.count > largeInteractions
        try add(("popularity", nil, references["popularity"], topK.popularityScores()))
        if large {
            log("itemknn, bpr: skipped (\(topK.matrix.count) training interactions)")
        } else {
            let start = ProcessStats.now()
            let knn = topK.itemKNNScores()
            try add(("itemknn", ProcessStats.now() - start, references["itemknn"], knn))
        }
        var start = ProcessStats.now()
        let als = ImplicitALS().fit(topK.matrix, log: log)
        try add(("als", ProcessStats.now() - start, references["als"], { als.scores(user: $0) }))
        if !large {
            start = ProcessStats.now()
            let bpr = BPR().fit(topK.matrix)
            try add(("bpr", ProcessStats.now() - start, references["bpr"], { bpr.scores(user: $0) }))
        }
    }

    /// Item2vec recall with `config`, fitted on the split's training histories: a user's query is the sum of the unit
    /// vectors of their last five training movies, a movie's score its dot product with the query (−∞ without a
    /// vector).
    public static func item2vecRecall(_ topK: TopKProtocol, catalog: Catalog, config: SkipGramConfig) -> Row {
        let corpus = topK.split.users.map { $0.history.map { catalog.movies[Int($0)].id } }
        let start = ProcessStats.now()
        let vectors = SkipGram(config: config).train(corpus).embeddings.normalized()
        let seconds = ProcessStats.now() - start
        let histories = Dictionary(uniqueKeysWithValues: topK.split.users.map { ($0.user, $0.history) })
        return (
            "item2vec recall", seconds, nil,
            { u in
                let recent = (histories[u] ?? []).suffix(5).compactMap { vectors.vector(catalog.movies[Int($0)].id) }
                var q = [Float](repeating: 0, count: vectors.dimension)
                for v in recent { for (d, x) in v.enumerated() { q[d] += x } }
                return catalog.movies.map { movie in
                    vectors.vector(movie.id).map { zip(q, $0).reduce(0) { $0 + $1.0 * $1.1 } } ?? -.infinity
                }
            }
        )
    }
}
