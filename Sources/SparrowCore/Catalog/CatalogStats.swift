import Foundation

/// Summary statistics of a catalog, as `sparrow data stats` prints them.
public struct CatalogStats: Sendable, Codable, Equatable {
    /// Minimum, median and maximum of a count distribution.
    public struct Spread: Sendable, Codable, Equatable {
        /// Smallest value.
        public var min: Int
        /// Median (lower middle for an even count).
        public var median: Int
        /// Largest value.
        public var max: Int
    }

    /// Number of movies in `movies.csv`.
    public var movies: Int
    /// Movies with at least one rating.
    public var ratedMovies: Int
    /// Number of users (who rated or tagged).
    public var users: Int
    /// Number of ratings.
    public var ratings: Int
    /// Number of tags.
    public var tags: Int
    /// Ratings per rating value ("0.5" … "5.0").
    public var ratingHistogram: [String: Int]
    /// Mean rating.
    public var meanRating: Double
    /// Earliest and latest rating time (Unix seconds).
    public var firstTimestamp: Int64
    /// Latest rating time (Unix seconds).
    public var lastTimestamp: Int64
    /// Ratings per user.
    public var ratingsPerUser: Spread
    /// Ratings per rated movie.
    public var ratingsPerMovie: Spread
    /// Movies per genre.
    public var genreCounts: [String: Int]
    /// Movies listed with no genre.
    public var moviesWithoutGenres: Int
    /// Titles that contain a comma (quoted in the file).
    public var titlesWithCommas: Int
    /// Movies whose year is unknown.
    public var moviesWithoutYear: Int
    /// Titles not ending in a plain `(YYYY)` (no year, or a year range).
    public var titlesWithoutPlainYear: Int
    /// ratings / (users × movies).
    public var density: Double

    /// Computes the statistics of `catalog`.
    /// - Complexity: O(ratings + movies · log movies).
    public init(_ catalog: Catalog) {
        movies = catalog.movies.count
        users = catalog.userIds.count
        ratings = catalog.ratings.count
        tags = catalog.tags.count
        var histogram: [Int] = Array(repeating: 0, count: 11)
        var sum = 0.0
        var perMovie = [Int](repeating: 0, count: catalog.movies.count)
        for i in 0..<catalog.ratings.count {
            let r = catalog.ratings.rating[i]
            histogram[min(10, max(0, Int((r * 2).rounded())))] += 1
            sum += Double(r)
            perMovie[Int(catalog.ratings.movie[i])] += 1
        }
        ratingHistogram = [:]
        for (k, n) in histogram.enumerated() where n > 0 {
            ratingHistogram[String(format: "%.1f", Double(k) / 2)] = n
        }
        meanRating = ratings > 0 ? sum / Double(ratings) : 0
        firstTimestamp = catalog.ratings.timestamp.min() ?? 0
        lastTimestamp = catalog.ratings.timestamp.max() ?? 0
        let perUser = (0..<users).map { catalog.userRatingStart[$0 + 1] - catalog.userRatingStart[$0] }
        ratingsPerUser = Spread(perUser)
        let rated = perMovie.filter { $0 > 0 }
        ratedMovies = rated.count
        ratingsPerMovie = Spread(rated)
        var genres: [String: Int] = [:]
        for movie in catalog.movies {
            for g in movie.genres { genres[catalog.genres[Int(g)], default: 0] += 1 }
        }
        genreCounts = genres
        moviesWithoutGenres = catalog.movies.filter { $0.genres.isEmpty }.count
        titlesWithCommas = catalog.movies.filter { $0.title.contains(",") }.count
        moviesWithoutYear = catalog.movies.filter { $0.year == nil }.count
        titlesWithoutPlainYear = catalog.movies.filter { !$0.hasPlainYear }.count
        density = users > 0 && movies > 0 ? Double(ratings) / (Double(users) * Double(movies)) : 0
    }

    /// A readable multi-line report.
    public var report: String {
        func n(_ x: Int) -> String {
            x.formatted(.number.grouping(.automatic)).replacingOccurrences(of: "\u{202F}", with: ",")
        }
        func day(_ t: Int64) -> String {
            let f = DateFormatter()
            f.locale = Locale(identifier: "en_US_POSIX")
            f.timeZone = TimeZone(identifier: "UTC")
            f.dateFormat = "yyyy-MM-dd"
            return f.string(from: Date(timeIntervalSince1970: TimeInterval(t)))
        }
        var lines: [String] = []
        lines.append(
            "movies:   \(n(movies)) (\(n(ratedMovies)) rated, \(n(moviesWithoutGenres)) without genres, "
                + "\(n(titlesWithoutPlainYear)) titles without a plain (year) of which \(n(moviesWithoutYear)) have no year, "
                + "\(n(titlesWithCommas)) titles with commas)")
        lines.append("users:    \(n(users))")
        lines.append("ratings:  \(n(ratings)) (mean \(String(format: "%.3f", meanRating)))")
        lines.append("tags:     \(n(tags))")
        lines.append("time:     \(day(firstTimestamp)) to \(day(lastTimestamp))")
        lines.append("density:  \(String(format: "%.4f%%", density * 100))")
        lines.append("per user:  min \(ratingsPerUser.min), median \(ratingsPerUser.median), max \(ratingsPerUser.max)")
        lines.append(
            "per movie: min \(ratingsPerMovie.min), median \(ratingsPerMovie.median), max \(ratingsPerMovie.max) (rated movies)"
        )
        lines.append("rating histogram:")
        let peak = ratingHistogram.values.max() ?? 1
        for key in ratingHistogram.keys.sorted(by: { Double($0)! < Double($1)! }) {
            let count = ratingHistogram[key]!
            let bar = String(repeating: "█", count: max(1, count * 40 / peak))
            lines.append("  \(key)  \(n(count).padding(toLength: 10, withPad: " ", startingAt: 0)) \(bar)")
        }
        lines.append("genres:")
        for (g, c) in genreCounts.sorted(by: { MovieOrder.precedes(($0.key, $0.value), ($1.key, $1.value)) }) {
            lines.append("  \(g.padding(toLength: 12, withPad: " ", startingAt: 0)) \(n(c))")
        }
        return lines.joined(separator: "\n")
    }
}

extension CatalogStats.Spread {
    init(_ values: [Int]) {
        guard !values.isEmpty else {
            self.init(min: 0, median: 0, max: 0)
            return
        }
        let sorted = values.sorted()
        self.init(min: sorted[0], median: sorted[(sorted.count - 1) / 2], max: sorted[sorted.count - 1])
    }
}
