import Foundation
import SparrowCore
import SparrowEmbedding
import SparrowFeatures
import SparrowModels
import SparrowTensor

extension Recommender {
    /// Every movie's Two-Tower vector for a loaded model version, computed once from the movies' features at that
    /// moment and cached (a reload of a new version recomputes them).
    func towerMovieVectors(_ loaded: ServingModels.Loaded, tower: TwoTower) -> MovieMatrix {
        let key = loaded.cacheKey
        if let cached = towerCache.withLock({ $0[key] }) { return cached }
        let (encoded, _) = encodeMovies(Array(0..<catalog.movies.count), spec: loaded.artifact.spec, fields: false)
        let vectors = batchedValues(encoded) { tower.movieVectors($0, on: $1) }
        let matrix = MovieMatrix(rows: vectors, dimension: tower.config.towerDim)
        towerCache.withLock { $0[key] = matrix }
        return matrix
    }

    /// Two-Tower recall: the user tower's vector against every movie vector (maximum inner product, exact), best `k`
    /// of the movies the user has not rated.
    func twoTowerRecall(userId: Int32, user u: Int?, features: UserFeatureState, seen: Set<Int32>, k: Int) -> [Int32] {
        guard let loaded = models.model("two-tower"), let tower = loaded.model as? TwoTower else { return [] }
        let movieVectors = towerMovieVectors(loaded, tower: tower)
        let (encoded, _) = userSample(
            user: u, userId: userId, features: features, movie: 0, now: 0, spec: loaded.artifact.spec, fields: false)
        let userVector = graphs.with { g in g.values(tower.userVectors(encoded, on: g)) }
        return movieVectors.top(userVector, k: k, skip: seenMask(seen)).map(\.movie)
    }
}
