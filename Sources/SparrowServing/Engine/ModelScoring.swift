import Foundation
import SparrowCore
import SparrowFeatures
import SparrowModels
import SparrowTensor

/// Model inference for one request: the loaded models' probabilities for a user and candidate movies, computed from
/// the serving snapshot and the live user and movie states with the same feature code as training. A value built per
/// request (`StageContext.scoring`); the encoded movie inputs and Two-Tower vectors it needs are cached in the live
/// store, per model version.
struct ModelScoring: Sendable {
    let snapshot: ServingSnapshot
    let live: LiveStore
    let graphs: GraphPool

    var catalogue: CatalogState { snapshot.catalogue }

    /// Probabilities of `candidates` for user `u` by a loaded model.
    func rank(
        _ candidates: [Candidate], user u: Int?, userId: Int32, features: UserFeatureState?,
        model loaded: ServingModels.Loaded, now: Int64
    ) -> [Float] {
        guard !candidates.isEmpty else { return [] }
        let userState = features ?? UserFeatureState(genreCount: catalogue.catalog.genres.count)
        guard EncodedSamples.canPair(loaded.artifact.spec) else {
            return rankRows(candidates, user: u, userId: userId, features: userState, model: loaded, now: now)
        }
        return rankPaired(
            candidates.map { Int($0.movie) }, user: u, userId: userId, features: userState, loaded: loaded, now: now)
    }

    /// The sigmoid of the model's logits for `encoded`.
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
        let catalog = catalogue.catalog
        var table = SampleTable(genres: catalog.genres)
        table.reserve(candidates.count)
        let userFeatures = userState.features()
        let movieStates = live.withState { s in candidates.map { s.movies[Int($0.movie)] } }
        for (c, state) in zip(candidates, movieStates) {
            let m = Int(c.movie)
            let row = SampleRow(
                ratingRow: -1, user: u ?? 0, movie: m, rating: 0, timestamp: now,
                movieFeatures: state.features(releaseYear: catalogue.years[m], firstGenres: catalogue.firstGenres[m]),
                userFeatures: userFeatures)
            table.append(row, catalog: catalog, userId: userId)
        }
        return probabilities(loaded, EncodedSamples(table, spec: loaded.artifact.spec, fields: loaded.model.usesFields))
    }

    /// The movies' samples as of now, paired with an empty user (only their movie-side inputs are read), encoded
    /// with the model's spec — through the same feature code as training; with each movie's rating count.
    func encodeMovies(_ indices: [Int], spec: FeatureSpec, fields: Bool) -> (EncodedSamples, [Int]) {
        let catalog = catalogue.catalog
        var table = SampleTable(genres: catalog.genres)
        table.reserve(indices.count)
        let empty = UserFeatureState(genreCount: catalog.genres.count).features()
        let (states, versions) = live.withState { s in
            (indices.map { s.movies[$0] }, indices.map { s.stats[$0].count })
        }
        for (m, state) in zip(indices, states) {
            let row = SampleRow(
                ratingRow: -1, user: 0, movie: m, rating: 0, timestamp: 0,
                movieFeatures: state.features(releaseYear: catalogue.years[m], firstGenres: catalogue.firstGenres[m]),
                userFeatures: empty)
            table.append(row, catalog: catalog, userId: 0)
        }
        return (EncodedSamples(table, spec: spec, fields: fields), versions)
    }

    /// `body` applied to `encoded` in batches of 1,024 rows on a pooled graph, its outputs concatenated.
    func batchedValues(_ encoded: EncodedSamples, _ body: (EncodedSamples, Graph) -> Tensor) -> [Float] {
        graphs.with { g in
            var out: [Float] = []
            for lo in stride(from: 0, to: encoded.count, by: 1024) {
                g.reset()
                out += g.values(body(encoded.batch(lo..<min(encoded.count, lo + 1024)), g))
            }
            return out
        }
    }

    /// One sample row of a user (with movie `movie` as the candidate: only the user-side inputs are read), encoded
    /// with a model's spec, and the raw id of the user's most recent positive movie (the wide cross's second half).
    func userSample(
        user u: Int?, userId: Int32, features: UserFeatureState, movie: Int, now: Int64, spec: FeatureSpec, fields: Bool
    ) -> (encoded: EncodedSamples, lastPositive: Int32) {
        let catalog = catalogue.catalog
        var table = SampleTable(genres: catalog.genres)
        let state = live.withState { $0.movies[movie] }
        let row = SampleRow(
            ratingRow: -1, user: u ?? 0, movie: movie, rating: 0, timestamp: now,
            movieFeatures: state.features(
                releaseYear: catalogue.years[movie], firstGenres: catalogue.firstGenres[movie]),
            userFeatures: features.features())
        table.append(row, catalog: catalog, userId: userId)
        return (EncodedSamples(table, spec: spec, fields: fields), table[.userRatedMovie1][0])
    }
}

extension ServingModels.Loaded {
    /// Key of the caches kept per model version.
    var cacheKey: String { "\(artifact.name)/\(artifact.version)" }
}
