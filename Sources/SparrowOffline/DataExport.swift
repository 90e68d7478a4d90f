import Foundation
import SparrowCore
import SparrowServing
import SparrowStore

/// `sparrow export`: everything the system knows — the catalogue, the ratings and tags of the data folder, and the
/// events posted since (the embedded log, and a data folder's own `events.jsonl`) — as three JSON-lines files.
///
/// Ratings posted as events are exported as ratings; their idempotency keys are not (they guard one delivery, which
/// is done). Clicks and impressions keep theirs. Lines are in a canonical order (`Feedback.precedes`), so exporting
/// a folder that `DataImport` made from an export gives the same bytes.
public enum DataExport {
    /// What an export wrote.
    public struct Summary: Sendable, Equatable {
        /// Lines of movies.jsonl.
        public var movies: Int
        /// Lines of users.jsonl.
        public var users: Int
        /// Lines of feedback.jsonl.
        public var feedback: Int
        /// Of them, events read from the event log.
        public var events: Int
    }

    /// Writes `movies.jsonl`, `users.jsonl` and `feedback.jsonl` to `directory` from `catalog` (loaded from
    /// `dataDirectory`) and the event log at `eventLog`, if any.
    public static func write(
        catalog: Catalog, dataDirectory: String, eventLog: String?, to directory: String
    ) throws -> Summary {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let movies = catalog.movies.map { m in
            ExchangeRecords.Movie(
                movieId: m.id, title: m.title, year: m.year, plainYear: m.hasPlainYear,
                genres: m.genres.map { catalog.genres[Int($0)] }, imdbId: m.imdbId, tmdbId: m.tmdbId)
        }
        var feedback: [ExchangeRecords.Feedback] = []
        let r = catalog.ratings
        feedback.reserveCapacity(r.count + catalog.tags.count)
        for i in 0..<r.count {
            feedback.append(
                .init(
                    type: "rating", userId: catalog.userIds[Int(r.user[i])],
                    movieId: catalog.movies[Int(r.movie[i])].id,
                    rating: r.rating[i], timestamp: r.timestamp[i]))
        }
        for t in catalog.tags {
            feedback.append(
                .init(
                    type: "tag", userId: catalog.userIds[Int(t.user)], movieId: catalog.movies[Int(t.movie)].id,
                    tag: t.text, timestamp: t.timestamp))
        }
        let ownEvents = dataDirectory + "/" + ExchangeRecords.dataEvents
        if FileManager.default.fileExists(atPath: ownEvents) {
            feedback += try ExchangeRecords.read(
                ExchangeRecords.Feedback.self, from: ownEvents, name: ExchangeRecords.dataEvents
            ).map(\.record)
        }
        var events = 0
        if let eventLog {
            for e in LogRetention.history(log: eventLog) {
                events += 1
                feedback.append(
                    .init(
                        type: e.type.rawValue, userId: e.userId, movieId: e.movieId, rating: e.rating,
                        timestamp: e.timestamp, id: e.type == .rating ? nil : e.id))
            }
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
        return Summary(movies: movies.count, users: users.count, feedback: feedback.count, events: events)
    }
}
