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
    /// A user's live snapshot as the recall channels see it.
    public func request(userId: Int32) -> RecallRequest {
        let u = userIndex(id: userId)
        let live = u.map { self.live.user($0) }
        let hasHistory = (live?.features.totalRatings ?? 0) > 0
        return RecallRequest(
            userId: userId, user: u, state: live?.features, features: hasHistory ? live!.features.features() : nil,
            vector: live?.vector, seen: live?.seen ?? [])
    }

    /// The context of a request by `userId` on `snapshot` (the one now when nil): what the stages read.
    public func context(userId: Int32, snapshot: ServingSnapshot? = nil) -> StageContext {
        StageContext(request: request(userId: userId), snapshot: snapshot ?? self.snapshot, live: live, graphs: graphs)
    }

    /// The merged candidates of the settings' channels for a user.
    public func recall(userId: Int32) -> [Candidate] {
        let context = context(userId: userId)
        let snapshot = context.snapshot
        return RecommendationPipeline(
            channels: snapshot.channels(snapshot.settings), maxCandidates: snapshot.settings.maxCandidates,
            ranker: PopularityRanker(), reranker: snapshot.reranker(snapshot.settings, lambda: 1),
            catalogSize: snapshot.catalog.movies.count
        ).recall(context)
    }

    /// Recommendations for a user id: recall → rank → re-rank. The default (`ranker`) serves the next-item model's
    /// list for a user with a history; other names run the channels and that model; users without history get
    /// popular, diverse movies.
    public func recommend(userId: Int32, n: Int, model name: String? = nil, now: Int64? = nil) throws -> Recommendation
    {
        let request = request(userId: userId)
        // The default path reads two fields of the snapshot; a pipeline, all of it.
        let (settings, next) = current.withLock { ($0.settings, $0.nextItem) }
        let modelName = name ?? settings.defaultModel
        let hasHistory = request.features != nil
        if hasHistory, modelName == NextItemModel.servedName, let model = next.model, let u = request.user {
            return recommendNext(
                user: u, seen: request.seen, model: model, modelVersion: next.version, settings: settings, n: n,
                day: now.map(MovieTimeline.day(of:)))
        }
        let snapshot = self.snapshot
        let pipeline = try snapshot.pipeline(
            model: modelName, hasHistory: hasHistory, now: now ?? Int64(Date().timeIntervalSince1970))
        return try pipeline.recommend(
            StageContext(request: request, snapshot: snapshot, live: live, graphs: graphs), n: n)
    }

    /// Recommendations for a user id through a pipeline composed by the caller (custom channels or rankers), from
    /// the engine's live state.
    public func recommend(userId: Int32, n: Int, pipeline: RecommendationPipeline) throws -> Recommendation {
        try pipeline.recommend(context(userId: userId), n: n)
    }

    /// Movies similar to a movie by an embedding method, or by genre overlap and rating (`method` nil, and for a
    /// movie without a vector: one with no ratings).
    public func similar(movie m: Int, n: Int, method: EmbeddingMethod?) -> [(movie: Int32, score: Float)] {
        let snapshot = self.snapshot
        if let method, let matrix = snapshot.matrices[method], let v = matrix.vector(m) {
            return matrix.top(Array(v), k: n, skip: snapshot.seenMask([Int32(m)])).map { ($0.movie, $0.score) }
        }
        let settings = snapshot.settings
        let overlap = settings.genreSimilarOverlapWeight
        let movies = snapshot.catalogue
        let genres = Set(movies.catalog.movies[m].genres)
        var scored: [(Int32, Float)] = []
        let candidates = Set(genres.flatMap { movies.genreRanking[Int($0)].prefix(settings.genreSimilarPool) })
        for c in candidates where Int(c) != m {
            let other = Set(movies.catalog.movies[Int(c)].genres)
            let jaccard = Double(genres.intersection(other).count) / Double(max(1, genres.union(other).count))
            let quality = stats(movie: Int(c)).bayesian(priorMean: snapshot.priorMean) / 5
            scored.append((c, Float(overlap * jaccard + (1 - overlap) * quality)))
        }
        return MovieOrder.sorted(scored).prefix(n).map { ($0.0, $0.1) }
    }

    /// The embedding methods `similar` can use now, by name (`item2vec`, `deepwalk`, `node2vec`).
    public var embeddingNames: [String] { snapshot.movieVectors.keys.map(\.rawValue).sorted() }

    /// `similar(movie:n:method:)` with the method by name: an embedding's (`emb`, the original's word, is item2vec);
    /// nil or any other name, genre overlap and rating.
    public func similar(movie m: Int, n: Int, methodNamed name: String?) -> [(movie: Int32, score: Float)] {
        similar(movie: m, n: n, method: name == "emb" ? .item2vec : name.flatMap(EmbeddingMethod.init(rawValue:)))
    }

    /// Movies of a genre in the order of `sort`.
    public func movies(genre: Int16?, sortBy: MovieSort, offset: Int, limit: Int) -> [Int32] {
        let snapshot = self.snapshot
        let catalog = snapshot.catalog
        var list: [Int32]
        if let genre {
            list = (0..<catalog.movies.count).filter { catalog.movies[$0].genres.contains(genre) }.map(Int32.init)
        } else {
            list = (0..<catalog.movies.count).map(Int32.init)
        }
        let stats = live.allStats()
        switch sortBy {
        case .rating:
            list = MovieOrder.sorted(list.map { ($0, stats[Int($0)].bayesian(priorMean: snapshot.priorMean)) }).map(\.0)
        case .releaseYear:
            list = MovieOrder.sorted(list.map { ($0, catalog.movies[Int($0)].year ?? 0) }).map(\.0)
        case .popularity:
            list = MovieOrder.sorted(list.map { ($0, stats[Int($0)].count) }).map(\.0)
        case .id:
            break
        }
        return Array(list.dropFirst(offset).prefix(limit))
    }
}
