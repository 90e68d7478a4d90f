import Foundation
import SparrowCore
import SparrowEmbedding
import SparrowFeatures
import Synchronization

/// What a user's live state is made of, rebuilt from their ratings in order with the shared feature code: start-up
/// builds every catalogue user's this way, and a checkpoint restore the users whose ratings grew after it (the
/// checkpoint keeps the ratings, not the states derived from them). The near-line update (`apply`) folds a rating in
/// with the same calls, so a replayed state equals the one built rating by rating — and the offline sample pass adds
/// each user's ratings in this order too (time, ties by movie), so its final states equal these.
struct UserReplay {
    /// Genres in the catalogue.
    let genreCount: Int
    /// Each movie's genres as a bit set.
    let genreMasks: [UInt64]
    /// Each movie's release year.
    let years: [Int?]
    /// The item2vec vectors by movie index (the user vector's inputs), if any.
    let vectors: MovieMatrix?

    /// One user's state from their ratings, oldest first.
    /// - Complexity: O(ratings · (genres per movie + dimension)).
    func replay(_ ratings: [(movie: Int32, score: Float, timestamp: Int64)]) -> (
        features: UserFeatureState, seen: Set<Int32>, vector: UserVectorState?
    ) {
        var features = UserFeatureState(genreCount: genreCount)
        var seen = Set<Int32>(minimumCapacity: ratings.count)
        var liked: [Int32] = []
        for r in ratings {
            let m = Int(r.movie)
            features.add(
                movieIndex: r.movie, year: years[m], genreMask: genreMasks[m], rating: r.score, timestamp: r.timestamp)
            seen.insert(r.movie)
            if r.score >= likedThreshold, let vectors, vectors.hasVector(m) { liked.append(r.movie) }
        }
        guard let vectors, !liked.isEmpty else { return (features, seen, nil) }
        // The vectors summed in one pass over the liked rows (read ahead: a large catalogue's table is not in cache).
        var vector = UserVectorState(dimension: vectors.dimension)
        liked.withUnsafeBufferPointer { rows in
            vectors.values.withUnsafeBufferPointer { vector.add(rows: rows, of: $0) }
        }
        return (features, seen, vector)
    }

    /// Every user's ratings (`history(u)`, oldest first) and state (`replay`), users split in contiguous shares over
    /// `threads` threads; each user's ratings are replayed right after they are gathered, while still in cache.
    /// - Complexity: O(ratings · (genres per movie + dimension)) work in all.
    func replayAll(
        users n: Int, threads: Int = 2, history: @Sendable (Int) -> [(movie: Int32, score: Float, timestamp: Int64)]
    ) -> (
        histories: [[(movie: Int32, score: Float, timestamp: Int64)]], features: [UserFeatureState],
        seen: [Set<Int32>], vectors: [UserVectorState?]
    ) {
        typealias Replayed = (
            history: [(movie: Int32, score: Float, timestamp: Int64)], features: UserFeatureState, seen: Set<Int32>,
            vector: UserVectorState?
        )
        let shares = max(1, min(threads, n))
        let parts = Mutex<[Int: [Replayed]]>([:])
        DispatchQueue.concurrentPerform(iterations: shares) { t in
            let part = (t * n / shares..<(t + 1) * n / shares).map { u -> Replayed in
                let ratings = history(u)
                let (features, seen, vector) = replay(ratings)
                return (ratings, features, seen, vector)
            }
            parts.withLock { $0[t] = part }
        }
        let all = parts.withLock { p in (0..<shares).flatMap { p[$0]! } }
        return (all.map(\.history), all.map(\.features), all.map(\.seen), all.map(\.vector))
    }

    /// Whether two rating lists are the same, rating for rating.
    static func same(
        _ a: [(movie: Int32, score: Float, timestamp: Int64)], _ b: [(movie: Int32, score: Float, timestamp: Int64)]
    ) -> Bool {
        guard a.count == b.count else { return false }
        for k in a.indices
        where a[k].movie != b[k].movie || a[k].score != b[k].score || a[k].timestamp != b[k].timestamp {
            return false
        }
        return true
    }
}
