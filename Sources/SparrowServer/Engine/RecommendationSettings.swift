/// Recall quotas and re-rank settings (all configurable from the server's config file).
public struct RecommendationSettings: Sendable, Codable, Equatable {
    /// Candidates from the user vector's nearest movies (LSH).
    public var annQuota = 200
    /// Candidates from the Two-Tower model's user vector (when a `two-tower` model is loaded).
    public var twoTowerQuota = 150
    /// Candidates from each recent positive movie's nearest movies (item-to-item).
    public var itemToItemPerMovie = 30
    /// Recent positive movies used as item-to-item seeds.
    public var itemToItemSeeds = 5
    /// Candidates from each of the user's favourite genres.
    public var genrePerGenre = 40
    /// Popular candidates.
    public var popularQuota = 100
    /// Fresh (newest) candidates.
    public var freshQuota = 50
    /// Upper bound on candidates ranked (the original ranks up to 800).
    public var maxCandidates = 800
    /// MMR trade-off: 1 = pure relevance, lower = more genre diversity.
    public var diversityLambda = 0.85
    /// Score bonus for a movie released this year, decaying linearly to 0 over `freshnessYears`.
    public var freshnessBonus = 0.005
    /// Years over which the freshness bonus decays.
    public var freshnessYears = 10.0
    /// The ranked score is p(like) × (log(1+ratings) / log(1+most ratings))^popularityExponent: CTR models say whether
    /// a user will like a movie once they watch it, not whether they will pick it, so a popularity prior restores the
    /// second part (0 = pure model probability).
    public var popularityExponent = 1.0
    /// Default ranking model.
    public var defaultModel = "embedding-mlp"

    /// The defaults.
    public init() {}
}
