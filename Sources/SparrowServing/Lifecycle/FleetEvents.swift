import Foundation
import SparrowStore

/// Where the feedback loop reads its events and how a fleet learns which next-item version to serve: the embedded
/// log, a Redis stream and its archive, and the announced version key.
public enum FleetEvents {
    /// The Redis key naming the promoted next-item version for a fleet of servers in Redis mode.
    public static let versionKey = "sparrow:next-item:version"

    /// Every event of the embedded log (`ARTIFACTS/events.log`) still kept, in order: its archived segments
    /// (`LogRetention`), then its own.
    public static func events(log path: String) -> [EventLog.Event] { LogRetention.history(log: path) }

    /// Every event of a Redis stream and its archive, oldest first (read in pages of `page`).
    public static func events(stream: RedisEventStream, page: Int = 10_000) async throws -> [EventLog.Event] {
        try await contents(stream: stream, page: page).events
    }

    /// Every event and every catalogue entry (movies added while serving) of a Redis stream and its archive
    /// (`RedisEventStream.retire`), oldest first.
    public static func contents(stream: RedisEventStream, page: Int = 10_000) async throws -> (
        events: [EventLog.Event], movies: [ExchangeRecords.Movie]
    ) {
        var events: [EventLog.Event] = []
        var movies: [ExchangeRecords.Movie] = []
        var after = "0"
        while true {
            let entries = try await stream.history(after: after, count: page)
            guard let last = entries.last else { break }
            for entry in entries {
                if let movie = ExchangeRecords.Movie(streamFields: entry.fields) {
                    movies.append(movie)
                } else if let event = EventLog.Event(streamFields: entry.fields) {
                    events.append(event)
                }
            }
            after = last.id
        }
        return (events, movies)
    }

    /// Tells every server in Redis mode that `version` is promoted.
    public static func announce(_ version: Int, on redis: any RedisClient) async throws {
        _ = try await redis.command("SET", versionKey, String(version))
    }

    /// The version the fleet should serve, as announced in Redis (nil: none announced).
    public static func announced(on redis: any RedisClient) async throws -> Int? {
        try await redis.command("GET", versionKey).string.flatMap(Int.init)
    }
}
