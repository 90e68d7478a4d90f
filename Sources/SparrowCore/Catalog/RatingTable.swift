/// Ratings stored column-wise: one array per field, row `i` across all four.
///
/// Users and movies are dense catalog indices, not raw ids.
public struct RatingTable: Sendable, Equatable {
    /// Dense user index of each rating.
    public var user: [Int32] = []
    /// Dense movie index of each rating.
    public var movie: [Int32] = []
    /// The rating, 0.5 to 5.0.
    public var rating: [Float] = []
    /// Unix seconds (64-bit: compared as numbers, never as strings).
    public var timestamp: [Int64] = []

    /// Creates an empty table.
    public init() {}

    /// The number of ratings.
    @inlinable public var count: Int { rating.count }

    /// Reserves room for `n` ratings in every column.
    public mutating func reserve(_ n: Int) {
        user.reserveCapacity(n)
        movie.reserveCapacity(n)
        rating.reserveCapacity(n)
        timestamp.reserveCapacity(n)
    }

    /// Appends one rating.
    @inlinable
    public mutating func append(user u: Int32, movie m: Int32, rating r: Float, timestamp t: Int64) {
        user.append(u)
        movie.append(m)
        rating.append(r)
        timestamp.append(t)
    }
}

/// A free-text tag a user put on a movie (`tags.csv`).
public struct Tag: Sendable, Equatable {
    /// Dense user index (users who only tag are still catalog users).
    public var user: Int32
    /// Dense movie index.
    public var movie: Int32
    /// The tag text.
    public var text: String
    /// Unix seconds.
    public var timestamp: Int64

    /// Creates a tag.
    public init(user: Int32, movie: Int32, text: String, timestamp: Int64) {
        self.user = user
        self.movie = movie
        self.text = text
        self.timestamp = timestamp
    }
}

extension RatingTable {
    /// One key per (user, movie) pair, whatever the ids' signs: what one-rating-per-pair checks group by.
    @inlinable
    public static func pairKey(user: Int32, movie: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: user)) << 32 | UInt64(UInt32(bitPattern: movie))
    }
}
