/// A user's rated movies (catalog indices) in time order, with their timestamps — the input of every next-item
/// signal, offline and online.
public struct RatingHistory: Sendable, Equatable {
    /// Movies, oldest first.
    public var movies: [Int32]
    /// Their timestamps (seconds), non-decreasing.
    public var timestamps: [Int64]
    /// Whether each was liked (rated ≥ `likedThreshold`).
    public var liked: [Bool]

    /// Creates a history; `timestamps` must be non-decreasing and as long as `movies`; `liked` defaults to all.
    public init(movies: [Int32] = [], timestamps: [Int64] = [], liked: [Bool]? = nil) {
        precondition(movies.count == timestamps.count, "one timestamp per movie")
        precondition(liked == nil || liked!.count == movies.count, "one liked flag per movie")
        self.movies = movies
        self.timestamps = timestamps
        self.liked = liked ?? [Bool](repeating: true, count: movies.count)
    }

    /// Only the liked movies.
    public var positives: RatingHistory {
        let keep = liked.indices.filter { liked[$0] }
        return RatingHistory(movies: keep.map { movies[$0] }, timestamps: keep.map { timestamps[$0] })
    }

    /// Number of rated movies.
    public var count: Int { movies.count }

    /// Inserts a rating at its place in time (after any of the same second).
    public mutating func append(_ movie: Int32, at timestamp: Int64, liked: Bool = true) {
        var i = movies.count
        while i > 0 && timestamps[i - 1] > timestamp { i -= 1 }
        movies.insert(movie, at: i)
        timestamps.insert(timestamp, at: i)
        self.liked.insert(liked, at: i)
    }

    /// The history without its last entry.
    public var droppingLast: RatingHistory { removing(at: movies.count - 1) }

    /// The first `n` entries.
    public func prefix(_ n: Int) -> RatingHistory {
        RatingHistory(
            movies: Array(movies.prefix(n)), timestamps: Array(timestamps.prefix(n)), liked: Array(liked.prefix(n)))
    }

    /// The entries whose movie satisfies `include`, in order.
    public func keeping(_ include: (Int32) -> Bool) -> RatingHistory {
        let keep = movies.indices.filter { include(movies[$0]) }
        return RatingHistory(
            movies: keep.map { movies[$0] }, timestamps: keep.map { timestamps[$0] }, liked: keep.map { liked[$0] })
    }

    /// The history without entry `i` (a training list's target).
    public func removing(at i: Int) -> RatingHistory {
        var h = self
        h.movies.remove(at: i)
        h.timestamps.remove(at: i)
        h.liked.remove(at: i)
        return h
    }

    /// Recency weights: `decay^r` where r counts the distinct timestamps newer than the movie's own. Movies rated in
    /// the same second share a weight, so no signal depends on the order of ties (which MovieLens files by movie id).
    /// Weights below `floor` are 0 — the signals skip those movies (decay 0.9: beyond 88 moments; 0.656: beyond 22),
    /// so a long history costs what its recent part costs.
    public func recencyWeights(decay: Float, floor: Float = 1e-4) -> [(item: Int32, weight: Float)] {
        var out: [(item: Int32, weight: Float)] = []
        out.reserveCapacity(movies.count)
        var weight: Float = 1
        var i = movies.count - 1
        while i >= 0 {
            if i < movies.count - 1 && timestamps[i] != timestamps[i + 1] && weight != 0 {
                weight *= decay
                if weight < floor { weight = 0 }
            }
            out.append((movies[i], weight))
            i -= 1
        }
        return out.reversed()
    }

    /// The movies grouped by timestamp, oldest group first.
    public var moments: [[Int32]] {
        var groups: [[Int32]] = []
        for i in movies.indices {
            if i > 0 && timestamps[i] == timestamps[i - 1] {
                groups[groups.count - 1].append(movies[i])
            } else {
                groups.append([movies[i]])
            }
        }
        return groups
    }
}
