import SparrowCore

/// One training sample as the generator produces it, before it is stored.
public struct SampleRow: Sendable {
    /// Row of the rating in `Catalog.ratings`.
    public var ratingRow: Int
    /// Dense user index.
    public var user: Int
    /// Dense movie index.
    public var movie: Int
    /// The rating itself.
    public var rating: Float
    /// When it was given.
    public var timestamp: Int64
    /// The movie's features from ratings strictly before `timestamp`.
    public var movieFeatures: MovieFeatures
    /// The user's features from their previous ratings.
    public var userFeatures: UserFeatures

    /// Creates a row (the generator does this offline; the server does it at request time).
    public init(
        ratingRow: Int, user: Int, movie: Int, rating: Float, timestamp: Int64, movieFeatures: MovieFeatures,
        userFeatures: UserFeatures
    ) {
        self.ratingRow = ratingRow
        self.user = user
        self.movie = movie
        self.rating = rating
        self.timestamp = timestamp
        self.movieFeatures = movieFeatures
        self.userFeatures = userFeatures
    }
}

/// Generates point-in-time training samples in one pass over the ratings in time order.
///
/// Ratings are visited by (timestamp, user, movie). Within a group of equal timestamps every sample's movie
/// statistics come from ratings strictly before the group; a user's features come from the user's previous ratings
/// (ties on time ordered by movie, as in `Catalog.ratingsOfUser`). Rows whose user has ≤ 1 previous rating are not
/// emitted, as in the original, but still count towards later features.
///
/// - Complexity: O(n) after an O(n) radix sort, plus O(window) per emitted sample.
public struct SampleGenerator: Sendable {
    /// The catalog to read.
    public let catalog: Catalog
    /// Ratings at or above this are positive (label 1).
    public var positiveThreshold: Float = likedThreshold
    /// A rating becomes a sample only when its user has at least this many previous ratings.
    public var minimumPreviousRatings = 2
    /// Ratings gathered per batch (whole timestamp groups: a batch ends between two seconds, so a group larger than
    /// this makes a larger batch). Any size gives the same samples; tests use small ones.
    var batchSize = 65_536

    /// Creates a generator over `catalog`.
    public init(catalog: Catalog) { self.catalog = catalog }

    /// The final feature states after every rating, one per user and per movie (the snapshots).
    public struct FinalState: Sendable {
        /// Per user.
        public var users: [UserFeatureState]
        /// Per movie.
        public var movies: [MovieFeatureState]
    }

    /// Runs the pass, handing each sample to `sink` in time order, and returns the final states.
    public func run(_ sink: (SampleRow) throws -> Void) rethrows -> FinalState {
        let r = catalog.ratings
        let order = timeOrder()
        var users = [UserFeatureState](
            repeating: UserFeatureState(genreCount: catalog.genres.count, positiveThreshold: positiveThreshold),
            count: catalog.userIds.count)
        var movies = [MovieFeatureState](repeating: MovieFeatureState(), count: catalog.movies.count)
        let genreMasks = catalog.movies.map { UserFeatureState.mask($0.genres) }
        let years = catalog.movies.map(\.year)
        let firstGenres = catalog.movies.map { Array($0.genres.prefix(3)) }
        var batch = [(row: Int32, user: Int32, movie: Int32, rating: Float, time: Int64)]()
        var from = 0
        while from < order.count {
            // A batch of whole timestamp groups, gathered first: the rows lie at random in memory, and loads issued
            // back to back overlap, where loads spread through the feature work below would each wait for memory.
            var to = min(from + max(1, batchSize), order.count)
            while to < order.count && r.timestamp[Int(order[to])] == r.timestamp[Int(order[to - 1])] { to += 1 }
            batch.removeAll(keepingCapacity: true)
            for k in from..<to {
                let i = Int(order[k])
                batch.append((Int32(i), r.user[i], r.movie[i], r.rating[i], r.timestamp[i]))
            }
            var start = 0
            while start < batch.count {
                let time = batch[start].time
                var end = start
                while end < batch.count && batch[end].time == time { end += 1 }
                for e in batch[start..<end] {
                    let u = Int(e.user)
                    let m = Int(e.movie)
                    if users[u].totalRatings >= minimumPreviousRatings {
                        try sink(
                            SampleRow(
                                ratingRow: Int(e.row), user: u, movie: m, rating: e.rating, timestamp: time,
                                movieFeatures: movies[m].features(releaseYear: years[m], firstGenres: firstGenres[m]),
                                userFeatures: users[u].features()))
                    }
                    users[u].add(
                        movieIndex: e.movie, year: years[m], genreMask: genreMasks[m], rating: e.rating, timestamp: time
                    )
                }
                for e in batch[start..<end] { movies[Int(e.movie)].add(rating: e.rating, timestamp: time) }
                start = end
            }
            from = to
        }
        return FinalState(users: users, movies: movies)
    }

    /// Rating rows ordered by (timestamp, user, movie): a stable LSD radix sort by timestamp of the per-user order.
    public func timeOrder() -> [Int32] {
        let r = catalog.ratings
        var current = catalog.userRatingOrder
        guard let minT = r.timestamp.min(), let maxT = r.timestamp.max() else { return current }
        let span = UInt64(bitPattern: maxT &- minT)
        var other = [Int32](repeating: 0, count: current.count)
        var shift: UInt64 = 0
        r.timestamp.withUnsafeBufferPointer { ts in
            while shift < 64 && (span >> shift) > 0 {
                var counts = [Int](repeating: 0, count: 2049)
                current.withUnsafeBufferPointer { src in
                    for i in src {
                        counts[Int((UInt64(bitPattern: ts[Int(i)] &- minT) >> shift) & 2047) + 1] += 1
                    }
                    for b in 0..<2048 { counts[b + 1] += counts[b] }
                    other.withUnsafeMutableBufferPointer { dst in
                        for i in src {
                            let b = Int((UInt64(bitPattern: ts[Int(i)] &- minT) >> shift) & 2047)
                            dst[counts[b]] = i
                            counts[b] += 1
                        }
                    }
                }
                swap(&current, &other)
                shift += 11
            }
        }
        return current
    }
}
