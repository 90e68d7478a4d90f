import CSparrowKernels
import Foundation
import SparrowCore
import SparrowFeatures
import SparrowModels
import SparrowTensor
import Synchronization

/// Every catalogue movie's encoded inputs for one model version (movie-side columns are what ranking reads) and, for
/// a model with a split first layer, each movie's part of that layer's pre-activation; with the rating count each
/// row was computed at, so a row is recomputed when its movie has been rated since.
final class MovieInputs: Sendable {
    /// The rows and what they were computed at, changed together.
    struct Rows: Sendable {
        var encoded: EncodedSamples
        var versions: [Int]
        /// movies × first-layer width (empty when the model's first layer does not split).
        var hidden: [Float]
    }

    let rows: Mutex<Rows>
    /// The model version these inputs belong to.
    let loaded: ServingModels.Loaded
    /// The number of movies encoded.
    let count: Int

    init(encoded: EncodedSamples, versions: [Int], hidden: [Float], loaded: ServingModels.Loaded) {
        rows = Mutex(Rows(encoded: encoded, versions: versions, hidden: hidden))
        count = versions.count
        self.loaded = loaded
    }
}

extension ModelScoring {
    /// Each encoded movie's part of a split model's first layer (rows × width).
    func movieHidden(_ encoded: EncodedSamples, model: any SplitFirstLayer) -> [Float] {
        batchedValues(encoded) { model.firstLayerPart($0, movieSide: true, on: $1) }
    }

    /// The encoded catalogue for a loaded model, built on first use and kept per model version in the live store.
    /// Movies added since it was built make it rebuild.
    func movieInputs(_ loaded: ServingModels.Loaded) -> MovieInputs {
        let key = loaded.cacheKey
        let size = catalogue.catalog.movies.count
        if let cached = live.withCaches({ $0.movieInputs[key] }), cached.count >= size { return cached }
        let (encoded, versions) = encodeMovies(
            Array(0..<size), spec: loaded.artifact.spec, fields: loaded.model.usesFields)
        let hidden = (loaded.model as? any SplitFirstLayer).map { movieHidden(encoded, model: $0) } ?? []
        let inputs = MovieInputs(encoded: encoded, versions: versions, hidden: hidden, loaded: loaded)
        return live.withCaches { caches in
            if let raced = caches.movieInputs[key], raced.count >= size { return raced }
            caches.movieInputs[key] = inputs
            return inputs
        }
    }

    /// Re-encodes the rows of movies rated since they were computed.
    func refresh(_ inputs: MovieInputs, movies movieIndices: [Int]) {
        let loaded = inputs.loaded
        let current = live.withState { s in movieIndices.map { s.stats[$0].count } }
        let stale = inputs.rows.withLock { rows in
            zip(movieIndices, current).filter { rows.versions[$0.0] != $0.1 }.map(\.0)
        }
        guard !stale.isEmpty else { return }
        let unique = Array(Set(stale)).sorted()
        let (fresh, versions) = encodeMovies(unique, spec: loaded.artifact.spec, fields: loaded.model.usesFields)
        let split = loaded.model as? any SplitFirstLayer
        let hidden = split.map { movieHidden(fresh, model: $0) } ?? []
        let w = split?.firstLayerWidth ?? 0
        inputs.rows.withLock { rows in
            for (k, m) in unique.enumerated() where versions[k] >= rows.versions[m] {
                rows.encoded.replaceRow(m, with: fresh, row: k)
                for j in 0..<w { rows.hidden[m * w + j] = hidden[k * w + j] }
                rows.versions[m] = versions[k]
            }
        }
    }

    /// Probabilities for one user and many movies without a sample row per pair: the user's row is encoded once,
    /// each movie's inputs come from the encoded catalogue; a split model adds each movie's cached first-layer part
    /// to the user's part, others get the paired samples.
    func rankPaired(
        _ movieIndices: [Int], user u: Int?, userId: Int32, features: UserFeatureState, loaded: ServingModels.Loaded,
        now: Int64
    ) -> [Float] {
        let spec = loaded.artifact.spec
        let (user, lastPositive) = userSample(
            user: u, userId: userId, features: features, movie: movieIndices[0], now: now, spec: spec,
            fields: loaded.model.usesFields)
        let inputs = movieInputs(loaded)
        refresh(inputs, movies: movieIndices)
        let ids = movieIndices.map { catalogue.catalog.movies[$0].id }
        guard let split = loaded.model as? any SplitFirstLayer else {
            let paired = inputs.rows.withLock { rows in
                EncodedSamples(
                    pairing: user, movies: rows.encoded, rows: movieIndices, movieIds: ids,
                    lastPositive: lastPositive, spec: spec)
            }
            return probabilities(loaded, paired)
        }
        let cross = ids.map { spec.cross.bucket($0, lastPositive) }
        let w = split.firstLayerWidth
        let userPart = graphs.with { g in g.values(split.firstLayerPart(user, movieSide: false, on: g)) }
        let rows = movieIndices.map { Int32($0) }
        let pre = UnsafeMutablePointer<Float>.allocate(capacity: rows.count * w)
        defer { pre.deallocate() }
        inputs.rows.withLock { stored in
            sparrow_gather_add_rows(Int32(rows.count), Int32(w), rows, stored.hidden, userPart, pre)
        }
        return split.logits(firstLayer: pre, rows: rows.count, cross: cross).map { 1 / (1 + exp(-$0)) }
    }

    /// Re-encodes, for every model version in use, the movies rated since the last call — so requests after a burst
    /// of events find their candidates' rows fresh instead of re-encoding them on the request path (which stays
    /// correct either way: it checks every candidate's version).
    func refreshRatedMovies() {
        let (rated, inputs) = live.withCaches { caches -> ([Int], [MovieInputs]) in
            defer { caches.ratedSinceRefresh.removeAll(keepingCapacity: true) }
            return (caches.ratedSinceRefresh.sorted(), Array(caches.movieInputs.values))
        }
        guard !rated.isEmpty else { return }
        for inputs in inputs {
            for start in stride(from: 0, to: rated.count, by: 1024) {
                refresh(inputs, movies: Array(rated[start..<min(rated.count, start + 1024)]))
            }
        }
    }
}
