import SparrowCore
import SparrowServing
import SparrowStore

extension Catalog {
    /// The catalogue with the rating events of a log appended as ratings, in log order, one rating per user and movie
    /// as the live state holds them (`LiveState.add`): a rating event replaces the user's earlier rating of the movie
    /// (a row of the catalogue or an earlier event) unless it is older. Users that appear only in events become
    /// catalogue users (ids kept, dense indices reassigned in ascending id order); clicks and impressions are not
    /// ratings and are left out.
    ///
    /// - Returns: the merged catalogue, the log ordinal of each rating event kept (row `k + i` of the merged
    ///   catalogue, where `k` is the number of catalogue rows kept, comes from event `eventOrdinals[i]`), and the
    ///   rating events whose movie is not in the catalogue.
    /// - Complexity: O(r + e log u) for r ratings, e events and u users.
    public func adding(_ events: [EventLog.Event]) -> (catalog: Catalog, eventOrdinals: [Int], unknownMovies: Int) {
        var ids = Set(userIds)
        var kept: [(ordinal: Int, event: EventLog.Event, movie: Int32)] = []
        var unknown = 0
        for (ordinal, e) in events.enumerated() where e.type == .rating {
            guard e.rating != nil else { continue }
            guard let m = movieIndex(id: e.movieId) else {
                unknown += 1
                continue
            }
            ids.insert(e.userId)
            kept.append((ordinal, e, Int32(m)))
        }
        // The winner of each (user, movie) among the events: the newest, later in the log on a tie.
        var winner: [UInt64: Int] = [:]
        func pair(_ user: Int32, _ movie: Int32) -> UInt64 { RatingTable.pairKey(user: user, movie: movie) }
        for (k, e) in kept.enumerated() {
            let key = pair(e.event.userId, e.movie)
            if let w = winner[key], kept[w].event.timestamp > e.event.timestamp { continue }
            winner[key] = k
        }
        // A catalogue row loses to the events' winner unless it is newer.
        var replacedRows = Set<Int>()
        var losingEvents = Set<Int>()
        if !winner.isEmpty {
            for i in 0..<ratings.count {
                guard let w = winner[pair(userIds[Int(ratings.user[i])], ratings.movie[i])] else { continue }
                if kept[w].event.timestamp >= ratings.timestamp[i] {
                    replacedRows.insert(i)
                } else {
                    losingEvents.insert(w)
                }
            }
        }
        kept = kept.enumerated().filter { k, e in
            winner[pair(e.event.userId, e.movie)] == k && !losingEvents.contains(k)
        }.map(\.element)
        let newIds = ids.sorted()
        var dense: [Int32: Int32] = [:]
        dense.reserveCapacity(newIds.count)
        for (i, id) in newIds.enumerated() { dense[id] = Int32(i) }
        // Old dense index → new dense index (identity unless a new user's id sorts before an old one).
        let remap = userIds.map { dense[$0]! }
        var table = RatingTable()
        table.reserve(ratings.count + kept.count)
        for i in 0..<ratings.count where !replacedRows.contains(i) {
            table.append(
                user: remap[Int(ratings.user[i])], movie: ratings.movie[i], rating: ratings.rating[i],
                timestamp: ratings.timestamp[i])
        }
        for k in kept {
            table.append(
                user: dense[k.event.userId]!, movie: k.movie, rating: k.event.rating!, timestamp: k.event.timestamp)
        }
        let movedTags = tags.map { t in
            Tag(user: remap[Int(t.user)], movie: t.movie, text: t.text, timestamp: t.timestamp)
        }
        let merged = Catalog(
            movies: movies, genres: genres, userIds: newIds, ratings: table, tags: movedTags, skipped: skipped)
        return (merged, kept.map(\.ordinal), unknown)
    }

    /// The catalogue without the given rating rows (same movies, users and genres).
    public func removingRatings(_ rows: Set<Int>) -> Catalog {
        var table = RatingTable()
        table.reserve(ratings.count - rows.count)
        for i in 0..<ratings.count where !rows.contains(i) {
            table.append(
                user: ratings.user[i], movie: ratings.movie[i], rating: ratings.rating[i],
                timestamp: ratings.timestamp[i])
        }
        return Catalog(movies: movies, genres: genres, userIds: userIds, ratings: table, tags: tags, skipped: skipped)
    }
}
