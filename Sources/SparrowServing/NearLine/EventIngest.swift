import SparrowStore

/// Where posted events go: `submit` returns once they are durable — the moment the server may answer 202 — and
/// they are already folded into the recommender's live state, so the next request sees them.
public protocol EventIngest: Sendable {
    /// Makes events durable and applies them to the live state.
    func submit(_ events: [EventLog.Event]) async throws
    /// Nil when healthy; otherwise why the server is degraded (it still answers from its in-memory state).
    var degradation: String? { get }
    /// One line for the start-up log and `/health/ready`: where events go.
    var mode: String { get }
    /// Counters for `/metrics` (name → total), e.g. events consumed from a shared stream.
    var counters: [(name: String, value: Int)] { get }
    /// Stops background work.
    func shutdown() async
}

extension EventIngest {
    /// Event counts by kind, for metrics.
    public var counters: [(name: String, value: Int)] { [] }
}

/// The embedded near-line path: an fsynced local log (group commit), applied to the live state in log order as
/// each write becomes durable; replayed at start-up.
public final class LocalEventIngest: EventIngest {
    /// The log.
    public let log: EventLog
    let recommender: Recommender

    /// Opens `path` and replays every event already in it into `recommender`.
    public init(path: String, recommender: Recommender) throws {
        log = try EventLog(path: path)
        self.recommender = recommender
        recommender.apply(EventLog.read(path: path))
    }

    /// Makes the events durable, then applies them; returns once they are safe.
    public func submit(_ events: [EventLog.Event]) async throws {
        try await log.append(events) { [recommender] in recommender.apply(events) }
    }

    /// Why the ingest is degraded, nil while healthy.
    public var degradation: String? { nil }
    /// Where events go, in words (for readiness and logs).
    public var mode: String { "embedded (events fsynced to \(log.path))" }
    /// Stops background work and flushes what is buffered.
    public func shutdown() async {}
}
