import SparrowCore
import SparrowFeatures

extension Recommender {
    /// Counts the catalogue changes since start-up; the catalogue and this number are read together.
    public var catalogueVersion: (catalog: Catalog, version: Int) {
        current.withLock { ($0.catalogue.catalog, $0.catalogue.version) }
    }

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
        try writes.withLock { _ throws(Catalog.GrowthError) in
            var next = current.withLock { $0 }
            let known = next.catalogue.catalog.movieIndex(id: movie.id)
            let stats = known.map { m in live.stats(movie: m) }
            let (m, added) = try next.catalogue.upsert(movie, stats: stats, priorMean: next.priorMean)
            if added {
                // The live arrays grow first: no reader can learn the new index before its state exists.
                live.withState { s in
                    precondition(
                        s.movies.count == m && s.stats.count == m, "movie states out of step with the catalogue")
                    s.movies.append(MovieFeatureState())
                    s.stats.append(MovieStats())
                }
            }
            current.withLock { $0 = next }
            // Caches laid out by catalogue index, or holding lists that could now include the movie.
            live.withCaches { caches in
                caches.movieInputs.removeAll()
                caches.towers.removeAll()
                caches.ranked.removeAll()
            }
            return (m, added)
        }
    }
}
