import SparrowCore
import SparrowEmbedding
import SparrowFeatures

/// Everything that changes while serving, owned by the live store (`LiveStore`) as one value behind its lock: each
/// user's and movie's feature state, movie statistics, what each user has rated (as a set and in order), user
/// vectors, the users created by events, and the ids of the events already applied.
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
    /// Ids of the events most recently folded in, so a replayed or re-delivered event is applied once (within the
    /// window's capacity).
    var appliedEvents = IdempotencyWindow()
}

extension LiveState {
    /// Folds a rating into the state — the user's features, the movie's statistics and features, the seen set, the
    /// history and the user vector (`vector`: the movie's item2vec vector) — creating the user when an event names
    /// one for the first time. Returns the user's dense index.
    /// - Complexity: O(genres of the movie + the vector's dimension).
    mutating func add(
        userId: Int32, movie m: Int, rating: Float, timestamp: Int64, catalog: Catalog, vector: ArraySlice<Float>?
    ) -> Int {
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
        users[u].add(movieIndex: Int32(m), movie: movie, rating: rating, timestamp: timestamp)
        movies[m].add(rating: rating, timestamp: timestamp)
        stats[m].add(user: Int32(u), score: rating, timestamp: timestamp)
        seen[u].insert(Int32(m))
        history[u].append((Int32(m), rating, timestamp))
        if rating >= likedThreshold, let vector {
            var state = userVectors[u] ?? UserVectorState(dimension: vector.count)
            state.add(vector)
            userVectors[u] = state
        }
        return u
    }
}
