import Foundation
import SparrowCore
import SparrowStore

/// An event as a client posts it (every field optional, so that a missing one gets a precise error), validated by the
/// engine into an `EventLog.Event`.
public struct EventInput: Sendable, Decodable {
    /// `rating` (default), `click` or `impression`.
    public var type: String?
    /// The user: an id in 1…2³¹−1 (decoded wider, so that a larger one is refused with the range, not a parse error).
    public var userId: Int64?
    /// The movie: an id of the catalogue.
    public var movieId: Int64?
    /// The rating, 0.5–5 in half stars (rating events only).
    public var rating: Float?
    /// Unix seconds (default: now).
    public var timestamp: Int64?
    /// The client's idempotency key (`eventId` is accepted as a synonym).
    public var id: String?
    /// Synonym of `id` (`id` wins when both are given).
    public var eventId: String?

    /// The type of a rating event.
    public static let ratingType = EventType.rating.rawValue
    /// The types of events without a rating (clicks, impressions).
    public static let interactionTypes = EventType.allCases.filter { $0 != .rating }.map(\.rawValue)

    /// The fields an event may have; any other is refused.
    public static let fields: Set<String> = ["type", "userId", "movieId", "rating", "timestamp", "id", "eventId"]

    /// The latest timestamp accepted at `now`: the last second of the next UTC day — a client's clock may run up
    /// to one day ahead (at least 24 h, at most 48 h past the server's clock). A later one is refused, since it would
    /// sort after every real rating for ever. The bound moves once a day, so a document that states it stays true
    /// for a whole day.
    public static func latestTimestamp(now: Int64) -> Int64 { (now / Seconds.day + 2) * Seconds.day - 1 }

    /// The latest timestamp accepted now.
    public static var latestTimestamp: Int64 { latestTimestamp(now: Int64(Date().timeIntervalSince1970)) }

    /// The event, or an error naming the field of event `index` that is wrong. A missing type is a rating; a
    /// missing timestamp is `now`.
    public func validated(index k: Int, catalog: Catalog, now: Int64) throws(EngineError) -> EventLog.Event {
        let typeName = type ?? EventType.rating.rawValue
        guard let type = EventType(rawValue: typeName) else {
            let choices = EventType.allCases.map(\.rawValue).joined(separator: ", ")
            throw .invalidInput("event \(k): type must be one of \(choices), got \"\(typeName)\"")
        }
        let ids = "an integer in 1…\(Int32.max)"
        guard let wideUser = userId else { throw .invalidInput("event \(k): missing userId") }
        guard let user = Int32(exactly: wideUser), user > 0 else {
            throw .invalidInput("event \(k): userId must be \(ids), got \(wideUser)")
        }
        guard let wideMovie = movieId else { throw .invalidInput("event \(k): missing movieId") }
        guard let movie = Int32(exactly: wideMovie), movie > 0 else {
            throw .invalidInput("event \(k): movieId must be \(ids), got \(wideMovie)")
        }
        guard catalog.movieIndex(id: movie) != nil else { throw .notFound("event \(k): unknown movie \(movie)") }
        if type == .rating {
            guard let r = rating, r >= 0.5, r <= 5, (r * 2).rounded() == r * 2 else {
                throw .invalidInput("event \(k): rating must be 0.5–5.0 in half stars")
            }
        } else if rating != nil {
            throw .invalidInput("event \(k): only rating events carry a rating")
        }
        for (name, value) in [("id", id), ("eventId", eventId)] {
            if let value, value.isEmpty || value.unicodeScalars.count > 128 {
                throw .invalidInput("event \(k): \(name) must be 1–128 characters")
            }
        }
        let key = id ?? eventId
        let time = timestamp ?? now
        let latest = EventInput.latestTimestamp(now: now)
        guard time >= 0, time <= latest else {
            throw .invalidInput(
                "event \(k): timestamp must be Unix seconds from 0 to \(latest) (the end of tomorrow, UTC), got \(time)"
            )
        }
        return EventLog.Event(type: type, userId: user, movieId: movie, rating: rating, timestamp: time, id: key)
    }
}
