import Synchronization
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
/// each write becomes durable. Start-up restores the newest valid checkpoint (when a folder is given) and replays
/// only the log after it; without one, the whole log.
public final class LocalEventIngest: EventIngest {
    /// The log.
    public let log: EventLog
    let recommender: Recommender
    /// Where checkpoints are written and read (nil: none).
    public let checkpoints: String?
    /// What start-up did, in words.
    public let startup: String
    private let lastCheckpoint = Mutex(-1)
    private let checkpointTask = Mutex<Task<Void, Never>?>(nil)

    /// Opens `path` and brings `recommender` up to date with it: from the newest valid checkpoint in `checkpoints`
    /// plus the events after it, else from every event in the log.
    public init(path: String, recommender: Recommender, checkpoints: String? = nil) throws {
        log = try EventLog(path: path)
        self.recommender = recommender
        self.checkpoints = checkpoints
        var refused: [String] = []
        if let checkpoints {
            Checkpoint.removeTemporaries(in: checkpoints)
            let (found, reasons) = Checkpoint.read(
                from: checkpoints, log: path, fingerprint: recommender.stateFingerprint)
            refused = reasons
            if let found {
                recommender.restore(found.state)
                let tail = EventLog.read(path: path, from: found.logEnd).events
                recommender.apply(tail)
                lastCheckpoint.withLock { $0 = found.logEnd }
                startup =
                    "restored the checkpoint at byte \(found.logEnd) of the log, replayed \(tail.count) events after it"
                    + (refused.isEmpty ? "" : " (refused: \(refused.joined(separator: "; ")))")
                return
            }
        }
        let events = EventLog.read(path: path)
        recommender.apply(events)
        startup =
            "replayed \(events.count) logged events"
            + (refused.isEmpty ? "" : " (refused: \(refused.joined(separator: "; ")))")
    }

    /// Writes a checkpoint of the live state and the log offset it includes, unless nothing was logged since the
    /// last one. Returns whether it wrote.
    @discardableResult
    public func checkpoint() throws -> Bool {
        guard let checkpoints else { return false }
        let (state, end) = log.synchronized { end in (recommender.liveStateCopy(), end) }
        guard lastCheckpoint.withLock({ $0 }) != end else { return false }
        try Checkpoint.write(
            state, logEnd: end, log: log.path, fingerprint: recommender.stateFingerprint, to: checkpoints)
        lastCheckpoint.withLock { $0 = end }
        return true
    }

    /// Checkpoints every `interval` in the background, at low priority, until `shutdown`.
    public func checkpointEvery(_ interval: Duration) {
        let task = Task.detached(priority: .background) { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                guard !Task.isCancelled, let self else { return }
                try? self.checkpoint()
            }
        }
        checkpointTask.withLock { $0 = task }
    }

    /// Makes the events durable, then applies them; returns once they are safe.
    public func submit(_ events: [EventLog.Event]) async throws {
        try await log.append(events) { [recommender] in recommender.apply(events) }
    }

    /// Why the ingest is degraded, nil while healthy.
    public var degradation: String? { nil }
    /// Where events go, in words (for readiness and logs).
    public var mode: String { "embedded (events fsynced to \(log.path))" }
    /// Stops the background checkpoints and writes a last one.
    public func shutdown() async {
        checkpointTask.withLock { $0?.cancel() }
        try? checkpoint()
    }
}
