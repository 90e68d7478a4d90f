import Foundation
import SparrowCore

/// Each movie's ratings over time, day by day: what the point-in-time features read — how often a movie was rated in
/// the days before a request, how long it has been rated at all, and what share of its ratings were positive — counting
/// only ratings from before the request's day, so a training list never sees its own future.
///
/// Stored per movie as its distinct rating days in order with running totals (compressed rows), so a count over any
/// window is two binary searches.
public struct MovieTimeline: Sendable, Equatable {
    /// Catalog size.
    public let catalogSize: Int
    /// Row starts, `catalogSize + 1` of them.
    public let start: [Int]
    /// Days (since 1970-01-01) on which each movie was rated, ascending within its row.
    public let days: [Int32]
    /// Ratings of the movie up to and including that day.
    public let rated: [Int32]
    /// Positive ratings of the movie up to and including that day.
    public let liked: [Int32]
    /// The newest day with a rating (0 when there is none).
    public let lastDay: Int32
    /// The share of positive ratings over every movie (the like rate's prior).
    public let likedShare: Float

    /// Seconds per day.
    static let day = Seconds.day

    /// The day (days since 1970, UTC) of a timestamp in seconds: the unit of the timeline and of a request's day.
    public static func day(of seconds: Int64) -> Int32 { Int32(truncatingIfNeeded: seconds / day) }

    /// Creates a timeline from its parts.
    /// - Precondition: the rows are consistent (`start` ends at the entry count; the arrays have one entry each).
    public init(catalogSize: Int, start: [Int], days: [Int32], rated: [Int32], liked: [Int32], likedShare: Float) {
        precondition(start.count == catalogSize + 1 && start.last == days.count, "row starts must end at the entries")
        precondition(rated.count == days.count && liked.count == days.count, "one running total per day")
        self.catalogSize = catalogSize
        self.start = start
        self.days = days
        self.rated = rated
        self.liked = liked
        self.likedShare = likedShare
        lastDay = days.max() ?? 0
    }

    /// Builds the timeline of every rating in `histories`.
    /// - Complexity: O(n log n) in the ratings.
    public init(histories: [RatingHistory], catalogSize: Int) {
        var perMovie = [Int](repeating: 0, count: catalogSize + 1)
        for h in histories { for m in h.movies { perMovie[Int(m) + 1] += 1 } }
        for i in 0..<catalogSize { perMovie[i + 1] += perMovie[i] }
        var fill = perMovie
        var entries = [Int64](repeating: 0, count: perMovie[catalogSize])
        var positives = 0
        for h in histories {
            for (i, m) in h.movies.enumerated() {
                // Day in the high bits, liked in the low bit: sorting a row sorts by day.
                let like = h.liked[i]
                entries[fill[Int(m)]] = (h.timestamps[i] / Self.day) << 1 | (like ? 1 : 0)
                fill[Int(m)] += 1
                if like { positives += 1 }
            }
        }
        var start = [0]
        var days: [Int32] = []
        var rated: [Int32] = []
        var liked: [Int32] = []
        for m in 0..<catalogSize {
            entries[perMovie[m]..<perMovie[m + 1]].sort()
            var total: Int32 = 0
            var likes: Int32 = 0
            for e in entries[perMovie[m]..<perMovie[m + 1]] {
                let d = Int32(truncatingIfNeeded: e >> 1)
                total += 1
                likes += Int32(e & 1)
                if days.count > start[m], days[days.count - 1] == d {
                    rated[rated.count - 1] = total
                    liked[liked.count - 1] = likes
                } else {
                    days.append(d)
                    rated.append(total)
                    liked.append(likes)
                }
            }
            start.append(days.count)
        }
        let count = perMovie[catalogSize]
        self.init(
            catalogSize: catalogSize, start: start, days: days, rated: rated, liked: liked,
            likedShare: count > 0 ? Float(positives) / Float(count) : 0.5)
    }

    /// The data's "now": the day after the newest rating the timeline knows, the day a served request is made on.
    public var now: Int32 { lastDay + 1 }

    /// A request's day (nil: a request now) capped at `now`, so that no request reads days the data does not have.
    public func asOf(_ day: Int32?) -> Int32 { min(day ?? now, now) }

    /// The day a request with this history is answered on: the day of the user's newest rating, but never past `now`
    /// (a request today on data that ends years ago reads its last days).
    public func requestDay(_ history: RatingHistory) -> Int32 { asOf(history.timestamps.last.map(Self.day(of:))) }

    /// Ratings and positive ratings of `movie` on days before `day`.
    /// - Complexity: O(log d), d the movie's rating days.
    public func counts(_ movie: Int32, before day: Int32) -> (rated: Int32, liked: Int32) {
        let m = Int(movie)
        guard m < catalogSize else { return (0, 0) }
        var lo = start[m]
        var hi = start[m + 1]
        while lo < hi {
            let mid = (lo + hi) / 2
            if days[mid] < day { lo = mid + 1 } else { hi = mid }
        }
        return lo == start[m] ? (0, 0) : (rated[lo - 1], liked[lo - 1])
    }

    /// The movie's first rating day, nil when it has none before `day`.
    public func firstDay(_ movie: Int32, before day: Int32) -> Int32? {
        let m = Int(movie)
        guard m < catalogSize, start[m] < start[m + 1], days[start[m]] < day else { return nil }
        return days[start[m]]
    }

    /// The point-in-time features of `movie` for a request on `day`: log(1 + ratings in the `window` days before it),
    /// log(1 + ratings in the `longWindow` days before it), log(1 + days since its first rating) (0 when it has none
    /// yet) and its smoothed like rate ((likes + 5·prior) / (ratings + 5)), all from ratings before `day`. Only the
    /// features whose bit is set in `columns` (1, 2, 4, 8 in that order) are computed; the others are 0.
    /// - Complexity: O(log d), d the movie's rating days: one binary search per window asked for.
    public func features(
        _ movie: Int32, day: Int32, window: Int32, longWindow: Int32, columns: Int = 0b1111
    ) -> (Float, Float, Float, Float) {
        let now = counts(movie, before: day)
        let short = columns & 1 != 0 ? log1p(Float(now.rated - counts(movie, before: day - window).rated)) : 0
        let long = columns & 2 != 0 ? log1p(Float(now.rated - counts(movie, before: day - longWindow).rated)) : 0
        let age = columns & 4 != 0 ? firstDay(movie, before: day).map { log1p(Float(day - $0)) } ?? 0 : 0
        let prior: Float = 5
        let rate = columns & 8 != 0 ? (Float(now.liked) + prior * likedShare) / (Float(now.rated) + prior) : 0
        return (short, long, age, rate)
    }
}
