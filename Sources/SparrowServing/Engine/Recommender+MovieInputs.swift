import CSparrowKernels
import Foundation
import SparrowCore
import SparrowFeatures
import SparrowModels
import SparrowTensor

/// Every catalog movie's encoded inputs for one model version (movie-side columns are what ranking reads) and, for
/// a model with a split first layer, each movie's part of that layer's pre-activation; with the rating count each
/// row was computed at, so a row is recomputed when its movie has been rated since.
final class MovieInputs: @unchecked Sendable {
    let lock = NSLock()
    var encoded: EncodedSamples
    var versions: [Int]
    /// movies × first-layer width (empty when the model's first layer does not split).
    var hidden: [Float]
    /// The model version these inputs belong to.
    let loaded: ServingModels.Loaded

    init(encoded: EncodedSamples, versions: [Int], hidden: [Float], loaded: ServingModels.Loaded) {
        self.encoded = encoded
        self.versions = versions
        self.hidden = hidden
        self.loaded = loaded
    }
}

extension Recommender {
    /// The movies' samples as of now, paired with an empty user (only their movie-side inputs are read), encoded
    /// with the model's spec — through the same feature code as training.
    func encodeMovies(_ indices: [Int], spec: FeatureSpec, fields: Bool) -> (EncodedSamples, [Int]) {
        let movies = catalogState.withLock { $0 }
        let catalog = movies.catalog
        var table = SampleTable(genres: catalog.genres)
        table.reserve(indices.count)
        let empty = UserFeatureState(genreCount: catalog.genres.count).features()
        let (states, versions) = liveState.withLock { s in
            (indices.map { s.movies[$0] }, indices.map { s.stats[$0].count })
        }
        for (m, state) in zip(indices, states) {
            let row = SampleRow(
                ratingRow: -1, user: 0, movie: m, rating: 0, timestamp: 0,
                movieFeatures: state.features(releaseYear: movies.years[m], firstGenres: movies.firstGenres[m]),
                userFeatures: empty)
            table.append(row, catalog: catalog, userId: 0)
        }
        return (EncodedSamples(table, spec: spec, fields: fields), versions)
    }

    /// `body` applied to `encoded` in batches of 1,024 rows on a pooled graph, its outputs concatenated.
    func batchedValues(_ encoded: EncodedSamples, _ body: (EncodedSamples, Graph) -> Tensor) -> [Float] {
        var out: [Float] = []
        graphs.with { g in
            for lo in stride(from: 0, to: encoded.count, by: 1024) {
                g.reset()
                out += g.values(body(encoded.batch(lo..<min(encoded.count, lo + 1024)), g))
            }
        }
        return out
    }

    /// Each encoded movie's part of a split model's first layer (rows × width).
    func movieHidden(_ encoded: EncodedSamples, model: any SplitFirstLayer) -> [Float] {
        batchedValues(encoded) { model.firstLayerPart($0, movieSide: true, on: $1) }
    }

    /// One sample row of a user (with movie `movie` as the candidate: only the user-side inputs are read), encoded
    /// with a model's spec, and the raw id of the user's most recent positive movie (the wide cross's second half).
    func userSample(
        user u: Int?, userId: Int32, features: UserFeatureState, movie: Int, now: Int64, spec: FeatureSpec, fields: Bool
    ) -> (encoded: EncodedSamples, lastPositive: Int32) {
        let movies = catalogState.withLock { $0 }
        let catalog = movies.catalog
        var table = SampleTable(genres: catalog.genres)
        let state = liveState.withLock { $0.movies[movie] }
        let row = SampleRow(
            ratingRow: -1, user: u ?? 0, movie: movie, rating: 0, timestamp: now,
            movieFeatures: state.features(releaseYear: movies.years[movie], firstGenres: movies.firstGenres[movie]),
            userFeatures: features.features())
        table.append(row, catalog: catalog, userId: userId)
        return (EncodedSamples(table, spec: spec, fields: fields), table[.userRatedMovie1][0])
    }

    /// The encoded catalog for a loaded model, built on first use and kept per model version.
    /// Movies added since it was built (`upsert(movie:)`) make it rebuild.
    func movieInputs(_ loaded: ServingModels.Loaded) -> MovieInputs {
        let key = loaded.cacheKey
        let size = catalog.movies.count
        if let cached = inputCache.withLock({ $0[key] }), cached.versions.count >= size { return cached }
        let (encoded, versions) = encodeMovies(
            Array(0..<size), spec: loaded.artifact.spec,
            fields: loaded.model.usesFields)
        let hidden = (loaded.model as? any SplitFirstLayer).map { movieHidden(encoded, model: $0) } ?? []
        let inputs = MovieInputs(encoded: encoded, versions: versions, hidden: hidden, loaded: loaded)
        return inputCache.withLock { cache in
            if let raced = cache[key], raced.versions.count >= size { return raced }
            cache[key] = inputs
            return inputs
        }
    }

    /// Re-encodes the rows of movies rated since they were computed.
    func refresh(_ inputs: MovieInputs, movies movieIndices: [Int], loaded: ServingModels.Loaded) {
        let current = liveState.withLock { s in movieIndices.map { s.stats[$0].count } }
        let stale = inputs.lock.withLock {
            zip(movieIndices, current).filter { inputs.versions[$0.0] != $0.1 }.map(\.0)
        }
        guard !stale.isEmpty else { return }
        let unique = Array(Set(stale)).sorted()
        let (fresh, versions) = encodeMovies(unique, spec: loaded.artifact.spec, fields: loaded.model.usesFields)
        let split = loaded.model as? any SplitFirstLayer
        let hidden = split.map { movieHidden(fresh, model: $0) } ?? []
        let w = split?.firstLayerWidth ?? 0
        inputs.lock.withLock {
            for (k, m) in unique.enumerated() where versions[k] >= inputs.versions[m] {
                inputs.encoded.replaceRow(m, with: fresh, row: k)
                for j in 0..<w { inputs.hidden[m * w + j] = hidden[k * w + j] }
                inputs.versions[m] = versions[k]
            }
        }
    }

    /// Probabilities for one user and many movies without a sample row per pair: the user's row is encoded once,
    /// each movie's inputs come from the encoded catalog; a split model adds each movie's cached first-layer part
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
        refresh(inputs, movies: movieIndices, loaded: loaded)
        let ids = movieIndices.map { catalog.movies[$0].id }
        guard let split = loaded.model as? any SplitFirstLayer else {
            let paired = inputs.lock.withLock {
                EncodedSamples(
                    pairing: user, movies: inputs.encoded, rows: movieIndices, movieIds: ids,
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
        inputs.lock.withLock {
            sparrow_gather_add_rows(Int32(rows.count), Int32(w), rows, inputs.hidden, userPart, pre)
        }
        return split.logits(firstLayer: pre, rows: rows.count, cross: cross).map { 1 / (1 + exp(-$0)) }
    }

    /// Re-encodes, for every model version in use, the movies rated since the last call — so requests after a burst
    /// of events find their candidates' rows fresh instead of re-encoding them on the request path (which stays
    /// correct either way: it checks every candidate's version).
    public func refreshRatedMovies() {
        let rated = ratedSinceRefresh.withLock { set -> [Int] in
            defer { set.removeAll(keepingCapacity: true) }
            return set.sorted()
        }
        guard !rated.isEmpty else { return }
        for inputs in inputCache.withLock({ Array($0.values) }) {
            for start in stride(from: 0, to: rated.count, by: 1024) {
                refresh(inputs, movies: Array(rated[start..<min(rated.count, start + 1024)]), loaded: inputs.loaded)
            }
        }
    }

    /// Calls `refreshRatedMovies` every `interval` seconds until the returned task is cancelled.
    public func startRefreshing(every interval: Double = 0.05) -> Task<Void, Never> {
        Task.detached(priority: .utility) { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: UInt64(interval * 1e9))
                guard let self else { return }
                self.refreshRatedMovies()
            }
        }
    }
}

extension ServingModels.Loaded {
    /// Key of the caches kept per model version.
    var cacheKey: String { "\(artifact.name)/\(artifact.version)" }
}
