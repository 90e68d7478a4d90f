/// The whole dataset in memory: movies, users, ratings (column-wise) and tags, with dense indices.
///
/// Movies are ordered by `movieId`, users by `userId`; a movie's or user's dense index is its position. Each user's
/// ratings are also available in time order (`ratingsOfUser`), ties on the timestamp broken by movie index and then
/// by file position, so every consumer sees the same sequence.
public struct Catalog: Sendable {
    /// Movies ordered by id; the position is the dense movie index.
    public let movies: [Movie]
    /// Genre vocabulary built from the data: most frequent first, ties by name. `(no genres listed)` is not a genre.
    public let genres: [String]
    /// Raw user ids ordered ascending; the position is the dense user index.
    public let userIds: [Int32]
    /// All ratings in file order.
    public let ratings: RatingTable
    /// All tags in file order (empty when there is no `tags.csv`).
    public let tags: [Tag]
    /// Rows skipped in lenient mode, by reason (empty in strict mode).
    public let skipped: SkipReport

    let movieIndexById: IdIndex
    let userIndexById: IdIndex
    let genreIndexByName: [String: Int16]
    /// `userRatingOrder[userRatingStart[u]..<userRatingStart[u+1]]` are user `u`'s rating rows in time order.
    public let userRatingStart: [Int]
    /// Rating row numbers grouped by user, each group in time order.
    public let userRatingOrder: [Int32]

    /// Assembles a catalog; `ratings` and `tags` must already use the dense indices of `movies` and `userIds`.
    ///
    /// - Precondition: movie ids and user ids are distinct and ascending.
    public init(
        movies: [Movie], genres: [String], userIds: [Int32], ratings: RatingTable, tags: [Tag] = [],
        skipped: SkipReport = SkipReport()
    ) {
        precondition(zip(movies, movies.dropFirst()).allSatisfy { $0.id < $1.id }, "Catalog: movie ids must ascend")
        precondition(zip(userIds, userIds.dropFirst()).allSatisfy { $0 < $1 }, "Catalog: user ids must ascend")
        self.movies = movies
        self.genres = genres
        self.userIds = userIds
        self.ratings = ratings
        self.tags = tags
        self.skipped = skipped
        movieIndexById = IdIndex(movies.map(\.id))
        userIndexById = IdIndex(userIds)
        genreIndexByName = Dictionary(uniqueKeysWithValues: genres.enumerated().map { ($1, Int16($0)) })
        (userRatingStart, userRatingOrder) = Catalog.groupByUser(ratings, userCount: userIds.count)
    }

    /// The dense index of movie `id`, or `nil`.
    public func movieIndex(id: Int32) -> Int? { movieIndexById[id] }
    /// The dense index of user `id`, or `nil`.
    public func userIndex(id: Int32) -> Int? { userIndexById[id] }
    /// The movie with MovieLens id `id`, or `nil`.
    public func movie(id: Int32) -> Movie? { movieIndexById[id].map { movies[$0] } }
    /// The index of a genre name in `genres`, or `nil`.
    public func genreIndex(_ name: String) -> Int16? { genreIndexByName[name] }

    /// User `u`'s rating rows in time order.
    @inlinable
    public func ratingsOfUser(_ u: Int) -> ArraySlice<Int32> {
        userRatingOrder[userRatingStart[u]..<userRatingStart[u + 1]]
    }

    /// Counting sort by user, then each user's rows sorted by (timestamp, movie, row).
    /// - Complexity: O(n log k) for n ratings and at most k ratings per user.
    static func groupByUser(_ r: RatingTable, userCount: Int) -> ([Int], [Int32]) {
        var start = [Int](repeating: 0, count: userCount + 1)
        for u in r.user { start[Int(u) + 1] += 1 }
        for u in 0..<userCount { start[u + 1] += start[u] }
        var fill = start
        var order = [Int32](repeating: 0, count: r.count)
        for i in 0..<r.count {
            let u = Int(r.user[i])
            order[fill[u]] = Int32(i)
            fill[u] += 1
        }
        r.timestamp.withUnsafeBufferPointer { ts in
            r.movie.withUnsafeBufferPointer { mv in
                order.withUnsafeMutableBufferPointer { ord in
                    for u in 0..<userCount {
                        var slice = UnsafeMutableBufferPointer(rebasing: ord[start[u]..<start[u + 1]])
                        slice.sort { a, b in
                            let ta = ts[Int(a)]
                            let tb = ts[Int(b)]
                            if ta != tb { return ta < tb }
                            let ma = mv[Int(a)]
                            let mb = mv[Int(b)]
                            if ma != mb { return ma < mb }
                            return a < b
                        }
                    }
                }
            }
        }
        return (start, order)
    }
}
