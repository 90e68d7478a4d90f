import SparrowCore
import SparrowEmbedding
import SparrowFeatures

/// Everything that changes while serving, owned by the live store (`LiveStore`) as one value behind its lock: each
/// user's and movie's feature state, movie statistics, what each user has rated (as a set and in order), user
/// vectors, the users created by events, and the ids of the events already applied.
///
/// A user holds one rating per movie: a newer rating of a movie they rated replaces the old one everywhere (see
/// `add`), so the history lists each movie once.
struct LiveState: Sendable {
    var users: [UserFeatureState]
    var movies: [MovieFeatureState]
    var stats: [MovieStats]
    var seen: [Set<Int32>]
    var history: [[(movie: Int32, score: Float, timestamp: Int64)]]
    var userVectors: [UserVectorState?]
    /// Users created by events: raw id → dense index (after the catalog's users), and back.
    var newUsers: [Int32: Int] = [:]
    var newUserIds: [Int32] = []
    /// Ratings replaced so far, by user index (users without one are absent).
    var replaced: [Int: Int] = [:]
    /// Ids of the events most recently folded in, so a replayed or re-delivered event is applied once (within the
    /// window's capacity).
    var appliedEvents = IdempotencyWindow()

    /// The version of what is computed from user `u`'s history: it changes with every rating added or replaced.
    func historyVersion(user u: Int) -> Int { history[u].count + (replaced[u] ?? 0) }
}

extension LiveState {
    /// Folds a rating into the state — the user's features, the movie's statistics and features, the seen set, the
    /// history and the user vector (`vector`: the movie's item2vec vector) — creating the user when an event names
    /// one for the first time. Returns the user's dense index and what happened.
    ///
    /// When the user has rated the movie, the newer rating by timestamp wins (on equal timestamps, the one applied
    /// later): the old one leaves the history, the new one is appended as the latest, and the user's features and
    /// vector are replayed from the history (`replay`); the movie's count stays and its sums move.
    /// - Complexity: O(genres of the movie + the vector's dimension) for a new movie; O(the user's ratings ·
    ///   dimension) for a replacement, plus O(all ratings) in the rare case that the movie's earliest rating or too
    ///   many of its best ones were replaced.
    mutating func add(
        userId: Int32, movie m: Int, rating: Float, timestamp: Int64, catalog: Catalog, vector: ArraySlice<Float>?,
        replay: UserReplay
    ) -> (user: Int, outcome: RatingOutcome) {
        let movie = catalog.movies[m]
        let u: Int
        if let known = catalog.userIndex(id: userId) ?? newUsers[userId] {
            u = known
        } else {
            u = users.count
            newUsers[userId] = u
            newUserIds.append(userId)
            users.append(UserFeatureState(genreCount: catalog.genres.count))
            seen.append([])
            history.append([])
            userVectors.append(nil)
        }
        guard seen[u].insert(Int32(m)).inserted else {
            return (u, replace(user: u, movie: m, rating: rating, timestamp: timestamp, replay: replay))
        }
        users[u].add(movieIndex: Int32(m), movie: movie, rating: rating, timestamp: timestamp)
        movies[m].add(rating: rating, timestamp: timestamp)
        stats[m].add(user: Int32(u), score: rating, timestamp: timestamp)
        history[u].append((Int32(m), rating, timestamp))
        if rating >= likedThreshold, let vector {
            var state = userVectors[u] ?? UserVectorState(dimension: vector.count)
            state.add(vector)
            userVectors[u] = state
        }
        return (u, .added)
    }

    /// User `u`'s rating of movie `m`, which they rated before, replaced when it is not older than the one held.
    private mutating func replace(user u: Int, movie m: Int, rating: Float, timestamp: Int64, replay: UserReplay)
        -> RatingOutcome
    {
        guard let k = history[u].lastIndex(where: { $0.movie == Int32(m) }) else {
            preconditionFailure("LiveState: movie \(m) is in user \(u)'s seen set but not in their history")
        }
        let old = history[u][k]
        guard timestamp >= old.timestamp else { return .stale }
        history[u].remove(at: k)
        history[u].append((Int32(m), rating, timestamp))
        replaced[u, default: 0] += 1
        let user = replay.replay(history[u])
        users[u] = user.features
        userVectors[u] = user.vector
        let earliestLeft = movies[m].firstRatingTime == old.timestamp && timestamp > old.timestamp
        let topShort = !stats[m].replace(user: Int32(u), old: old.score, with: rating, timestamp: timestamp)
        var first: Int64?
        if earliestLeft || topShort {
            let all = ratings(ofMovie: m)
            first = all.map(\.timestamp).min()
            if topShort { stats[m].refill(all) }
        }
        movies[m].replace(rating: old.score, with: rating, firstRatingTime: earliestLeft ? first : nil)
        return .replaced
    }

    /// Every current rating of movie `m` as (user index, score, time), users in index order.
    /// - Complexity: O(all ratings).
    func ratings(ofMovie m: Int) -> [(user: Int32, score: Float, timestamp: Int64)] {
        var found: [(user: Int32, score: Float, timestamp: Int64)] = []
        for (u, ratings) in history.enumerated() {
            for r in ratings where r.movie == Int32(m) { found.append((Int32(u), r.score, r.timestamp)) }
        }
        return found
    }
}
