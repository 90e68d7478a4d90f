import SparrowCore
import SparrowFeatures

/// What a stage — a recall channel, a ranker — sees of one request: the user's live snapshot, the serving snapshot,
/// and read access to the movies' live statistics and the scoring caches. Built per request by the engine
/// (`Recommender.context(userId:)`); a stage holds nothing of the engine.
public struct StageContext: Sendable {
    /// The user's live snapshot.
    public let request: RecallRequest
    /// The serving snapshot the request reads.
    public let snapshot: ServingSnapshot
    /// The live store (read here; its caches are filled on use).
    let live: LiveStore
    /// Scratch graphs for model inference.
    let graphs: GraphPool

    /// The catalogue.
    public var catalog: Catalog { snapshot.catalogue.catalog }

    /// Live rating statistics of a movie.
    public func stats(movie m: Int) -> MovieStats { live.stats(movie: m) }

    /// Model inference on this request's snapshot and the live movie states.
    var scoring: ModelScoring { ModelScoring(snapshot: snapshot, live: live, graphs: graphs) }
}
