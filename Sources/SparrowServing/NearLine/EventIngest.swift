import CSparrowKernels
import SparrowCore
import SparrowStore
import Synchronization

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
    /// Shares a movie added to this server's catalogue with the other servers (Redis mode: through the stream);
    /// nothing to do for a server alone.
    func publish(movie: ExchangeRecords.Movie) async throws
}

extension EventIngest {
    /// Event counts by kind, for metrics.
    public var counters: [(name: String, value: Int)] { [] }
    /// A server alone has no one to tell.
    public func publish(movie: ExchangeRecords.Movie) async throws {}
}

/// The embedded near-line path: an fsynced local log (group commit), applied to the live state in log order as
/// each write becomes durable. Start-up restores the newest valid checkpoint (when a folder is given) and replays
/// only the log after it; without one, the whole log.
///
/// With a segment size the log rolls over, and after each checkpoint the segments that both kept checkpoints cover
/// are retired by the `retention` policy (`LogRetention`): archived (default) or compacted to their ratings.
public final class LocalEventIngest: EventIngest {
    /// The log.
    public let log: EventLog
    let recommender: Recommender
    /// Where checkpoints are written and read (nil: none).
    public let checkpoints: String?
    /// What happens to segments the checkpoints cover (nil: they stay).
    public let retention: LogRetention?
    /// What start-up did, in words.
    public let startup: String
    private let lastCheckpoint = Mutex<EventLog.Position?>(nil)
    private let checkpointLoop = Mutex<BackgroundLoop?>(nil)
    /// Print a line for each checkpoint written by the background loop.
    private let logsCheckpoints = Atomic<Bool>(false)
    /// Serialises checkpoint writes (the loop's and the last one at shutdown).
    private let checkpointWrites = Mutex(())

    /// Opens `path` and brings `recommender` up to date with it: from the newest valid checkpoint in `checkpoints`
    /// (read by `prefetched` when given) plus the events after it, else from every event in the log.
    public init(
        path: String, recommender: Recommender, checkpoints: String? = nil, segmentBytes: Int = .max,
        retention: LogRetention? = nil, prefetched: CheckpointPrefetch? = nil
    ) throws {
        log = try EventLog(path: path, segmentBytes: segmentBytes)
        self.recommender = recommender
        self.checkpoints = checkpoints
        self.retention = retention
        var refused: [String] = []
        if let checkpoints {
            Checkpoint.removeTemporaries(in: checkpoints)
            var (found, reasons) = prefetched?.result() ?? (nil, [])
            if found?.fingerprint != recommender.stateFingerprint {
                (found, reasons) = Checkpoint.read(
                    from: checkpoints, log: path, fingerprint: recommender.stateFingerprint)
            }
            refused = reasons
            if let found, recommender.restore(found.state) {
                let tail = EventLog.read(path: path, from: found.end).events
                recommender.apply(tail)
                lastCheckpoint.withLock { $0 = found.end }
                startup =
                    "restored the checkpoint at \(found.end) of the log, replayed \(tail.count) events after it"
                    + (refused.isEmpty ? "" : " (refused: \(refused.joined(separator: "; ")))")
                return
            }
        }
        // No usable checkpoint: every event still kept, the archived segments' included.
        let events = LogRetention.history(log: path)
        recommender.apply(events)
        // Nothing logged at all: the state is the one built from the catalogue, which needs no checkpoint (at 25 M
        // ratings one is half a gigabyte) until an event arrives.
        let end = log.end()
        if events.isEmpty { lastCheckpoint.withLock { $0 = end } }
        startup =
            "replayed \(events.count) logged events"
            + (refused.isEmpty ? "" : " (refused: \(refused.joined(separator: "; ")))")
    }

    /// Writes a checkpoint of the live state and the log position it includes, unless nothing was logged since the
    /// last one; then retires the segments both kept checkpoints cover. Returns whether it wrote.
    @discardableResult
    public func checkpoint() throws -> Bool {
        guard let checkpoints else { return false }
        return try checkpointWrites.withLock { _ in try writeCheckpoint(to: checkpoints) }
    }

    private func writeCheckpoint(to checkpoints: String) throws -> Bool {
        let start = ProcessStats.now()
        guard lastCheckpoint.withLock({ $0 }) != log.end() else { return false }
        let (snapshot, end) = log.synchronized { end in (recommender.checkpointSnapshot(), end) }
        let bytes = try Checkpoint.write(
            snapshot.state, keys: snapshot.keys, end: end, log: log.path, fingerprint: recommender.stateFingerprint,
            to: checkpoints)
        lastCheckpoint.withLock { $0 = end }
        // Encoding the state allocates a few times its size for a moment; hand that back to the system, so the
        // server's memory follows its state, not its largest checkpoint.
        _ = sparrow_release_free_memory()
        var retired: [Int] = []
        if let retention, let covered = Checkpoint.coveredSegment(in: checkpoints) {
            retired = try retention.retire(log: log.path, before: covered)
        }
        if logsCheckpoints.load(ordering: .relaxed) {
            print(
                String(
                    format: "checkpoint at %@: %.1f MB in %.2f s%@", end.description, Double(bytes) / 1e6,
                    ProcessStats.now() - start,
                    retired.isEmpty ? "" : "; segments \(retired.map(String.init).joined(separator: ", ")) retired"))
        }
        return true
    }

    /// Checkpoints every `interval` on a thread of its own, until `shutdown`. At the serving threads' priority: a
    /// restart's replay and the log's disk depend on it keeping up, and at a lower one a saturated server starves it
    /// (`docs/lifecycle.md` has the measurement).
    public func checkpointEvery(_ interval: Duration) {
        logsCheckpoints.store(true, ordering: .relaxed)
        let loop = BackgroundLoop(name: "sparrow-checkpoint", every: interval, niceness: 0) { [weak self] in
            try self?.checkpoint()
        }
        loop.start()
        checkpointLoop.withLock { $0 = loop }
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
        checkpointLoop.withLock { $0?.cancel() }
        try? checkpoint()
    }
}
