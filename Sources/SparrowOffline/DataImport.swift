import Foundation
import SparrowCore
import SparrowServing

/// `sparrow import`: an export folder (`movies.jsonl`, `users.jsonl`, `feedback.jsonl`) turned into a MovieLens data
/// folder that every command reads — `movies.csv`, `links.csv`, `ratings.csv`, `tags.csv`, and `events.jsonl` for the
/// clicks and impressions a MovieLens file cannot hold. Every line is checked first; the first bad one stops the
/// import with the file, the line and the field, and nothing is written.
public enum DataImport {
    /// What an import wrote.
    public struct Summary: Sendable, Equatable {
        /// Movies written to movies.csv and links.csv.
        public var movies: Int
        /// Rows of ratings.csv.
        public var ratings: Int
        /// Rows of tags.csv.
        public var tags: Int
        /// Clicks and impressions written to events.jsonl.
        public var events: Int
        /// Rating lines left out because the same user rated the same movie later (one rating per user and movie:
        /// the newest wins, the later line on a tie).
        public var superseded = 0
    }

    /// Reads and checks the export folder `source`, then writes the data folder `destination`.
    public static func run(from source: String, to destination: String) throws -> Summary {
        let movieLines = try ExchangeRecords.read(
            ExchangeRecords.Movie.self, from: source + "/" + ExchangeRecords.movies, name: ExchangeRecords.movies)
        let userLines = try ExchangeRecords.read(
            ExchangeRecords.User.self, from: source + "/" + ExchangeRecords.users, name: ExchangeRecords.users)
        let feedbackLines = try ExchangeRecords.read(
            ExchangeRecords.Feedback.self, from: source + "/" + ExchangeRecords.feedback,
            name: ExchangeRecords.feedback)
        try check(movies: movieLines, users: userLines, feedback: feedbackLines)
        let (movies, feedback) = (movieLines.map(\.record), feedbackLines.map(\.record))

        try FileManager.default.createDirectory(atPath: destination, withIntermediateDirectories: true)
        var moviesCSV = "movieId,title,genres\n"
        var links = "movieId,imdbId,tmdbId\n"
        for m in movies {
            var title = m.title
            if let year = m.year { title += m.plainYear ? " (\(year))" : " (\(year)-)" }
            let genres = m.genres.isEmpty ? "(no genres listed)" : m.genres.joined(separator: "|")
            moviesCSV += "\(m.movieId),\(field(title)),\(field(genres))\n"
            links += "\(m.movieId),\(m.imdbId ?? ""),\(m.tmdbId.map(String.init) ?? "")\n"
        }
        var ratings = "userId,movieId,rating,timestamp\n"
        var tags = "userId,movieId,tag,timestamp\n"
        var events: [ExchangeRecords.Feedback] = []
        var counts = (ratings: 0, tags: 0)
        var newest: [UInt64: Int] = [:]
        for (k, f) in feedback.enumerated() where f.type == "rating" {
            let key = RatingTable.pairKey(user: f.userId, movie: f.movieId)
            if let w = newest[key], feedback[w].timestamp > f.timestamp { continue }
            newest[key] = k
        }
        var superseded = 0
        for (k, f) in feedback.enumerated() {
            switch f.type {
            case "rating" where newest[RatingTable.pairKey(user: f.userId, movie: f.movieId)] != k:
                superseded += 1
            case "rating":
                ratings += "\(f.userId),\(f.movieId),\(String(format: "%.1f", f.rating!)),\(f.timestamp)\n"
                counts.ratings += 1
            case "tag":
                tags += "\(f.userId),\(f.movieId),\(field(f.tag!)),\(f.timestamp)\n"
                counts.tags += 1
            default:
                events.append(f)
            }
        }
        for (name, text) in [
            ("movies.csv", moviesCSV), ("links.csv", links), ("ratings.csv", ratings), ("tags.csv", tags),
        ] {
            try Data(text.utf8).write(to: URL(fileURLWithPath: destination + "/" + name))
        }
        // Which events of a server's log the data now holds (so that exporting it with that log skips them).
        try LogManifest.write(try LogManifest.read(from: source), to: destination)
        let eventsPath = destination + "/" + ExchangeRecords.dataEvents
        if events.isEmpty {
            try? FileManager.default.removeItem(atPath: eventsPath)
        } else {
            try ExchangeRecords.write(events, to: eventsPath)
        }
        return Summary(
            movies: movies.count, ratings: counts.ratings, tags: counts.tags, events: events.count,
            superseded: superseded)
    }

    /// A CSV field, quoted when it holds a comma, a quote or a line break.
    static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Every cross-file rule: unique ids, known users and movies, a rating only on ratings and in half stars, a
    /// tag's text on tags.
    static func check(
        movies: [(line: Int, record: ExchangeRecords.Movie)], users: [(line: Int, record: ExchangeRecords.User)],
        feedback: [(line: Int, record: ExchangeRecords.Feedback)]
    ) throws {
        func fail(_ file: String, _ line: Int, _ field: String?, _ message: String) -> DataError {
            DataError(file: file, line: line, field: field, message: message)
        }
        var movieIds = Set<Int32>()
        for (k, m) in movies {
            guard m.movieId > 0 else { throw fail(ExchangeRecords.movies, k, "movieId", "must be a positive id") }
            guard movieIds.insert(m.movieId).inserted else {
                throw fail(ExchangeRecords.movies, k, "movieId", "\(m.movieId) appears twice")
            }
            guard !m.title.isEmpty, !m.title.contains("\n") else {
                throw fail(ExchangeRecords.movies, k, "title", "must be one non-empty line")
            }
            if let bad = m.genres.first(where: { $0.isEmpty || $0.contains("|") || $0 == "(no genres listed)" }) {
                throw fail(ExchangeRecords.movies, k, "genres", "\"\(bad)\" is not a genre name")
            }
            if let y = m.year, !(0...9999).contains(y) {
                throw fail(ExchangeRecords.movies, k, "year", "must have four digits")
            }
        }
        var userIds = Set<Int32>()
        for (k, u) in users {
            guard u.userId > 0, userIds.insert(u.userId).inserted else {
                throw fail(ExchangeRecords.users, k, "userId", "\(u.userId) is not a new positive id")
            }
        }
        for (k, f) in feedback {
            let file = ExchangeRecords.feedback
            guard ["rating", "tag", "click", "impression"].contains(f.type) else {
                throw fail(file, k, "type", "must be rating, tag, click or impression, got \"\(f.type)\"")
            }
            guard userIds.contains(f.userId) else {
                throw fail(file, k, "userId", "\(f.userId) is not in \(ExchangeRecords.users)")
            }
            guard movieIds.contains(f.movieId) else {
                throw fail(file, k, "movieId", "\(f.movieId) is not in \(ExchangeRecords.movies)")
            }
            guard f.timestamp >= 0 else { throw fail(file, k, "timestamp", "must be Unix seconds ≥ 0") }
            if f.type == "rating" {
                guard let r = f.rating, r >= 0.5, r <= 5, (r * 2).rounded() == r * 2 else {
                    throw fail(file, k, "rating", "must be 0.5–5 in half stars")
                }
            } else if f.rating != nil {
                throw fail(file, k, "rating", "only ratings carry one")
            }
            if f.type == "tag" {
                guard let t = f.tag, !t.isEmpty, !t.contains("\n") else {
                    throw fail(file, k, "tag", "a tag needs one non-empty line of text")
                }
            } else if f.tag != nil {
                throw fail(file, k, "tag", "only tags carry one")
            }
        }
    }
}
