import SparrowEmbedding
import SparrowFeatures

/// Everything that changes while serving, guarded as one value by the engine's mutex: each user's and movie's
/// feature state, movie statistics, what each user has rated (as a set and in order), user vectors, the users
/// created by events, and the ids of the events already applied.
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
