import SparrowCore
import SparrowFeatures
import SparrowModels

extension ModelScoring {
    /// Every movie's Two-Tower vector for a loaded model version, computed once from the movies' features at that
    /// moment and cached in the live store (a reload of a new version, or a catalogue change, recomputes them).
    func towerMovieVectors(_ loaded: ServingModels.Loaded, tower: TwoTower) -> MovieMatrix {
        let key = loaded.cacheKey
        if let cached = live.withCaches({ $0.towers[key] }) { return cached }
        let (encoded, _) = encodeMovies(
            Array(0..<catalogue.catalog.movies.count), spec: loaded.artifact.spec, fields: false)
        let vectors = batchedValues(encoded) { tower.movieVectors($0, on: $1) }
        let matrix = MovieMatrix(rows: vectors, dimension: tower.config.towerDim)
        live.withCaches { $0.towers[key] = matrix }
        return matrix
    }

    /// Two-Tower recall: the user tower's vector against every movie vector (maximum inner product, exact), best `k`
    /// of the movies the user has not rated.
    func twoTowerRecall(
        _ loaded: ServingModels.Loaded, userId: Int32, user u: Int?, features: UserFeatureState, seen: Set<Int32>,
        k: Int
    ) -> [Int32] {
        guard let tower = loaded.model as? TwoTower else { return [] }
        let movieVectors = towerMovieVectors(loaded, tower: tower)
        let (encoded, _) = userSample(
            user: u, userId: userId, features: features, movie: 0, now: 0, spec: loaded.artifact.spec, fields: false)
        let userVector = graphs.with { g in g.values(tower.userVectors(encoded, on: g)) }
        return movieVectors.top(userVector, k: k, skip: snapshot.seenMask(seen)).map(\.movie)
    }
}
