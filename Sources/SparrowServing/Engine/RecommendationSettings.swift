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
    /// MMR trade-off of the `ranker` model's list (its scores are logits, so the genre penalty weighs less).
    public var rankerDiversityLambda = 1.0
    /// MMR trade-off of a user without history (popular and fresh movies by rating: more genre variety).
    public var coldStartDiversityLambda = 0.7
    /// Share of genre overlap (Jaccard) in the `genre` similarity score; the rest is the Bayesian average rating.
    public var genreSimilarOverlapWeight = 0.7
    /// Best-rated movies of each of a movie's genres compared by the `genre` similarity.
    public var genreSimilarPool = 200
    /// Default ranking model: `ranker` (trained to pick the next movie), or any CTR model or `emb`.
    public var defaultModel = "ranker"

    /// The defaults.
    public init() {}

    /// Decodes a settings object in which every key is optional (missing ones keep their defaults); an unknown key
    /// is an error that names it, so a typo in a config file does not pass silently.
    public init(from decoder: Decoder) throws {
        self.init()
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let known = Set(CodingKeys.allCases.map(\.stringValue))
        let any = try decoder.container(keyedBy: AnyKey.self)
        if let unknown = any.allKeys.first(where: { !known.contains($0.stringValue) }) {
            throw DecodingError.dataCorruptedError(
                forKey: CodingKeys.annQuota, in: c,
                debugDescription:
                    "unknown setting \"\(unknown.stringValue)\"; known: \(known.sorted().joined(separator: ", "))")
        }
        annQuota = try c.decodeIfPresent(Int.self, forKey: .annQuota) ?? annQuota
        twoTowerQuota = try c.decodeIfPresent(Int.self, forKey: .twoTowerQuota) ?? twoTowerQuota
        itemToItemPerMovie = try c.decodeIfPresent(Int.self, forKey: .itemToItemPerMovie) ?? itemToItemPerMovie
        itemToItemSeeds = try c.decodeIfPresent(Int.self, forKey: .itemToItemSeeds) ?? itemToItemSeeds
        genrePerGenre = try c.decodeIfPresent(Int.self, forKey: .genrePerGenre) ?? genrePerGenre
        popularQuota = try c.decodeIfPresent(Int.self, forKey: .popularQuota) ?? popularQuota
        freshQuota = try c.decodeIfPresent(Int.self, forKey: .freshQuota) ?? freshQuota
        maxCandidates = try c.decodeIfPresent(Int.self, forKey: .maxCandidates) ?? maxCandidates
        diversityLambda = try c.decodeIfPresent(Double.self, forKey: .diversityLambda) ?? diversityLambda
        freshnessBonus = try c.decodeIfPresent(Double.self, forKey: .freshnessBonus) ?? freshnessBonus
        freshnessYears = try c.decodeIfPresent(Double.self, forKey: .freshnessYears) ?? freshnessYears
        popularityExponent = try c.decodeIfPresent(Double.self, forKey: .popularityExponent) ?? popularityExponent
        rankerDiversityLambda =
            try c.decodeIfPresent(Double.self, forKey: .rankerDiversityLambda) ?? rankerDiversityLambda
        coldStartDiversityLambda =
            try c.decodeIfPresent(Double.self, forKey: .coldStartDiversityLambda) ?? coldStartDiversityLambda
        genreSimilarOverlapWeight =
            try c.decodeIfPresent(Double.self, forKey: .genreSimilarOverlapWeight) ?? genreSimilarOverlapWeight
        genreSimilarPool = try c.decodeIfPresent(Int.self, forKey: .genreSimilarPool) ?? genreSimilarPool
        defaultModel = try c.decodeIfPresent(String.self, forKey: .defaultModel) ?? defaultModel
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case annQuota, twoTowerQuota, itemToItemPerMovie, itemToItemSeeds, genrePerGenre, popularQuota, freshQuota
        case maxCandidates, diversityLambda, freshnessBonus, freshnessYears, popularityExponent, rankerDiversityLambda
        case coldStartDiversityLambda, genreSimilarOverlapWeight, genreSimilarPool, defaultModel
    }

    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
