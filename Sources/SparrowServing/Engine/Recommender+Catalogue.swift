import SparrowCore
import SparrowFeatures

extension Recommender {
    /// Counts the catalogue changes since start-up; the catalogue and this number are read together.
    public var catalogueVersion: (catalog: Catalog, version: Int) { catalogState.withLock { ($0.catalog, $0.version) } }

    /// Adds `movie` to the catalogue (a new id), or updates the movie with its id, while serving: it is searchable
    /// and listed by genre at once, offered by the fresh and genre channels and found by content (genre) similarity
    /// until it has ratings, and events may rate it from the next request on. A new movie is appended, so no index
    /// handed out before changes meaning; trained models, which know only the movies they were trained on, ignore it
    /// until a retraining includes it.
    ///
    /// Making the change durable is the caller's job (`MovieAdditions`), before calling this.
    /// - Returns: the movie's index and whether it is new.
    /// - Complexity: O(movies).
    @discardableResult
    public func upsert(movie: Movie) throws(Catalog.GrowthError) -> (index: Int, added: Bool) {
        try catalogWrites.withLock { _ throws(Catalog.GrowthError) in
            var next = catalogState.withLock { $0 }
            let known = next.catalog.movieIndex(id: movie.id)
            let stats = known.map { m in liveState.withLock { $0.stats[m] } }
            let (m, added) = try next.upsert(movie, stats: stats, priorMean: priorMean)
            if added {
                // The live arrays grow first: no reader can learn the new index before its state exists.
                liveState.withLock { s in
                    precondition(
                        s.movies.count == m && s.stats.count == m, "movie states out of step with the catalogue")
                    s.movies.append(MovieFeatureState())
                    s.stats.append(MovieStats())
                }
            }
            catalogState.withLock { $0 = next }
            // Caches laid out by catalogue index, or holding lists that could now include the movie.
            inputCache.withLock { $0.removeAll() }
            towerCache.withLock { $0.removeAll() }
            rankedCache.withLock { $0.removeAll() }
            return (m, added)
        }
    }
}
