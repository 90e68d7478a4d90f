import CSparrowKernels
import Foundation
import SparrowCore
import SparrowEmbedding
import SparrowFeatures
import SparrowModels

/// A candidate movie with where it came from.
public struct Candidate: Sendable, Equatable {
    /// Dense movie index.
    public var movie: Int32
    /// The recall channel that found it (`RecallChannel.name`).
    public var channel: ChannelName
    /// The liked movie that led here (item-to-item), or the genre index (genre channel).
    public var source: Int32?
    /// Final score after ranking and re-ranking.
    public var score: Float = 0
    /// Model probability (nil when unranked).
    public var probability: Float?

    /// Creates a candidate.
    public init(movie: Int32, channel: ChannelName, source: Int32? = nil, score: Float = 0, probability: Float? = nil) {
        self.movie = movie
        self.channel = channel
        self.source = source
        self.score = score
        self.probability = probability
    }
}

/// One recommendation answer.
public struct Recommendation: Sendable {
    /// The movies, best first.
    public var items: [Candidate]
    /// The model that ranked them ("popularity" when none applied).
    public var model: String
    /// How many candidates each channel produced (after de-duplication).
    public var recallSizes: [String: Int]
    /// Seconds spent in the model.
    public var inferenceSeconds: Double
}

extension Recommender {
    /// 1 for each movie index in `seen`, over the whole catalog (the skip mask of a search).
    func seenMask<S: Sequence<Int32>>(_ seen: S) -> [UInt8] {
        var mask = [UInt8](repeating: 0, count: catalog.movies.count)
        for m in seen { mask[Int(m)] = 1 }
        return mask
    }

    /// Rank: probabilities of `candidates` for user `u` by a loaded model, computed from the live user and movie
    /// states with the same feature code as training.
    func rank(
        _ candidates: [Candidate], user u: Int?, userId: Int32, features: UserFeatureState?,
        model loaded: ServingModels.Loaded,
        now: Int64
    ) -> [Float] {
        guard !candidates.isEmpty else { return [] }
        let userState = features ?? UserFeatureState(genreCount: catalog.genres.count)
        guard EncodedSamples.canPair(loaded.artifact.spec) else {
            return rankRows(candidates, user: u, userId: userId, features: userState, model: loaded, now: now)
        }
        return rankPaired(
            candidates.map { Int($0.movie) }, user: u, userId: userId, features: userState, loaded: loaded, now: now)
    }

    func probabilities(_ loaded: ServingModels.Loaded, _ encoded: EncodedSamples) -> [Float] {
        graphs.with { g in
            let logits = g.values(loaded.model.logits(encoded, on: g))
            return logits.map { 1 / (1 + exp(-$0)) }
        }
    }

    /// Rank by building one sample row per candidate — for specs with inputs that depend on both sides (and as the
    /// reference the paired path is tested against).
    func rankRows(
        _ candidates: [Candidate], user u: Int?, userId: Int32, features userState: UserFeatureState,
        model loaded: ServingModels.Loaded, now: Int64
    ) -> [Float] {
        let movies = catalogState.withLock { $0 }
        let catalog = movies.catalog
        var table = SampleTable(genres: catalog.genres)
        table.reserve(candidates.count)
        let userFeatures = userState.features()
        let movieStates = liveState.withLock { s in candidates.map { s.movies[Int($0.movie)] } }
        for (c, state) in zip(candidates, movieStates) {
            let m = Int(c.movie)
            let row = SampleRow(
                ratingRow: -1, user: u ?? 0, movie: m, rating: 0, timestamp: now,
                movieFeatures: state.features(releaseYear: movies.years[m], firstGenres: movies.firstGenres[m]),
                userFeatures: userFeatures)
            table.append(row, catalog: catalog, userId: userId)
        }
        return probabilities(loaded, EncodedSamples(table, spec: loaded.artifact.spec, fields: loaded.model.usesFields))
    }

    /// A user's live snapshot as the recall channels see it.
    public func request(userId: Int32) -> RecallRequest {
        let u = userIndex(id: userId)
        let live = u.map { snapshot(user: $0) }
        let hasHistory = (live?.features.totalRatings ?? 0) > 0
        return RecallRequest(
            userId: userId, user: u, state: live?.features, features: hasHistory ? live!.features.features() : nil,
            vector: live?.vector, seen: live?.seen ?? [])
    }

    /// The recall channels of `settings`, in priority order: item-to-item, embedding (LSH), Two-Tower (when loaded),
    /// genre, fresh, popular.
    public func channels(_ settings: RecommendationSettings) -> [any RecallChannel] {
        channels(settings, movies: catalogState.withLock { $0 })
    }

    func channels(_ settings: RecommendationSettings, movies: CatalogState) -> [any RecallChannel] {
        var out: [any RecallChannel] = []
        if let itemToItem {
            out.append(
                ItemToItemChannel(
                    neighbours: itemToItem, seeds: settings.itemToItemSeeds, perMovie: settings.itemToItemPerMovie))
        }
        if let lsh { out.append(EmbeddingChannel(index: lsh, catalog: movies.catalog, quota: settings.annQuota)) }
        if models.model("two-tower") != nil {
            out.append(TwoTowerChannel(recommender: self, quota: settings.twoTowerQuota))
        }
        out.append(GenreChannel(ranking: movies.genreRanking, perGenre: settings.genrePerGenre))
        out.append(FreshChannel(movies: movies.fresh, quota: settings.freshQuota))
        out.append(PopularChannel(movies: popular, quota: settings.popularQuota))
        return out
    }

    /// The re-ranker of `settings` with MMR trade-off `lambda`.
    public func reranker(_ settings: RecommendationSettings, lambda: Double) -> Reranker {
        reranker(settings, lambda: lambda, movies: catalogState.withLock { $0 })
    }

    func reranker(_ settings: RecommendationSettings, lambda: Double, movies: CatalogState) -> Reranker {
        Reranker(
            lambda: lambda, freshnessBonus: settings.freshnessBonus, freshnessYears: settings.freshnessYears,
            years: movies.years, genreMasks: movies.genreMasks)
    }

    /// The names `recommend(model:)` accepts now: `emb`, the next-item ranker when loaded, each loaded CTR model.
    public var rankingModelNames: [String] {
        ["emb"] + (nextItem == nil ? [] : [NextItemModel.servedName]) + models.available.keys.sorted()
    }

    /// The pipeline of a request: the settings' channels, the named ranker (`emb`, a loaded CTR model, or the
    /// popularity ranker for a user without history) and the settings' re-ranker.
    public func pipeline(
        model name: String, hasHistory: Bool, settings: RecommendationSettings, now: Int64? = nil
    ) throws -> RecommendationPipeline {
        let movies = catalogState.withLock { $0 }  // one catalogue for the channels and the re-ranker
        let ranker: any Ranker
        var lambda = settings.diversityLambda
        if !hasHistory {
            ranker = PopularityRanker(recommender: self)
            lambda = settings.coldStartDiversityLambda
        } else if name == "emb" {
            ranker = EmbeddingRanker(vectors: movieVectors[.item2vec], catalog: movies.catalog)
        } else if let loaded = models.model(name) {
            ranker = CTRRanker(
                name: name, recommender: self, model: loaded, popularityExponent: settings.popularityExponent,
                now: now ?? Int64(Date().timeIntervalSince1970))
        } else {
            throw EngineError.unknownModel(name, available: rankingModelNames)
        }
        return RecommendationPipeline(
            channels: channels(settings, movies: movies), maxCandidates: settings.maxCandidates, ranker: ranker,
            reranker: reranker(settings, lambda: lambda, movies: movies), catalogSize: movies.catalog.movies.count)
    }

    /// The merged candidates of the settings' channels for a request.
    public func recall(_ request: RecallRequest) -> [Candidate] {
        let movies = catalogState.withLock { $0 }
        return RecommendationPipeline(
            channels: channels(settings, movies: movies), maxCandidates: settings.maxCandidates,
            ranker: PopularityRanker(recommender: self), reranker: reranker(settings, lambda: 1, movies: movies),
            catalogSize: movies.catalog.movies.count
        ).recall(request)
    }

    /// Recommendations for a user id: recall → rank → re-rank. The default (`ranker`) serves the next-item model's
    /// list for a user with a history; other names run the channels and that model; users without history get
    /// popular, diverse movies.
    public func recommend(userId: Int32, n: Int, model name: String? = nil, now: Int64? = nil) throws -> Recommendation
    {
        let settings = self.settings
        let modelName = name ?? settings.defaultModel
        let request = request(userId: userId)
        let hasHistory = request.features != nil
        let next = nextItemState.withLock { $0 }
        if hasHistory, modelName == NextItemModel.servedName, let model = next.model, let u = request.user {
            return recommendNext(
                user: u, seen: request.seen, model: model, modelVersion: next.version, n: n,
                day: now.map(MovieTimeline.day(of:)))
        }
        let pipeline = try pipeline(model: modelName, hasHistory: hasHistory, settings: settings, now: now)
        return try pipeline.recommend(request, n: n)
    }

    /// Recommendations for a user id through a pipeline composed by the caller (custom channels or rankers), from
    /// the engine's live state.
    public func recommend(userId: Int32, n: Int, pipeline: RecommendationPipeline) throws -> Recommendation {
        try pipeline.recommend(request(userId: userId), n: n)
    }

    /// Movies similar to a movie by an embedding method, or by genre overlap and rating (`method` nil, and for a
    /// movie without a vector: one with no ratings).
    public func similar(movie m: Int, n: Int, method: EmbeddingMethod?) -> [(movie: Int32, score: Float)] {
        if let method, let matrix = matrices[method], let v = matrix.vector(m) {
            return matrix.top(Array(v), k: n, skip: seenMask([Int32(m)])).map { ($0.movie, $0.score) }
        }
        let settings = self.settings  // one read: each read takes the settings lock
        let overlap = settings.genreSimilarOverlapWeight
        let movies = catalogState.withLock { $0 }
        let genres = Set(movies.catalog.movies[m].genres)
        var scored: [(Int32, Float)] = []
        let candidates = Set(genres.flatMap { movies.genreRanking[Int($0)].prefix(settings.genreSimilarPool) })
        for c in candidates where Int(c) != m {
            let other = Set(movies.catalog.movies[Int(c)].genres)
            let jaccard = Double(genres.intersection(other).count) / Double(max(1, genres.union(other).count))
            let quality = stats(movie: Int(c)).bayesian(priorMean: priorMean) / 5
            scored.append((c, Float(overlap * jaccard + (1 - overlap) * quality)))
        }
        return scored.sorted { $0.1 > $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }.prefix(n).map { ($0.0, $0.1) }
    }

    /// Movies of a genre in the order of `sort`.
    public func movies(genre: Int16?, sortBy: MovieSort, offset: Int, limit: Int) -> [Int32] {
        let catalog = self.catalog
        var list: [Int32]
        if let genre {
            list = (0..<catalog.movies.count).filter { catalog.movies[$0].genres.contains(genre) }.map(Int32.init)
        } else {
            list = (0..<catalog.movies.count).map(Int32.init)
        }
        let snapshot = liveState.withLock { $0.stats }
        switch sortBy {
        case .rating:
            let keyed = list.map { ($0, snapshot[Int($0)].bayesian(priorMean: priorMean)) }
            list = keyed.sorted { $0.1 > $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }.map(\.0)
        case .releaseYear:
            let years = list.map { catalog.movies[Int($0)].year ?? 0 }
            list = zip(list, years).sorted { $0.1 > $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }.map(\.0)
        case .popularity:
            let counts = list.map { snapshot[Int($0)].count }
            list = zip(list, counts).sorted { $0.1 > $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }.map(\.0)
        case .id:
            break
        }
        return Array(list.dropFirst(offset).prefix(limit))
    }
}
