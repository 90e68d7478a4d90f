import Foundation
import Synchronization
import SparrowCore
import SparrowEmbedding
import SparrowFeatures
import SparrowModels
import SparrowTensor

/// The online half of Sparrow: the catalog plus every user's and movie's live feature state, the embeddings and the
/// ranking models, answering recommendation requests (recall → rank → re-rank) and absorbing new ratings.
///
/// Reads and writes of the live state are serialised by one mutex (`LiveState`); the catalog indexes are immutable
/// and shared freely; scoring runs outside the lock on copies of the states it needs, on graphs from a pool, so
/// requests proceed in parallel.
public final class Recommender: Sendable {
    /// The catalog: as loaded at start-up, plus the movies added or updated since (`upsert(movie:)`). Movies are only
    /// ever appended, so a dense movie index, once handed out, names the same movie for the life of the process.
    public var catalog: Catalog { catalogState.withLock { $0.catalog } }
    /// The catalogue and what is derived from it per movie, replaced whole by `upsert(movie:)`.
    let catalogState: Mutex<CatalogState>
    /// Serialises catalogue changes.
    let catalogWrites = Mutex(())
    /// The ranking models.
    public let models: ServingModels
    /// Movie vectors for recall and similarity, by method (`item2vec`, `deepwalk`, `node2vec`), unit length.
    public let movieVectors: [EmbeddingMethod: EmbeddingSet]
    /// The movie vectors laid out by catalog index, for exact search.
    let matrices: [EmbeddingMethod: MovieMatrix]
    let lsh: LSHIndex?
    /// The next-item model: candidates from EASE, item-to-item, transitions, ALS and SASRec, and the listwise ranker
    /// trained to pick (the default served model, `ranker`). Replaced whole when a retrained version is promoted
    /// (`install(nextItem:version:)`); each request reads one value.
    public var nextItem: NextItemModel? { nextItemState.withLock { $0.model } }
    /// The version of `nextItem` (0: `next-item/`; see `NextItemVersions`).
    public var nextItemVersion: Int { nextItemState.withLock { $0.version } }
    let nextItemState: Mutex<(model: NextItemModel?, version: Int)>
    /// Versions that failed to load, so that polling does not retry them.
    let refusedNextItem = Mutex<Set<Int>>([])
    /// Recall and re-rank settings. Each request reads one value; setting a new one swaps it whole and drops the
    /// cached lists.
    public var settings: RecommendationSettings {
        get { settingsValue.withLock { $0 } }
        set {
            settingsValue.withLock { $0 = newValue }
            rankedCache.withLock { $0.removeAll() }
        }
    }
    let settingsValue = Mutex(RecommendationSettings())
    /// The live state (see `LiveState`); scoring runs outside the lock on copies.
    let liveState: Mutex<LiveState>
    /// Identifies the catalogue and artifacts the initial live state was built from: a checkpoint is restored only
    /// onto the state it was taken from.
    public let stateFingerprint: String
    /// The most rated movies, most first (the `popular` channel).
    public let popular: [Int32]
    /// Recent releases with ratings and the movies added while serving, newest first (the `fresh` channel).
    public var fresh: [Int32] { catalogState.withLock { $0.fresh } }
    var genreRanking: [[Int32]] { catalogState.withLock { $0.genreRanking } }
    /// Mean of every rating (the Bayesian averages' prior).
    public let priorMean: Double
    /// The largest rating count of a movie.
    public let maxRatingCount: Int
    var genreMasks: [UInt64] { catalogState.withLock { $0.genreMasks } }
    var years: [Int?] { catalogState.withLock { $0.years } }
    var firstGenres: [[Int16]] { catalogState.withLock { $0.firstGenres } }
    let graphs = GraphPool()
    let towerCache = Mutex<[String: MovieMatrix]>([:])
    /// The encoded catalog per model version (ranking's movie-side inputs).
    let inputCache = Mutex<[String: MovieInputs]>([:])
    /// Movies rated since the background refresh last ran.
    let ratedSinceRefresh = Mutex<Set<Int>>([])
    /// Each user's ranked next-item list, and the served lists re-ranked from it by length, with the length of the
    /// history they were computed from: any rating applied to the user changes that length (the history only grows),
    /// so a cached list is never stale. Cleared when it holds `rankedCacheLimit` users or the settings change.
    let rankedCache = Mutex<[Int: RankedEntry]>([:])
    /// Room for every user of the catalogue (the lists computed offline hold one each) and as many new ones.
    var rankedCacheLimit: Int { max(100_000, 2 * catalog.userIds.count) }
    /// Item-to-item search over the item2vec vectors (each seed's neighbours memoised).
    let itemToItem: NeighbourIndex?

    /// Builds the online state from the catalog (replaying every rating through the shared feature code) and the
    /// given embeddings and models. Movies from index `addedMoviesFrom` on were added after the data folder's
    /// catalogue (`MovieAdditions`): the fresh channel offers them before they have ratings.
    public init(
        catalog: Catalog, movieVectors: [EmbeddingMethod: EmbeddingSet], models: ServingModels,
        nextItem: NextItemModel? = nil, nextItemVersion: Int = 0, addedMoviesFrom: Int? = nil
    ) {
        self.models = models
        nextItemState = Mutex(
            (nextItem.flatMap { $0.catalogSize <= catalog.movies.count ? $0 : nil }, nextItemVersion))
        self.movieVectors = movieVectors.mapValues { $0.normalized() }
        matrices = self.movieVectors.mapValues { MovieMatrix($0, catalog: catalog) }
        itemToItem = matrices[.item2vec].map(NeighbourIndex.init)
        lsh = self.movieVectors[.item2vec].map {
            LSHIndex($0, bucketLength: 0.1, tables: 3, projectionsPerTable: 2, multiProbe: true)
        }
        let r = catalog.ratings
        let (stats, movieStates) = MovieStats.build(catalog: catalog)
        // Each user's ratings, features, seen set and vector (the offline sample pass's final states).
        let replay = UserReplay(
            genreCount: catalog.genres.count, genreMasks: catalog.movies.map { UserFeatureState.mask($0.genres) },
            years: catalog.movies.map(\.year), vectors: matrices[.item2vec])
        let replayed = replay.replayAll(users: catalog.userIds.count) { u in
            catalog.ratingsOfUser(u).map { (r.movie[Int($0)], r.rating[Int($0)], r.timestamp[Int($0)]) }
        }
        let userVectors = replayed.vectors
        stateFingerprint = Recommender.fingerprint(catalog: catalog, userVectors: userVectors)
        liveState = Mutex(
            LiveState(
                users: replayed.features, movies: movieStates, stats: stats, seen: replayed.seen,
                history: replayed.histories, userVectors: userVectors))
        let counts = stats.map(\.count)
        maxRatingCount = max(1, counts.max() ?? 1)
        popular = Recommender.ranked((0..<catalog.movies.count).map { ($0, Double(counts[$0])) }, limit: 500)
        let total = stats.reduce(0.0) { $0 + $1.sum }
        let count = stats.reduce(0) { $0 + $1.count }
        priorMean = count > 0 ? total / Double(count) : 3.5
        catalogState = Mutex(
            CatalogState(catalog: catalog, stats: stats, priorMean: priorMean, addedFrom: addedMoviesFrom))
    }

    /// FNV-1a over the catalogue's sizes, every rating and the initial user vectors.
    static func fingerprint(catalog: Catalog, userVectors: [UserVectorState?]) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ v: UInt64) {
            h ^= v
            h = h &* 0x100_0000_01b3
        }
        // Not the number of movies: movies added while serving are appended (a checkpoint taken before an
        // addition is extended on restore, see `restore`).
        mix(UInt64(catalog.userIds.count))
        let r = catalog.ratings
        for i in 0..<r.count {
            mix(UInt64(UInt32(bitPattern: r.user[i])) << 32 | UInt64(UInt32(bitPattern: r.movie[i])))
            mix(UInt64(r.rating[i].bitPattern) << 32 ^ UInt64(bitPattern: r.timestamp[i]))
        }
        for v in userVectors {
            guard let v else {
                mix(0)
                continue
            }
            mix(UInt64(v.weight.bitPattern))
            for x in v.sum.prefix(8) { mix(UInt64(x.bitPattern)) }
        }
        return String(h, radix: 16)
    }

    /// Movie indices by descending key, ties by index, at most `limit`.
    static func ranked(_ keyed: [(Int, Double)], limit: Int) -> [Int32] {
        keyed.sorted { $0.1 > $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }.prefix(limit).map { Int32($0.0) }
    }

    // MARK: Users

    /// The dense index of a user id (catalog users first, then users created by events), or nil.
    public func userIndex(id: Int32) -> Int? {
        if let u = catalog.userIndex(id: id) { return u }
        return liveState.withLock { $0.newUsers[id] }
    }

    /// The raw id of a dense user index.
    public func userId(_ u: Int) -> Int32 {
        u < catalog.userIds.count ? catalog.userIds[u] : liveState.withLock { $0.newUserIds[u - catalog.userIds.count] }
    }

    /// Copies of a user's live state.
    public func snapshot(user u: Int) -> (features: UserFeatureState, seen: Set<Int32>, vector: [Float]?) {
        liveState.withLock { ($0.users[u], $0.seen[u], $0.userVectors[u]?.vector) }
    }

    /// A user's ratings (movie index, score, time), oldest first.
    public func ratings(user u: Int) -> [(movie: Int32, score: Float, timestamp: Int64)] {
        liveState.withLock { $0.history[u] }
    }

    /// Live rating statistics of a movie.
    public func stats(movie m: Int) -> MovieStats { liveState.withLock { $0.stats[m] } }
}

/// Graphs reused across requests (each holds an arena of scratch memory).
final class GraphPool: @unchecked Sendable {
    private let lock = NSLock()
    private var free: [Graph] = []

    func with<T>(_ body: (Graph) throws -> T) rethrows -> T {
        let g = lock.withLock { free.popLast() } ?? Graph()
        defer {
            g.reset()
            lock.withLock { free.append(g) }
        }
        g.isTraining = false
        return try body(g)
    }
}
