import SparrowCore

/// A user's features at one moment: what the original calls `uf:<userId>`.
///
/// Everything is computed over the user's previous ≤ `UserFeatureState.windowSize` ratings in numeric time order.
public struct UserFeatures: Sendable, Equatable, Codable {
    /// Movie indices of the last positively rated movies in the window, most recent first: `userRatedMovie1…5` are
    /// the first five; up to `UserFeatureState.historyCapacity` are kept for longer-history models.
    public var recentPositives: [Int32]
    /// Ratings in the window (`userRatingCount`, 0…100).
    public var ratingCount: Int
    /// Mean release year of the window's movies with a known year, truncated (`userAvgReleaseYear`).
    public var averageReleaseYear: Int?
    /// Sample standard deviation of those years.
    public var releaseYearStddev: Double?
    /// Mean rating in the window.
    public var averageRating: Double?
    /// Sample standard deviation of the window's ratings.
    public var ratingStddev: Double?
    /// Up to five genre indices, most frequent among the window's positive movies first; ties go to the genre that
    /// comes first in the catalog's vocabulary (the more common genre overall), so the order is deterministic.
    public var topGenres: [Int16]
    /// Time of the user's latest rating, `nil` before the first.
    public var lastRatingTime: Int64?

    /// Creates a feature record.
    public init(
        recentPositives: [Int32], ratingCount: Int, averageReleaseYear: Int?, releaseYearStddev: Double?,
        averageRating: Double?, ratingStddev: Double?, topGenres: [Int16], lastRatingTime: Int64?
    ) {
        self.recentPositives = recentPositives
        self.ratingCount = ratingCount
        self.averageReleaseYear = averageReleaseYear
        self.releaseYearStddev = releaseYearStddev
        self.averageRating = averageRating
        self.ratingStddev = ratingStddev
        self.topGenres = topGenres
        self.lastRatingTime = lastRatingTime
    }
}

/// The running state behind `UserFeatures`: a sliding window of the user's latest ratings with incremental sums.
///
/// Adding a rating is O(genres per movie); computing features is O(window) at worst. The offline sample pass and the
/// near-line processor both call `add`, so a user's features are the same whichever computed them.
public struct UserFeatureState: Sendable, Equatable, Codable {
    /// How many previous ratings the features look at (100, as in the original).
    public static let windowSize = 100
    /// Recent positives kept in `UserFeatures.recentPositives` (the original keeps 5).
    public static let historyCapacity = 20
    /// Ratings at or above this are positive (3.5, as in the original).
    public let positiveThreshold: Float

    struct Entry: Sendable, Equatable, Codable {
        var movie: Int32
        var rating: Float
        var year: Int32  // -1 when unknown
        var genres: UInt64  // bit g set for genre g
    }

    private var window: [Entry] = []
    private var head = 0  // index of the oldest entry once the ring is full
    private var ratingSum = 0.0
    private var ratingSquares = 0.0
    private var yearCount = 0
    private var yearSum = 0.0
    private var yearSquares = 0.0
    private var genreCounts: [Int32]
    /// Time of the latest rating added.
    public private(set) var lastRatingTime: Int64?
    /// Ratings ever added (not only those in the window).
    public private(set) var totalRatings = 0

    /// An empty state for a catalog with `genreCount` genres (at most 64).
    public init(genreCount: Int, positiveThreshold: Float = likedThreshold) {
        precondition(genreCount <= 64, "UserFeatureState supports at most 64 genres, got \(genreCount)")
        genreCounts = [Int32](repeating: 0, count: genreCount)
        self.positiveThreshold = positiveThreshold
        window.reserveCapacity(8)
    }

    /// Adds the user's next rating (ratings must arrive in the user's time order).
    public mutating func add(movieIndex: Int32, movie: Movie, rating: Float, timestamp: Int64) {
        add(
            movieIndex: movieIndex, year: movie.year, genreMask: UserFeatureState.mask(movie.genres), rating: rating,
            timestamp: timestamp)
    }

    /// The genre bit mask of a genre list.
    public static func mask(_ genres: [Int16]) -> UInt64 {
        genres.reduce(0) { $0 | (1 << UInt64($1)) }
    }

    /// Adds the user's next rating given the movie's year and genre mask (the allocation-free form used in bulk).
    public mutating func add(movieIndex: Int32, year: Int?, genreMask: UInt64, rating: Float, timestamp: Int64) {
        let entry = Entry(movie: movieIndex, rating: rating, year: Int32(year ?? -1), genres: genreMask)
        if window.count == Self.windowSize {
            account(window[head], sign: -1)
            window[head] = entry
            head = (head + 1) % Self.windowSize
        } else {
            window.append(entry)
        }
        account(entry, sign: 1)
        lastRatingTime = timestamp
        totalRatings += 1
    }

    private mutating func account(_ e: Entry, sign: Double) {
        ratingSum += sign * Double(e.rating)
        ratingSquares += sign * Double(e.rating) * Double(e.rating)
        if e.year >= 0 {
            yearCount += Int(sign)
            yearSum += sign * Double(e.year)
            yearSquares += sign * Double(e.year) * Double(e.year)
        }
        if e.rating >= positiveThreshold {
            var bits = e.genres
            let delta = Int32(sign)
            while bits != 0 {
                genreCounts[bits.trailingZeroBitCount] += delta
                bits &= bits - 1
            }
        }
    }

    /// How often each genre occurs among the window's positive ratings.
    public var positiveGenreCounts: [Int32] { genreCounts }

    /// True when the window holds a movie whose release year is unknown.
    public var windowHasUnknownYear: Bool { window.contains { $0.year < 0 } }

    /// The entry `k` steps back from the newest (0 = newest).
    private func entry(back k: Int) -> Entry {
        let n = window.count
        let newest = n < Self.windowSize ? n - 1 : (head + Self.windowSize - 1) % Self.windowSize
        return window[(newest - k + Self.windowSize) % Self.windowSize]
    }

    /// The features given the ratings added so far.
    public func features() -> UserFeatures {
        let n = window.count
        var positives: [Int32] = []
        var k = 0
        while k < n && positives.count < Self.historyCapacity {
            let e = entry(back: k)
            if e.rating >= positiveThreshold { positives.append(e.movie) }
            k += 1
        }
        var top: [Int16] = []
        var taken: UInt64 = 0
        genreCounts.withUnsafeBufferPointer { counts in
            while top.count < 5 {
                var best = -1
                var bestCount: Int32 = 0
                for g in 0..<counts.count where counts[g] > bestCount && taken & (1 << UInt64(g)) == 0 {
                    best = g
                    bestCount = counts[g]
                }
                guard best >= 0 else { break }
                taken |= 1 << UInt64(best)
                top.append(Int16(best))
            }
        }
        return UserFeatures(
            recentPositives: positives, ratingCount: n,
            averageReleaseYear: yearCount > 0 ? Int((yearSum / Double(yearCount)).rounded(.towardZero)) : nil,
            releaseYearStddev: RunningMoments.sampleStddev(count: yearCount, sum: yearSum, sumOfSquares: yearSquares),
            averageRating: n > 0 ? ratingSum / Double(n) : nil,
            ratingStddev: RunningMoments.sampleStddev(count: n, sum: ratingSum, sumOfSquares: ratingSquares),
            topGenres: top, lastRatingTime: lastRatingTime)
    }
}
