import Foundation

/// A click-through-rate model (Embedding+MLP, Wide&Deep, NeuralCF, DeepFM, DIN, DIEN, Two-Tower…): p(like once
/// watched) from the live user and movie features, times a popularity prior (see
/// `RecommendationSettings.popularityExponent`).
public struct CTRRanker: Ranker {
    /// The loaded model version.
    public let model: ServingModels.Loaded
    /// Exponent of the popularity prior (0 = the model's probability alone).
    public var popularityExponent: Double
    /// Request time (features such as "days since the last rating" read it).
    public var now: Int64

    /// The name answers and metrics carry.
    public let name: String

    /// Creates the ranker for the model loaded as `name`.
    public init(name: String, model: ServingModels.Loaded, popularityExponent: Double, now: Int64) {
        self.name = name
        self.model = model
        self.popularityExponent = popularityExponent
        self.now = now
    }

    /// The candidates with `score` set, higher first (see `Ranker`).
    public func rank(_ candidates: [Candidate], in context: StageContext) throws -> [Candidate] {
        let request = context.request
        let probabilities = context.scoring.rank(
            candidates, user: request.user, userId: request.userId, features: request.state, model: model, now: now)
        let counts = candidates.map { context.stats(movie: Int($0.movie)).count }
        let top = log1p(Double(context.snapshot.maxRatingCount))
        var scored = candidates
        for i in scored.indices {
            let prior = popularityExponent == 0 ? 1 : pow(log1p(Double(counts[i])) / top, popularityExponent)
            scored[i].probability = probabilities[i]
            scored[i].score = probabilities[i] * Float(prior)
        }
        return scored
    }
}
