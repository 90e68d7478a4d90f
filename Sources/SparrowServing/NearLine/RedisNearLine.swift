import Foundation
import NIOCore
import SparrowStore
import Synchronization

/// The near-line path when several servers share one Redis — the original's Flink job, done properly.
///
/// - A posted event is `XADD`ed to the stream (Redis with `appendfsync always` has it on disk before it answers),
///   then folded into this server's live state at once, so the next request here sees it.
/// - Every server reads the whole stream through a consumer group of its own (`XREADGROUP`, `XACK`; entries it read
///   but never acknowledged before a crash are re-read at start-up), folds other servers' events in with the same
///   feature code, and writes the changed users' `uf:<id>` / `uEmb:<id>` to Redis (newest write wins).
/// - At start-up the server restores its newest checkpoint and reads the stream after it — or, without one, the
///   whole kept history (the archive and the stream) — then joins its group after it.
/// - If Redis goes away, the server keeps answering from memory, reports itself degraded, and buffers events in a
///   local fsynced outbox that is replayed into the stream when Redis returns. Every event carries an id and is
///   applied once per id, so a re-delivery, a replay or a re-flushed outbox never counts twice.
public final class RedisNearLine: EventIngest {
    /// Settings.
    public struct Options: Sendable {
        /// The stream key.
        public var stream = "sparrow:events"
        /// This server's name: its consumer group is `sparrow:<name>`.
        public var name: String
        /// TTL of the `uf:` / `uEmb:` keys written (nil: none).
        public var ttl: Int?
        /// Connections for publishing and feature writes.
        public var poolSize = 4
        /// How long one blocking read waits for new entries.
        public var blockMilliseconds = 200
        /// Turn on `appendonly yes` / `appendfsync always` at start-up (a 202 then means the event is on Redis's disk).
        public var enforceDurability = true
        /// Where movies other servers added (catalogue entries of the stream) are recorded, so this server's
        /// restarts, retrainings and exports know them too (nil: kept in memory only).
        public var movieAdditions: MovieAdditions?
        /// Where this server checkpoints its live state and the last stream entry it includes
        /// (`checkpoint-redis-<name>.json`), so a restart reads only the stream after it (nil: none).
        public var checkpoints: String?
        /// What happens to the stream entries every server's kept checkpoints cover (nil: they stay): moved to
        /// `<stream>:archive` whole or with only the ratings and catalogue entries (`RedisEventStream.retire`).
        public var retention: LogRetention?

        /// Options for a server called `name`.
        public init(name: String) { self.name = name }
    }

    /// Counters for `/metrics` and `/health/ready`.
    public struct Counters: Sendable, Equatable {
        /// Events published to the stream by this server's requests.
        public var published = 0
        /// Events written to the local outbox (Redis unreachable).
        public var buffered = 0
        /// Outbox events later moved into the stream.
        public var flushed = 0
        /// Stream entries read (start-up replay and the group).
        public var consumed = 0
        /// Entries whose event was applied before (its own echoes, re-deliveries).
        public var duplicates = 0
        /// Entries that were not events (skipped and acknowledged).
        public var malformed = 0
    }

    struct State {
        var redisUp = false
        var caughtUp = false
        var lastId = "0-0"
        var lastError: String?
        var outboxRead = 0
        var counters = Counters()
    }

    let recommender: Recommender
    /// Publishing and feature writes.
    public let pool: RedisConnectionPool
    let reader: RedisConnection
    let stream: RedisEventStream
    let groupStream: RedisEventStream
    let store: RedisFeatureStore
    /// Events held while Redis is unreachable.
    public let outbox: EventLog
    /// The settings.
    public let options: Options
    let state = Mutex(State())
    let loop = Mutex<Task<Void, Never>?>(nil)
    let checkpointLoop = Mutex<BackgroundLoop?>(nil)
    let checkpointWrites = Mutex(())
    let lastCheckpointId = Mutex("")
    /// Whether a retention pass is running (one at a time).
    let retiring = Mutex(false)
    let log: @Sendable (String) -> Void

    var group: String { "sparrow:\(options.name)" }

    /// Connects lazily to `url` (`redis://host:port`); `outboxPath` is the local fsynced buffer.
    public init(
        recommender: Recommender, url: String, outboxPath: String, options: Options,
        log: @escaping @Sendable (String) -> Void = { _ in }
    ) throws {
        self.recommender = recommender
        self.options = options
        self.log = log
        pool = try RedisConnectionPool(url: url, size: options.poolSize)
        for c in pool.connections {
            c.connectAttempts = 1  // a request fails over to the outbox at once; the loop retries with backoff
            c.connectTimeout = .milliseconds(500)
        }
        let first = pool.connections[0]
        reader = RedisConnection(host: first.host, port: first.port)
        reader.connectAttempts = 1
        reader.timeout = .milliseconds(Int64(options.blockMilliseconds) + 2000)
        stream = RedisEventStream(connection: pool, stream: options.stream)
        groupStream = RedisEventStream(connection: reader, stream: options.stream)
        store = RedisFeatureStore(connection: pool)
        outbox = try EventLog(path: outboxPath)
    }

    /// The counters so far.
    public var totals: Counters { state.withLock { $0.counters } }

    /// Event counts by kind, for metrics.
    public var counters: [(name: String, value: Int)] {
        let c = totals
        return [
            ("published", c.published), ("buffered", c.buffered), ("flushed", c.flushed), ("consumed", c.consumed),
            ("duplicates", c.duplicates), ("malformed", c.malformed),
        ]
    }

    /// Where events go, in words (for readiness and logs).
    public var mode: String {
        let c = pool.connections[0]
        return "redis://\(c.host):\(c.port) stream \(options.stream), group \(group)"
    }

    /// Why the ingest is degraded, nil while healthy.
    public var degradation: String? {
        let s = state.withLock { $0 }
        let waiting = outbox.size() > 0 ? "; events buffered in \(outbox.path) until Redis is back" : ""
        if !s.redisUp { return "Redis unreachable (\(s.lastError ?? "not connected yet"))" + waiting }
        if !s.caughtUp { return "catching up with the event stream" + waiting }
        return waiting.isEmpty ? nil : "flushing locally buffered events to the stream"
    }

    /// Catches up with the stream (when Redis answers), folds in events left in the outbox, and starts the
    /// background loop. Returns without throwing when Redis is down: the server starts degraded.
    public func start() async {
        if options.enforceDurability { await enforceDurability() }
        if let restored = await restoreCheckpoint() { log(restored) }
        do { try await catchUp() } catch { markDown(error) }
        let buffered = EventLog.read(path: outbox.path)
        if !buffered.isEmpty {
            let result = recommender.apply(buffered)
            log("outbox: \(buffered.count) events buffered before the last stop (\(result.applied) new here)")
        }
        let task = Task { [self] in await run() }
        loop.withLock { $0 = task }
    }

    /// Stops background work and flushes what is buffered.
    public func shutdown() async {
        let task = loop.withLock { t -> Task<Void, Never>? in
            defer { t = nil }; return t
        }
        task?.cancel()
        await task?.value
        checkpointLoop.withLock { $0?.cancel() }
        do { try checkpoint() } catch { log("redis: could not write a last checkpoint: \(error)") }
        await pool.close()
        await reader.close()
    }

    /// Makes the events durable, then applies them; returns once they are safe.
    public func submit(_ events: [EventLog.Event]) async throws {
        let events = events.map { e -> EventLog.Event in
            var e = e
            if e.id == nil { e.id = UUID().uuidString }
            return e
        }
        let direct = state.withLock { $0.redisUp && $0.caughtUp } && outbox.size() == 0
        if direct {
            do {
                _ = try await stream.publish(events.map(\.streamFields))
                recommender.apply(events)
                state.withLock { $0.counters.published += events.count }
                return
            } catch {
                markDown(error)
            }
        }
        try await outbox.append(events) { [recommender] in recommender.apply(events) }
        state.withLock { $0.counters.buffered += events.count }
    }

    /// Adds a catalogue entry to the stream; every server (this one included) applies it in stream order. Refused
    /// while Redis is unreachable (a movie cannot wait in the outbox: events that rate it would reach the other
    /// servers first).
    public func publish(movie: ExchangeRecords.Movie) async throws {
        guard state.withLock({ $0.redisUp && $0.caughtUp }) else {
            throw StoreError("Redis is unreachable: the movie is added here only; post it again once Redis is back")
        }
        _ = try await stream.publish([movie.streamFields])
    }

    /// Applies a catalogue entry of the stream: the movie is added to (or updated in) the catalogue and recorded.
    func apply(movie record: ExchangeRecords.Movie) -> Bool {
        do {
            let movie = try record.movie(in: recommender.catalog)
            try options.movieAdditions?.record(record)
            try recommender.upsert(movie: movie)
            return true
        } catch {
            log("redis: could not add movie \(record.movieId) from the stream: \(error)")
            return false
        }
    }

    func markDown(_ error: Error) {
        let message = "\(error)"
        let changed = state.withLock { s -> Bool in
            defer {
                s.redisUp = false
                s.caughtUp = false
                s.lastError = message
            }
            return s.redisUp || s.lastError != message
        }
        if changed { log("redis: \(message) — serving from memory, buffering events locally") }
    }

    func enforceDurability() async {
        do {
            try await pool.command("CONFIG", "SET", "appendonly", "yes")
            try await pool.command("CONFIG", "SET", "appendfsync", "always")
            log("redis: appendonly yes, appendfsync always (a 202 means the event is on Redis's disk)")
        } catch {
            log("redis: could not set appendfsync always (\(error)); a 202 is then only as durable as Redis's settings")
        }
    }
}
