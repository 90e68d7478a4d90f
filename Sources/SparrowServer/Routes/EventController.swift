import Foundation
import Hummingbird
import SparrowServing

/// `/api/v1/events` (and its synonym `/feedback`): ratings, clicks and impressions, durable before the 202.
struct EventController: Sendable {
    let service: RecommendationService

    /// The most events one body may carry.
    static let maxBatch = 10_000

    /// Registers the handlers.
    func register(on router: GuardedRouter) {
        router.on(API.events, use: post)
        router.on(API.feedback, use: post)
    }

    /// A posted body: one event object, or `{"events": [...]}`.
    struct Batch: Decodable {
        var events: [EventInput]
    }

    /// Decodes the body (errors name the field and what was expected), has the engine validate each event, logs
    /// them durably, then applies them; 202 only once they are on disk.
    @Sendable func post(_ request: Request, _ context: ServerContext) async throws -> Response {
        var request = request
        let data = Data(buffer: try await request.collectBody(atMost: 1 << 20))
        let incoming = try Self.decode(data)
        guard !incoming.isEmpty else { throw APIError.badRequest("events: no events") }
        guard incoming.count <= Self.maxBatch else {
            throw APIError.badRequest("events: \(incoming.count) events, at most \(Self.maxBatch) a request")
        }
        try service.access.meter(
            incoming.count, of: .events, identity: context.identity, client: context.client)
        let now = Int64(Date().timeIntervalSince1970)
        let catalog = service.recommender.catalog
        let events = try APIError.mapping {
            try incoming.enumerated().map { k, e in try e.validated(index: k, catalog: catalog, now: now) }
        }
        try await service.ingest.submit(events)
        service.metrics.events(events.count)
        func distinct(_ ids: [Int32]) -> [Int32] {
            var seen = Set<Int32>()
            return ids.filter { seen.insert($0).inserted }
        }
        return try JSON.response(
            EventsAccepted(
                accepted: events.count, users: distinct(events.map(\.userId)), movies: distinct(events.map(\.movieId))),
            status: .accepted)
    }

    /// The events of a body; a batch is an object with an `events` key.
    static func decode(_ data: Data) throws -> [EventInput] {
        let object = try? JSONSerialization.jsonObject(with: data)
        guard let fields = object as? [String: Any] else {
            throw APIError.badRequest("the body must be a JSON object: an event or {\"events\": [...]}")
        }
        if fields["events"] != nil, let extra = fields.keys.sorted().first(where: { $0 != "events" }) {
            throw APIError.badRequest("\(extra): a batch has only \"events\"")
        }
        // A field given as null is refused, not taken for a missing one (the contract has no nullable field).
        let objects = fields["events"] != nil ? (fields["events"] as? [Any] ?? []) : [fields]
        for (k, object) in objects.enumerated() {
            guard let object = object as? [String: Any] else { continue }
            let prefix = fields["events"] != nil ? "events[\(k)]." : ""
            if let key = object.first(where: { $0.value is NSNull })?.key {
                throw APIError.badRequest("\(prefix)\(key): null is not allowed (leave the field out instead)")
            }
            if let key = object.keys.sorted().first(where: { !EventInput.fields.contains($0) }) {
                throw APIError.badRequest(
                    "\(prefix)\(key): not a field of an event (\(EventInput.fields.sorted().joined(separator: ", ")))")
            }
        }
        do {
            if fields["events"] != nil { return try JSONDecoder().decode(Batch.self, from: data).events }
            return [try JSONDecoder().decode(EventInput.self, from: data)]
        } catch let error as DecodingError {
            throw APIError.badRequest(APIError.describe(error))
        }
    }
}
