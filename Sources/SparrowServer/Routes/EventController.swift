import Foundation
import Hummingbird
import SparrowServing

/// `/api/v1/events` (and its synonym `/feedback`): ratings, clicks and impressions, durable before the 202.
struct EventController: Sendable {
    let service: RecommendationService

    /// Registers the handlers under `group` (`/api/v1`).
    func register(on group: RouterGroup<BasicRequestContext>) {
        group.post("events", use: post)
        group.post("feedback", use: post)
    }

    /// A posted body: one event object, or `{"events": [...]}`.
    struct Batch: Decodable {
        var events: [EventInput]
    }

    /// Decodes the body (errors name the field and what was expected), has the engine validate each event, logs
    /// them durably, then applies them; 202 only once they are on disk.
    @Sendable func post(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        var request = request
        let data = Data(buffer: try await request.collectBody(upTo: 1 << 20))
        let incoming = try Self.decode(data)
        guard !incoming.isEmpty else { throw APIError.badRequest("events: no events") }
        let now = Int64(Date().timeIntervalSince1970)
        let catalog = service.recommender.catalog
        let events = try APIError.mapping {
            try incoming.enumerated().map { k, e in try e.validated(index: k, catalog: catalog, now: now) }
        }
        try await service.ingest.submit(events)
        service.metrics.events(events.count)
        return try JSON.response(EventsAccepted(accepted: events.count), status: .accepted)
    }

    /// The events of a body; a batch is an object with an `events` key.
    static func decode(_ data: Data) throws -> [EventInput] {
        let object = try? JSONSerialization.jsonObject(with: data)
        guard let fields = object as? [String: Any] else {
            throw APIError.badRequest("the body must be a JSON object: an event or {\"events\": [...]}")
        }
        do {
            if fields["events"] != nil { return try JSONDecoder().decode(Batch.self, from: data).events }
            return [try JSONDecoder().decode(EventInput.self, from: data)]
        } catch let error as DecodingError {
            throw APIError.badRequest(APIError.describe(error))
        }
    }
}
