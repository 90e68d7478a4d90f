import Dispatch
import SparrowCore
import SparrowFeatures
import Synchronization

extension MovieStats {
    /// Every movie's statistics and feature state from the catalogue's ratings, each movie's ratings added in
    /// user-major order — users by index, each user's ratings in time order — the order start-up has always used.
    ///
    /// Movie-major: the ratings are counting-sorted by movie first and each movie's state is then built in one go,
    /// movies split in contiguous ranges of about equal rating counts over `threads` threads. Adding the ratings in
    /// user-major order directly writes one random movie state per rating; once a large catalogue's states (a
    /// top-ten buffer each) outgrow the cache, that write is a memory round trip per rating (`docs/scale.md` has
    /// the measurement).
    /// - Complexity: O(ratings + movies) time; a temporary copy of the ratings (16 bytes each).
    static func build(catalog: Catalog, threads: Int = 2) -> (stats: [MovieStats], states: [MovieFeatureState]) {
        let r = catalog.ratings
        let movies = catalog.movies.count
        let (start, grouped) = byMovie(catalog)
        let shares = max(1, min(threads, movies))
        // Contiguous movie ranges of about equal rating counts.
        let bounds = [0] + (1..<shares).map { t in start.firstIndex { $0 >= r.count * t / shares }! } + [movies]
        let parts = Mutex<[Int: (stats: [MovieStats], states: [MovieFeatureState])]>([:])
        DispatchQueue.concurrentPerform(iterations: shares) { t in
            var stats = [MovieStats](repeating: MovieStats(), count: bounds[t + 1] - bounds[t])
            var states = [MovieFeatureState](repeating: MovieFeatureState(), count: stats.count)
            for m in bounds[t]..<bounds[t + 1] {
                let k = m - bounds[t]
                for e in grouped[start[m]..<start[m + 1]] {
                    stats[k].add(user: e.user, score: e.score, timestamp: e.timestamp)
                    states[k].add(rating: e.score, timestamp: e.timestamp)
                }
            }
            parts.withLock { $0[t] = (stats, states) }
        }
        return parts.withLock { p in
            ((0..<shares).flatMap { p[$0]!.stats }, (0..<shares).flatMap { p[$0]!.states })
        }
    }

    /// The ratings grouped by movie, each group in user-major order: `grouped[start[m]..<start[m + 1]]` are movie
    /// `m`'s ratings (copied, so that the pass over a movie reads memory in order).
    /// - Complexity: O(ratings + movies).
    private static func byMovie(_ catalog: Catalog) -> (
        start: [Int], grouped: [(user: Int32, score: Float, timestamp: Int64)]
    ) {
        let r = catalog.ratings
        var start = [Int](repeating: 0, count: catalog.movies.count + 1)
        for m in r.movie { start[Int(m) + 1] += 1 }
        for m in 0..<catalog.movies.count { start[m + 1] += start[m] }
        var grouped = [(user: Int32, score: Float, timestamp: Int64)](repeating: (0, 0, 0), count: r.count)
        var fill = start
        for row in catalog.userRatingOrder {
            let i = Int(row)
            let m = Int(r.movie[i])
            grouped[fill[m]] = (r.user[i], r.rating[i], r.timestamp[i])
            fill[m] += 1
        }
        return (start, grouped)
    }
}
