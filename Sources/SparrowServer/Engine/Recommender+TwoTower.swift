import Foundation
import SparrowCore
import SparrowEmbedding
import SparrowFeatures
import SparrowModels
import SparrowTensor

extension Recommender {
    /// Every movie's Two-Tower vector for a loaded model version, computed once from the movies' features at that
    /// moment and cached (a reload of a new version recomputes them).
    func towerMovieVectors(_ loaded: ServingModels.Loaded, tower: TwoTower) -> [Float] {
        let key = "\(loaded.artifact.name)/\(loaded.artifact.version)"
        if let cached = towerCache.withLock({ $0[key] }) { return cached }
        var table = SampleTable(genres: catalog.genres)
        let empty = UserFeatureState(genreCount: catalog.genres.count).features()
        let states = lock.withLock { movies }
        for m in 0..<catalog.movies.count {
            let row = SampleRow(ratingRow: -1, user: 0, movie: m, rating: 0, timestamp: 0,
                movieFeatures: states[m].features(releaseYear: years[m], firstGenres: firstGenres[m]), userFeatures: empty)
            table.append(row, catalog: catalog, userId: 0)
        }
        let encoded = EncodedSamples(table, spec: loaded.artifact.spec, fields: false)
        var vectors: [Float] = []
        vectors.reserveCapacity(catalog.movies.count * tower.config.towerDim)
        graphs.with { g in
            for lo in stride(from: 0, to: encoded.count, by: 1024) {
                g.reset()
                vectors += g.values(tower.movieVectors(encoded.batch(lo..<min(encoded.count, lo + 1024)), on: g))
            }
        }
        towerCache.withLock { $0[key] = vectors }
        return vectors
    }

    /// Two-Tower recall: the user tower's vector against every movie vector (maximum inner product, exact), best `k`.
    func twoTowerRecall(userId: Int32, user u: Int?, features: UserFeatureState, k: Int) -> [Int32] {
        guard let loaded = models.model("two-tower"), let tower = loaded.model as? TwoTower else { return [] }
        let movieVectors = towerMovieVectors(loaded, tower: tower)
        var table = SampleTable(genres: catalog.genres)
        let row = SampleRow(ratingRow: -1, user: u ?? 0, movie: 0, rating: 0, timestamp: 0,
            movieFeatures: MovieFeatureState().features(releaseYear: nil, firstGenres: []), userFeatures: features.features())
        table.append(row, catalog: catalog, userId: userId)
        let encoded = EncodedSamples(table, spec: loaded.artifact.spec, fields: false)
        let userVector = graphs.with { g in g.values(tower.userVectors(encoded, on: g)) }
        let d = userVector.count
        var top = TopK(k: k)
        movieVectors.withUnsafeBufferPointer { mv in
            userVector.withUnsafeBufferPointer { uv in
                for m in 0..<catalog.movies.count {
                    let score = Kernels.dot(uv.baseAddress!, mv.baseAddress! + m * d, count: d)
                    if score > top.threshold { top.offer(Int32(m), score: score) }
                }
            }
        }
        return top.sorted().map(\.id)
    }
}
