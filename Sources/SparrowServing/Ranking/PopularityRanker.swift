/// What a user without history gets: the popular and fresh candidates by Bayesian average rating (the others are
/// dropped: they need a history).
public struct PopularityRanker: Ranker {
    /// The name answers and metrics carry.
    public let name = "popularity"

    /// Creates the ranker.
    public init() {}

    /// The candidates with `score` set, higher first (see `Ranker`).
    public func rank(_ candidates: [Candidate], in context: StageContext) throws -> [Candidate] {
        let priorMean = context.snapshot.priorMean
        return candidates.filter { $0.channel == .popular || $0.channel == .fresh }.map { c in
            var c = c
            c.score = Float(context.stats(movie: Int(c.movie)).bayesian(priorMean: priorMean) / 5)
            return c
        }
    }
}
