/// What a user without history gets: the popular and fresh candidates by Bayesian average rating (the others are
/// dropped: they need a history).
public struct PopularityRanker: Ranker {
    /// The name answers and metrics carry.
    public let name = "popularity"
    /// The engine whose live statistics are read.
    public let recommender: Recommender

    /// Creates the ranker.
    public init(recommender: Recommender) { self.recommender = recommender }

    /// The candidates with `score` set, higher first (see `Ranker`).
    public func rank(_ candidates: [Candidate], for request: RecallRequest) throws -> [Candidate] {
        candidates.filter { $0.channel == .popular || $0.channel == .fresh }.map { c in
            var c = c
            let average = recommender.stats(movie: Int(c.movie)).bayesian(priorMean: recommender.priorMean)
            c.score = Float(average / 5)
            return c
        }
    }
}
