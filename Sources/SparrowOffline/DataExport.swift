import Foundation
import SparrowCore
import SparrowServing
import SparrowStore

/// `sparrow export`: everything the system knows — the catalogue, the ratings and tags of the data folder, and the
/// events posted since (an event log, and a data folder's own `events.jsonl`) — as three JSON-lines files.
///
/// - One rating per user and movie, as the server holds them: a rating event replaces the user's earlier rating of
///   the movie unless it is older (`Catalog.adding`).
/// - Ratings posted as events are exported as ratings; their idempotency keys are not (they guard one delivery,
///   which is done). Clicks and impressions keep theirs.
/// - Lines are in a canonical order (`Feedback.precedes`), so exporting a folder that `DataImport` made from an export
///   gives the same bytes.
/// - The export records which events of the log it holds (`LogManifest`); `DataImport` keeps that record in the
///   data folder, and a later export of that folder with the same log skips those events, so none counts twice.
public enum DataExport {
    /// What an export wrote.
    public struct Summary: Sendable, Equatable {
        /// Lines of movies.jsonl.
        public var movies: Int
        /// Lines of users.jsonl.
        public var users: Int
        /// Lines of feedback.jsonl.
        public var feedback: Int
        /// Events read from the event log (after those the data folder already holds).
        public var events: Int
        /// Events at the start of the log skipped because the data folder already holds them.
        public var skipped = 0
        /// Ratings (rows of the data folder or events of the log) left out because the same user rated the same movie
        /// later: one rating per user and movie.
        public var superseded = 0
    }

    /// Writes `movies.jsonl`, `users.jsonl` and `feedback.jsonl` (and `LogManifest.file`) to `directory` from
    /// `catalog` (loaded from `dataDirectory`) and the event log at `eventLog`, if any.
    public static func write(
        catalog: Catalog, dataDirectory: String, eventLog: String?, to directory: String
    ) throws -> Summary {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let movies = catalog.movies.map { m in
            ExchangeRecords.Movie(
                movieId: m.id, title: m.title, year: m.year, plainYear: m.hasPlainYear,
                genres: m.genres.map { catalog.genres[Int($0)] }, imdbId: m.imdbId, tmdbId: m.tmdbId)
        }
        let held = try LogManifest.read(from: dataDirectory)
        var manifest = held
        var logEvents: [EventLog.Event] = []
        var skipped = 0
        if let eventLog {
            let all = LogRetention.history(log: eventLog)
            if let held, held.matches(all) {
                skipped = held.events
            }
            logEvents = Array(all[skipped...])
            manifest = LogManifest(all)
        }
        let (merged, _, unknown) = catalog.adding(logEvents)
        guard unknown == 0 else {
            throw DataError(
                file: eventLog ?? "", message: "\(unknown) rating events name movies that are not in the catalogue")
        }
        let ratingEvents = logEvents.filter { $0.type == .rating && $0.rating != nil }.count
        var feedback: [ExchangeRecords.Feedback] = []
        let r = merged.ratings
        feedback.reserveCapacity(r.count + merged.tags.count)
        for i in 0..<r.count {
            feedback.append(
                .init(
                    type: "rating", userId: merged.userIds[Int(r.user[i])], movieId: merged.movies[Int(r.movie[i])].id,
                    rating: r.rating[i], timestamp: r.timestamp[i]))
        }
        for t in merged.tags {
            feedback.append(
                .init(
                    type: "tag", userId: merged.userIds[Int(t.user)], movieId: merged.movies[Int(t.movie)].id,
                    tag: t.text, timestamp: t.timestamp))
        }
        let ownEvents = dataDirectory + "/" + ExchangeRecords.dataEvents
        if FileManager.default.fileExists(atPath: ownEvents) {
            feedback += try ExchangeRecords.read(
                ExchangeRecords.Feedback.self, from: ownEvents, name: ExchangeRecords.dataEvents
            ).map(\.record)
        }
        for e in logEvents where e.type != .rating {
            feedback.append(
                .init(
                    type: e.type.rawValue, userId: e.userId, movieId: e.movieId, rating: e.rating,
                    timestamp: e.timestamp, id: e.id))
        }
        feedback.sort(by: ExchangeRecords.Feedback.precedes)
        var ratings: [Int32: Int] = [:]
        for f in feedback {
            ratings[f.userId, default: 0] += f.type == "rating" ? 1 : 0
        }
        let users = ratings.keys.sorted().map { ExchangeRecords.User(userId: $0, ratingCount: ratings[$0]!) }
        try ExchangeRecords.write(movies, to: directory + "/" + ExchangeRecords.movies)
        try ExchangeRecords.write(users, to: directory + "/" + ExchangeRecords.users)
        try ExchangeRecords.write(feedback, to: directory + "/" + ExchangeRecords.feedback)
        try LogManifest.write(manifest, to: directory)
        return Summary(
            movies: movies.count, users: users.count, feedback: feedback.count, events: logEvents.count,
            skipped: skipped, superseded: catalog.ratings.count + ratingEvents - merged.ratings.count)
    }
}
