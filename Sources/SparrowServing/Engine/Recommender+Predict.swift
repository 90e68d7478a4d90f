import Foundation
import SparrowCore
import SparrowFeatures
import SparrowModels

/// One scoring request: a user and a movie, with optional explicit feature values that override the live ones.
public struct PredictInstance: Sendable {
    /// The user (unknown users get an empty history).
    public var userId: Int32
    /// The movie.
    public var movieId: Int32
    /// Float feature overrides by column.
    public var floats: [FloatColumn: Float] = [:]
    /// Integer feature overrides by column (genre columns take genre names in `genres`).
    public var ints: [IntColumn: Int32] = [:]
    /// Genre overrides by column.
    public var genres: [IntColumn: String] = [:]

    /// Creates an instance.
    public init(userId: Int32, movieId: Int32) {
        self.userId = userId
        self.movieId = movieId
    }
}

extension Recommender {
    /// Probabilities from a loaded model for explicit (user, movie) pairs — TF-Serving-style scoring. Features not
    /// given are computed from the live state with the training feature code.
    public func predict(_ instances: [PredictInstance], model loaded: ServingModels.Loaded, now: Int64? = nil) throws
        -> [Float]
    {
        let catalog = self.catalog
        var table = SampleTable(genres: catalog.genres)
        let time = now ?? Int64(Date().timeIntervalSince1970)
        for (k, instance) in instances.enumerated() {
            guard let m = catalog.movieIndex(id: instance.movieId) else {
                throw EngineError.notFound("instance \(k): unknown movieId \(instance.movieId)")
            }
            let u = userIndex(id: instance.userId)
            let features = u.map { live.user($0).features } ?? UserFeatureState(genreCount: catalog.genres.count)
            let movieState = live.withState { $0.movies[m] }
            let row = SampleRow(
                ratingRow: -1, user: u ?? 0, movie: m, rating: 0, timestamp: time,
                movieFeatures: movieState.features(of: catalog.movies[m]), userFeatures: features.features())
            table.append(row, catalog: catalog, userId: instance.userId)
            for (c, v) in instance.floats { table.set(c, row: k, to: v) }
            for (c, v) in instance.ints { table.set(c, row: k, to: v) }
            for (c, name) in instance.genres {
                guard let g = catalog.genreIndex(name) else {
                    throw EngineError.invalidInput("instance \(k): unknown genre \"\(name)\" in \(c.name)")
                }
                table.set(c, row: k, to: Int32(g))
            }
        }
        let encoded = EncodedSamples(table, spec: loaded.artifact.spec, fields: loaded.model.usesFields)
        return graphs.with { g in g.values(loaded.model.logits(encoded, on: g)).map { 1 / (1 + exp(-$0)) } }
    }
}
