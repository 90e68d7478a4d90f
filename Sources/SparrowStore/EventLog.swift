import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// An append-only file of JSON lines, one per event, fsynced before `append` returns: an event that was acknowledged
/// survives a crash. Concurrent appends share one `write` + `fsync` (group commit), so throughput grows with the
/// number of writers instead of being capped at one fsync per event.
///
/// The server's embedded mode keeps its events here; in Redis mode the same type is the local outbox that holds events
/// while Redis is unreachable. With a segment size, the file rolls over: once it reaches the size, `events.log` is
/// renamed `events.log.000000` (then `.000001`, …) and a new `events.log` begins, so that old segments can be
/// archived or removed once a checkpoint covers them (`EventLog+Segments.swift`). A place in the log is a
/// `Position`: a segment number and a byte offset in it.
public final class EventLog: Sendable {
    /// One rating, click or impression event.
    public struct Event: Sendable, Codable, Equatable {
        /// What happened.
        public var type: EventType
        /// The user.
        public var userId: Int32
        /// The movie.
        public var movieId: Int32
        /// The rating (ratings only).
        public var rating: Float?
        /// Unix seconds.
        public var timestamp: Int64
        /// A unique id (the client's idempotency key, or one the server assigns); an event is applied once per id.
        public var id: String?

        /// Creates an event.
        public init(type: EventType, userId: Int32, movieId: Int32, rating: Float?, timestamp: Int64, id: String? = nil)
        {
            self.type = type
            self.userId = userId
            self.movieId = movieId
            self.rating = rating
            self.timestamp = timestamp
            self.id = id
        }
    }

    struct Pending {
        var data = Data()
        var waiters: [CheckedContinuation<Void, Error>] = []
        var callbacks: [@Sendable () -> Void] = []
        var flushing = false
    }

    /// The file (the active segment).
    public let path: String
    /// The size at which the active segment is sealed and a new one begun (`Int.max`: never).
    public let segmentBytes: Int
    /// The open file; replaced when a segment is sealed. Guarded by `io`.
    nonisolated(unsafe) var descriptor: Int32
    /// The active segment's number. Guarded by `io`.
    nonisolated(unsafe) var segment: Int
    let pending = Mutex(Pending())
    /// Serialises the file operations (write + fsync, size, truncate, rolling over).
    let io = NSLock()
    let flusher = DispatchQueue(label: "sparrow.eventlog.fsync")

    /// Opens (creating) the log; with `segmentBytes`, it rolls over to a new segment at that size.
    public init(path: String, segmentBytes: Int = .max) throws(StoreError) {
        precondition(segmentBytes > 0, "a segment holds at least one byte")
        self.path = path
        self.segmentBytes = segmentBytes
        segment = EventLog.activeSegment(path: path)
        descriptor = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw StoreError("cannot open the event log \(path): \(String(cString: strerror(errno)))")
        }
        cutTornTail()
    }

    deinit { close(descriptor) }

    /// A crash in the middle of a write can leave a last line without its newline. That event was never
    /// acknowledged (its fsync had not returned); cut it so the next append starts a clean line.
    private func cutTornTail() {
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_size > 0 else { return }
        var end = Int(info.st_size)
        var byte: UInt8 = 0
        while end > 0, pread(descriptor, &byte, 1, off_t(end - 1)) == 1, byte != 0x0A { end -= 1 }
        if end < Int(info.st_size) {
            _ = ftruncate(descriptor, off_t(end))
            _ = fsync(descriptor)
        }
    }

    /// Appends events and returns once they are on disk (written and fsynced). `whenDurable` runs right after the
    /// fsync, before `append` returns, in the order the events sit in the file (so a state built by these callbacks
    /// is the state a replay of the file rebuilds).
    public func append(_ events: [Event], whenDurable: (@Sendable () -> Void)? = nil) async throws {
        guard !events.isEmpty else { return }
        let data = try EventLog.encode(events)
        try await withCheckedThrowingContinuation { (waiter: CheckedContinuation<Void, Error>) in
            let lead = pending.withLock { p -> Bool in
                p.data.append(data)
                p.waiters.append(waiter)
                if let whenDurable { p.callbacks.append(whenDurable) }
                if p.flushing { return false }
                p.flushing = true
                return true
            }
            if lead { flusher.async { self.drain() } }
        }
    }

    /// Writes and fsyncs whatever has queued up, wakes its writers, then queues itself again for what arrived
    /// meanwhile (until nothing is left). One batch per turn of the queue — not a loop — so that a `synchronized`
    /// caller waiting on the queue gets its turn between two batches even under constant load.
    private func drain() {
        let batch = pending.withLock { p -> Pending? in
            guard !p.waiters.isEmpty else {
                p.flushing = false
                return nil
            }
            defer { p = Pending(flushing: true) }
            return p
        }
        guard let batch else { return }
        let data = batch.data
        let failure: StoreError? = io.withLock {
            let before = lseek(descriptor, 0, SEEK_END)
            let written = data.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            guard written == data.count else {
                if before >= 0 { _ = ftruncate(descriptor, before) }  // no torn line for the next append to extend
                return StoreError("could not write the event log \(path) (\(String(cString: strerror(errno))))")
            }
            guard fsync(descriptor) == 0 else { return StoreError("could not fsync the event log \(path)") }
            return nil
        }
        if failure == nil, segmentBytes != .max { io.withLock { rollIfFull() } }
        if failure == nil { for callback in batch.callbacks { callback() } }
        for waiter in batch.waiters {
            if let failure { waiter.resume(throwing: failure) } else { waiter.resume() }
        }
        flusher.async { self.drain() }
    }

    /// Events as the log's lines (sorted-key JSON, one a line).
    public static func encode(_ events: [Event]) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        var data = Data()
        for e in events {
            data.append(try encoder.encode(e))
            data.append(0x0A)
        }
        return data
    }

    /// Runs `body` between two flushes with the log's end: every event before that position is durable and its
    /// `whenDurable` callback has run, none after it has — so a state built by those callbacks, read inside `body`,
    /// is exactly the state a replay of the log up to `end` rebuilds.
    public func synchronized<T>(_ body: (_ end: Position) throws -> T) rethrows -> T {
        try flusher.sync { try body(end()) }
    }

    /// The position just after the last event written.
    public func end() -> Position {
        io.withLock {
            var info = stat()
            return Position(segment: segment, offset: fstat(descriptor, &info) == 0 ? Int(info.st_size) : 0)
        }
    }

    /// The file's size in bytes.
    public func size() -> Int {
        io.withLock {
            var info = stat()
            return fstat(descriptor, &info) == 0 ? Int(info.st_size) : 0
        }
    }

    /// Empties the file if it is still exactly `expected` bytes long (nothing was appended since it was read), and
    /// runs `then` inside the same critical section. Returns whether it truncated.
    ///
    /// The Redis outbox uses this to drop events only once every one of them is in the stream.
    @discardableResult
    public func truncate(ifSize expected: Int, then: () -> Void = {}) -> Bool {
        io.withLock {
            var info = stat()
            guard fstat(descriptor, &info) == 0, Int(info.st_size) == expected else { return false }
            guard ftruncate(descriptor, 0) == 0, fsync(descriptor) == 0 else { return false }
            then()
            return true
        }
    }

    /// Every complete event of a log — its sealed segments, then the active file (a torn last line from a crash is
    /// skipped).
    public static func read(path: String) -> [Event] { read(path: path, from: Position(segment: 0, offset: 0)).events }

    /// The complete events from byte `offset` on, and the offset just after the last complete line.
    public static func read(path: String, from offset: Int) -> (events: [Event], end: Int) {
        guard let handle = FileHandle(forReadingAtPath: path) else { return ([], offset) }
        defer { try? handle.close() }
        guard (try? handle.seek(toOffset: UInt64(offset))) != nil, let data = try? handle.readToEnd(), !data.isEmpty
        else {
            return ([], offset)
        }
        let decoder = JSONDecoder()
        var events: [Event] = []
        var lineStart = data.startIndex
        var end = offset
        while let newline = data[lineStart...].firstIndex(of: 0x0A) {
            if let event = try? decoder.decode(Event.self, from: data[lineStart..<newline]) { events.append(event) }
            lineStart = newline + 1
            end = offset + (lineStart - data.startIndex)
        }
        return (events, end)
    }
}
