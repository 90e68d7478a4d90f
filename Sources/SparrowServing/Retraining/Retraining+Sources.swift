import Foundation
import SparrowStore

extension Retraining {
    /// The Redis key naming the promoted next-item version for a fleet of servers in Redis mode.
    public static let versionKey = "sparrow:next-item:version"

    /// Every complete event of the embedded log (`ARTIFACTS/events.log`), in order.
    public static func events(log path: String) -> [EventLog.Event] { EventLog.read(path: path) }

    /// Every event of a Redis stream, oldest first (read in pages of `page`).
    public static func events(stream: RedisEventStream, page: Int = 10_000) async throws -> [EventLog.Event] {
        var events: [EventLog.Event] = []
        var after = "0"
        while true {
            let entries = try await stream.range(after: after, count: page)
            guard let last = entries.last else { break }
            events += entries.compactMap { EventLog.Event(streamFields: $0.fields) }
            after = last.id
        }
        return events
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
