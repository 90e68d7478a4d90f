import SparrowServing

/// The allowed names of a choice parameter: fixed, or read from the live server (the loaded models, embeddings and
/// genres), so that the document lists exactly what the server accepts at that moment.
enum Vocabulary: Sendable {
    /// A fixed list.
    case fixed([String])
    /// The ranking model names `model=` accepts (`ranker`, `emb`, the loaded CTR models).
    case rankingModels
    /// `method=` of `/api/v1/similar`: `genre` and each loaded embedding.
    case similarMethods
    /// `model=` of the legacy `/getsimilarmovie`: `emb` (item2vec), each loaded embedding, `genre`.
    case legacySimilarModels
    /// The catalogue's genres (matched without regard to case).
    case genres
    /// TF Serving's model names: the loaded CTR models (`recmodel`, the original's name, for NeuralCF).
    case servingModels

    /// The live names the dynamic vocabularies read.
    struct Live: Sendable {
        var rankingModels: [String]
        var servingModels: [String]
        var embeddings: [String]
        var genres: [String]
        /// A user and a movie of the catalogue, for the document's examples.
        var exampleUser: Int64
        var exampleMovie: Int64
        /// Whether reads and writes need a key, and whether quotas are on (the document's 401, 403 and 429).
        var requiresKeys: Bool
        var quotas: Bool

        /// The names the service accepts now.
        init(_ service: RecommendationService) {
            let r = service.recommender
            exampleUser = Int64(r.catalog.userIds.first ?? 1)
            requiresKeys = service.access.requiresKeys
            let limits = service.access.quotas.limits
            quotas = limits.requestsPerSecond > 0 || limits.eventsPerSecond > 0
            exampleMovie = Int64(r.catalog.movies.first?.id ?? 1)
            rankingModels = r.rankingModelNames
            servingModels = r.models.available.keys.sorted()
            embeddings = r.embeddingNames
            genres = r.catalog.genres
        }
    }

    /// The names, in the order the document lists them.
    func names(_ live: Live) -> [String] {
        switch self {
        case .fixed(let names): names
        case .rankingModels: live.rankingModels
        case .similarMethods: ["genre"] + live.embeddings
        case .legacySimilarModels: ["emb"] + live.embeddings + ["genre"]
        case .genres: live.genres
        case .servingModels: live.servingModels + (live.servingModels.contains("neuralcf") ? ["recmodel"] : [])
        }
    }

    /// Whether `text` is one of the names (genres without regard to case; `nerualcf`, the original's spelling,
    /// for `neuralcf`).
    func accepts(_ text: String, _ live: Live) -> Bool {
        switch self {
        case .genres: live.genres.contains { $0.caseInsensitiveCompare(text) == .orderedSame }
        case .rankingModels:
            names(live).contains(text) || (text == "nerualcf" && live.rankingModels.contains("neuralcf"))
        default: names(live).contains(text)
        }
    }
}
