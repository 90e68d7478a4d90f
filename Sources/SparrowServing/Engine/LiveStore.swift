import SparrowCore
import SparrowFeatures
import Synchronization

/// The one owner of what changes with events — every user's history, feature state, seen set and vector, the
/// movies' statistics and feature states, the users created by events, the idempotency window — and of the caches
/// computed from them (ranked lists, encoded movie inputs, Two-Tower vectors), all behind one lock.
///
/// Readers take copies (`O(1)`: arrays are shared until written) and compute outside the lock.
public final class LiveStore: Sendable {
    /// The caches kept beside the live state (dropped when what they were computed from is replaced).
    struct Caches: Sendable {
        /// Each user's ranked next-item list and the served lists re-ranked from it (see `RankedEntry`).
        var ranked: [Int: RankedEntry] = [:]
        /// The encoded catalogue per model version (ranking's movie-side inputs).
        var movieInputs: [String: MovieInputs] = [:]
        /// Every movie's Two-Tower vector per model version.
        var towers: [String: MovieMatrix] = [:]
        /// Movies rated since the background refresh last ran.
        var ratedSinceRefresh: Set<Int> = []
    }

    /// The state and its caches, as one value behind one lock.
    struct Contents: Sendable {
        var state: LiveState
        var caches = Caches()
    }

    let contents: Mutex<Contents>

    /// A store holding `state`, with empty caches.
    init(_ state: LiveState) { contents = Mutex(Contents(state: state)) }

    /// `body` on the live state, under the lock.
    func withState<T>(_ body: (inout LiveState) throws -> T) rethrows -> T {
        try contents.withLock { try body(&$0.state) }
    }

    /// `body` on the caches, under the lock.
    func withCaches<T>(_ body: (inout Caches) throws -> T) rethrows -> T {
        try contents.withLock { try body(&$0.caches) }
    }

    /// Copies of a user's live state.
    public func user(_ u: Int) -> (features: UserFeatureState, seen: Set<Int32>, vector: [Float]?) {
        withState { ($0.users[u], $0.seen[u], $0.userVectors[u]?.vector) }
    }

    /// A user's ratings (movie index, score, time), in the order they were applied.
    public func ratings(user u: Int) -> [(movie: Int32, score: Float, timestamp: Int64)] {
        withState { $0.history[u] }
    }

    /// The version of everything computed from a user's history: it changes with every rating added or replaced.
    func historyVersion(user u: Int) -> Int { withState { $0.historyVersion(user: u) } }

    /// Live rating statistics of a movie.
    public func stats(movie m: Int) -> MovieStats { withState { $0.stats[m] } }

    /// Live rating statistics of every movie (a copy).
    public func allStats() -> [MovieStats] { withState { $0.stats } }

    /// The dense index of a user created by events, or nil.
    func newUser(id: Int32) -> Int? { withState { $0.newUsers[id] } }

    /// The raw id of a user created by events (`u` counted from the catalogue's users).
    func newUserId(_ k: Int) -> Int32 { withState { $0.newUserIds[k] } }
}
