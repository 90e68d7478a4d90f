import SparrowCore
import SparrowModels

/// Full-ranking top-K evaluation on a hold-out split — leave-last-out (`tf-reference.md` §3) unless told otherwise:
/// for each held-out user, every movie is scored, every movie the user rated in the training data (whatever the
/// rating) is excluded, and the held-out movie (on the timeline, any positive of its second) is what counts.
public struct TopKProtocol: Sendable {
    /// The split.
    public let split: HoldOutSplit
    /// Number of movies in the catalog.
    public let movies: Int
    /// The training interactions as a matrix (users × movies, dense catalog indices).
    public let matrix: InteractionMatrix
    /// Training interactions per movie, for popularity and novelty.
    public let popularity: [Int]
    /// Movies each user has rated (any rating), excluded from their ranking — the held-out movie excepted.
    public let seen: [Set<Int32>]
    /// Genres and training popularity, for the beyond-accuracy metrics.
    public let beyond: BeyondAccuracy

    /// Builds the protocol for a catalog (leave-last-out unless `split` is given).
    public init(catalog: Catalog, split: HoldOutSplit? = nil) {
        self.split = split ?? HoldOutSplit(catalog: catalog)
        movies = catalog.movies.count
        matrix = InteractionMatrix(
            users: catalog.userIds.count, items: movies,
            interactions: self.split.users.map { ($0.user, $0.history) })
        var counts = [Int](repeating: 0, count: movies)
        for u in self.split.users { for m in u.history { counts[Int(m)] += 1 } }
        popularity = counts
        beyond = BeyondAccuracy(catalog: catalog, interactions: counts)
        let split = self.split
        seen = (0..<catalog.userIds.count).map { split.excluded(catalog, user: $0) }
    }

    /// Evaluates a scorer (user index → a score for every movie index) at cut-off `k`, on the test users `include`
    /// accepts (all of them by default); progress lines (`ProgressLine`, by users, labelled `what`) go to `log`.
    public func evaluate(
        k: Int = 10, only include: (HoldOutSplit.User) -> Bool = { _ in true }, what: String = "users ranked",
        log: (String) -> Void = { _ in }, _ scorer: (Int) -> [Float]
    ) -> RankingMetrics {
        var accumulator = RankingMetrics.Accumulator(k: k, beyond: beyond)
        let total = Double(max(1, split.trainingCount))
        let cases = split.cases.filter(include)
        var progress = ProgressLine(what, total: cases.count)
        for (done, c) in cases.enumerated() {
            if let line = progress.due(done: done) { log(line) }
            let scores = scorer(c.user)
            let seen = self.seen[c.user]
            var top = [(Float, Int32)]()
            top.reserveCapacity(k + 1)
            for m in 0..<movies where !seen.contains(Int32(m)) {
                let s = scores[m]
                if top.count < k || s > top[top.count - 1].0 {
                    let position = top.firstIndex { $0.0 < s } ?? top.count
                    top.insert((s, Int32(m)), at: position)
                    if top.count > k { top.removeLast() }
                }
            }
            accumulator.add(ranked: top.map(\.1), relevant: c.relevant) { Double(popularity[Int($0)]) / total }
        }
        return accumulator.result(catalogSize: movies)
    }

    /// The popularity baseline: movies by count of positive training ratings.
    public func popularityScores() -> (Int) -> [Float] {
        let scores = popularity.map(Float.init)
        return { _ in scores }
    }

    /// ItemKNN: a movie's score is the sum of its cosine similarities (on the user × movie matrix) to the user's
    /// training movies. Since cos(i, j) = |users(i) ∩ users(j)| / (‖i‖·‖j‖), the sum is accumulated path by path
    /// (i → a user of i → a movie j of that user) without forming the similarity matrix.
    public func itemKNNScores() -> (Int) -> [Float] {
        let m = matrix
        let inverseNorms = popularity.map { $0 > 0 ? 1 / Float($0).squareRoot() : 0 }
        return { u in
            var scores = [Float](repeating: 0, count: m.items)
            for i in m.items(of: u) {
                let wi = inverseNorms[Int(i)]
                for v in m.users(of: Int(i)) {
                    for j in m.items(of: Int(v)) { scores[Int(j)] += wi * inverseNorms[Int(j)] }
                }
            }
            return scores
        }
    }
}
