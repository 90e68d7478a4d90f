import Foundation
import Synchronization
import SparrowCore
import SparrowEmbedding
import SparrowFeatures
import SparrowModels
import SparrowTensor

/// The online engine's facade: what the HTTP layer, the near-line and the CLI talk to.
///
/// It is made of three parts. The serving snapshot (`ServingSnapshot`: catalogue, models, vectors, settings) is a
/// value replaced whole under `writes`; the live store (`LiveStore`) alone owns what changes with events, behind one
/// lock; the stages (recall channels, rankers, the re-ranker, the next-item model) are values that get a read-only
/// `StageContext` per request and hold nothing of the engine. Scoring runs outside every lock, on copies.
public final class Recommender: Sendable {
    /// The serving snapshot, read as one value per request.
    let current: Mutex<ServingSnapshot>
    /// Serialises replacing the snapshot (catalogue changes, installs, reloads); holds the next-item versions that
    /// failed to load, so that polling does not retry them.
    let writes = Mutex<Set<Int>>([])
    /// The live state and the caches computed from it.
    let live: LiveStore
    /// The model versions on disk (loaded into the snapshot by `reloadModels`).
    let registry: ServingModels
    /// Scratch graphs for inference.
    let graphs = GraphPool()
    /// Identifies the catalogue and artifacts the initial live state was built from: a checkpoint is restored only
    /// onto the state it was taken from.
    public let stateFingerprint: String

    /// The name of the default served model, the next-item ranker (`model=ranker`).
    public static let defaultModelName = NextItemModel.servedName

    /// The serving snapshot now (a copy of every field: a request takes it once; the accessors below read one field).
    public var snapshot: ServingSnapshot { current.withLock { $0 } }
    /// The catalogue: as loaded at start-up, plus the movies added or updated since (`upsert(movie:)`). Movies are only
    /// ever appended, so a dense movie index, once handed out, names the same movie for the life of the process.
    public var catalog: Catalog { current.withLock { $0.catalogue.catalog } }
    /// The ranking models loaded now.
    public var models: ServingModels.Set { current.withLock { $0.models } }
    /// The next-item model serving now (the default served model, `ranker`).
    public var nextItem: NextItemModel? { current.withLock { $0.nextItem.model } }
    /// The version of `nextItem` (0: `next-item/`; see `NextItemVersions`).
    public var nextItemVersion: Int { current.withLock { $0.nextItem.version } }
    /// Recall and re-rank settings. Setting a new value replaces the snapshot and drops the cached lists.
    public var settings: RecommendationSettings {
        get { current.withLock { $0.settings } }
        set {
            replaceSnapshot { $0.settings = newValue }
            live.withCaches { $0.ranked.removeAll() }
        }
    }
    /// The most rated movies, most first (the `popular` channel).
    public var popular: [Int32] { current.withLock { $0.popular } }
    /// Recent releases with ratings and the movies added while serving, newest first (the `fresh` channel).
    public var fresh: [Int32] { current.withLock { $0.catalogue.fresh } }
    /// Mean of every rating (the Bayesian averages' prior).
    public var priorMean: Double { current.withLock { $0.priorMean } }

    /// Builds the online state from the catalogue (replaying every rating through the shared feature code) and the
    /// given embeddings and models (`models`: the models folder). Movies from index `addedMoviesFrom` on were added
    /// after the data folder's catalogue (`MovieAdditions`): the fresh channel offers them before they have ratings.
    public init(
        catalog: Catalog, movieVectors: [EmbeddingMethod: EmbeddingSet], models: ServingModels,
        nextItem: NextItemModel? = nil, nextItemVersion: Int = 0, addedMoviesFrom: Int? = nil
    ) {
        registry = models
        let vectors = movieVectors.mapValues { $0.normalized() }
        let matrices = vectors.mapValues { MovieMatrix($0, catalog: catalog) }
        let (stats, movieStates) = MovieStats.build(catalog: catalog)
        // Each user's ratings, features, seen set and vector (the offline sample pass's final states).
        let r = catalog.ratings
        let replay = UserReplay(
            genreCount: catalog.genres.count, genreMasks: catalog.movies.map { UserFeatureState.mask($0.genres) },
            years: catalog.movies.map(\.year), vectors: matrices[.item2vec])
        let replayed = replay.replayAll(users: catalog.userIds.count) { u in
            catalog.ratingsOfUser(u).map { (r.movie[Int($0)], r.rating[Int($0)], r.timestamp[Int($0)]) }
        }
        stateFingerprint = Recommender.fingerprint(catalog: catalog, userVectors: replayed.vectors)
        live = LiveStore(
            LiveState(
                users: replayed.features, movies: movieStates, stats: stats, seen: replayed.seen,
                history: replayed.histories, userVectors: replayed.vectors))
        let counts = stats.map(\.count)
        let total = stats.reduce(0.0) { $0 + $1.sum }
        let count = stats.reduce(0) { $0 + $1.count }
        let priorMean = count > 0 ? total / Double(count) : 3.5
        current = Mutex(
            ServingSnapshot(
                catalogue: CatalogState(
                    catalog: catalog, stats: stats, priorMean: priorMean, addedFrom: addedMoviesFrom),
                models: models.loaded, movieVectors: vectors, matrices: matrices,
                lsh: vectors[.item2vec].map {
                    LSHIndex($0, bucketLength: 0.1, tables: 3, projectionsPerTable: 2, multiProbe: true)
                },
                itemToItem: matrices[.item2vec].map(NeighbourIndex.init),
                nextItem: (nextItem.flatMap { $0.catalogSize <= catalog.movies.count ? $0 : nil }, nextItemVersion),
                popular: MovieOrder.ranked((0..<catalog.movies.count).map { ($0, Double(counts[$0])) }, limit: 500),
                priorMean: priorMean, maxRatingCount: max(1, counts.max() ?? 1), settings: RecommendationSettings()))
    }

    /// Replaces the serving snapshot with `change` applied to it, under the write lock.
    func replaceSnapshot(_ change: (inout ServingSnapshot) -> Void) {
        writes.withLock { _ in
            var next = snapshot
            change(&next)
            current.withLock { $0 = next }
        }
    }

    /// Loads model versions dropped into the models folder since the last call (a broken one is refused and the
    /// previous version keeps serving) and serves them from the next request on; returns a line per change.
    @discardableResult
    public func reloadModels() -> [String] {
        let changes = registry.reload()
        replaceSnapshot { $0.models = registry.loaded }
        return changes
    }

    /// The names `recommend(model:)` accepts now: `emb`, the next-item ranker when loaded, each loaded CTR model.
    public var rankingModelNames: [String] { snapshot.rankingModelNames }

    /// Model inference on the snapshot now (what a CTR ranker's context uses).
    var scoring: ModelScoring { ModelScoring(snapshot: snapshot, live: live, graphs: graphs) }

    /// Model versions that failed to load, with the reason.
    public var modelRefusals: [String: String] { registry.refusals }

    /// FNV-1a (word-wise, `FNV1a.mix(word:)`) over the catalogue's sizes, every rating and the initial user vectors.
    static func fingerprint(catalog: Catalog, userVectors: [UserVectorState?]) -> String {
        var h = FNV1a()
        func mix(_ v: UInt64) { h.mix(word: v) }
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
        return String(h.value, radix: 16)
    }

    // MARK: Users

    /// The dense index of a user id (catalogue users first, then users created by events), or nil.
    public func userIndex(id: Int32) -> Int? {
        if let u = current.withLock({ $0.catalogue.catalog.userIndex(id: id) }) { return u }
        return live.newUser(id: id)
    }

    /// The raw id of a dense user index.
    public func userId(_ u: Int) -> Int32 {
        let catalogUsers = catalog.userIds.count
        return u < catalogUsers ? catalog.userIds[u] : live.newUserId(u - catalogUsers)
    }

    /// Copies of a user's live state.
    public func snapshot(user u: Int) -> (features: UserFeatureState, seen: Set<Int32>, vector: [Float]?) {
        live.user(u)
    }

    /// A user's ratings (movie index, score, time), in the order they were applied.
    public func ratings(user u: Int) -> [(movie: Int32, score: Float, timestamp: Int64)] { live.ratings(user: u) }

    /// Live rating statistics of a movie.
    public func stats(movie m: Int) -> MovieStats { live.stats(movie: m) }
}
