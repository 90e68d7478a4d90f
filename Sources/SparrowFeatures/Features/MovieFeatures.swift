import SparrowCore

/// A movie's features at one moment: what the original calls `mf:<movieId>`.
///
/// Statistics cover only ratings strictly before that moment (the original leaks the future here, bug B3).
public struct MovieFeatures: Sendable, Equatable, Codable {
    /// Release year, `nil` when the title has none (never a made-up 1990).
    public var releaseYear: Int?
    /// Up to three genre indices in the file's order (`movieGenre1…3`).
    public var genres: [Int16]
    /// Number of earlier ratings.
    public var ratingCount: Int
    /// Mean of earlier ratings; `nil` when there are none.
    public var averageRating: Double?
    /// Sample standard deviation of earlier ratings; `nil` with fewer than two.
    public var ratingStddev: Double?
    /// Unix time of the movie's first rating; `nil` when it has none yet.
    public var firstRatingTime: Int64?

    /// Creates a feature record.
    public init(
        releaseYear: Int?, genres: [Int16], ratingCount: Int, averageRating: Double?, ratingStddev: Double?,
        firstRatingTime: Int64?
    ) {
        self.releaseYear = releaseYear
        self.genres = genres
        self.ratingCount = ratingCount
        self.averageRating = averageRating
        self.ratingStddev = ratingStddev
        self.firstRatingTime = firstRatingTime
    }
}

/// The running state behind `MovieFeatures`, updated one rating at a time — offline in the sample pass and online
/// by the near-line processor — so both compute features with this one piece of code.
public struct MovieFeatureState: Sendable, Equatable, Codable {
    /// Ratings seen.
    public private(set) var count = 0
    private var sum = 0.0
    private var sumOfSquares = 0.0
    /// Time of the first rating seen.
    public private(set) var firstRatingTime: Int64?

    /// An empty state (no ratings yet).
    public init() {}

    /// Adds one rating.
    @inlinable
    public mutating func add(rating: Float, timestamp: Int64) {
        addRaw(Double(rating), timestamp)
    }

    @usableFromInline
    mutating func addRaw(_ r: Double, _ timestamp: Int64) {
        count += 1
        sum += r
        sumOfSquares += r * r
        if firstRatingTime == nil || timestamp < firstRatingTime! { firstRatingTime = timestamp }
    }

    /// Replaces one of the ratings added (a user's earlier rating of the movie) with `new`: the count stays, the sums
    /// move. `firstRatingTime` is the earliest time among the ratings the movie now holds, which only the caller
    /// knows (nil: unchanged).
    public mutating func replace(rating old: Float, with new: Float, firstRatingTime: Int64? = nil) {
        precondition(count > 0, "MovieFeatureState: no rating to replace")
        sum += Double(new) - Double(old)
        sumOfSquares += Double(new) * Double(new) - Double(old) * Double(old)
        if let firstRatingTime { self.firstRatingTime = firstRatingTime }
    }

    /// The features of `movie` given the ratings added so far.
    public func features(of movie: Movie) -> MovieFeatures {
        features(releaseYear: movie.year, firstGenres: Array(movie.genres.prefix(3)))
    }

    /// The features given the movie's year and (up to three) first genres.
    public func features(releaseYear: Int?, firstGenres: [Int16]) -> MovieFeatures {
        MovieFeatures(
            releaseYear: releaseYear, genres: firstGenres, ratingCount: count,
            averageRating: count > 0 ? sum / Double(count) : nil,
            ratingStddev: RunningMoments.sampleStddev(count: count, sum: sum, sumOfSquares: sumOfSquares),
            firstRatingTime: firstRatingTime)
    }
}

/// Numerically careful helpers for sums of exact values (ratings are multiples of ½, years are integers).
enum RunningMoments {
    /// Sample standard deviation from count, sum and sum of squares; `nil` for fewer than two values.
    static func sampleStddev(count: Int, sum: Double, sumOfSquares: Double) -> Double? {
        guard count >= 2 else { return nil }
        let n = Double(count)
        let variance = max(0, (sumOfSquares - sum * sum / n) / (n - 1))
        return variance.squareRoot()
    }
}
