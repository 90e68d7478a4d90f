/// Rating and click events on a Redis Stream shared by several servers: producers `XADD`, each server reads through a
/// consumer group (`XREADGROUP`) and acknowledges (`XACK`) once the event is applied; entries a crashed consumer read
/// but never acknowledged stay pending and are claimed by a live one (`XAUTOCLAIM`).
public struct RedisEventStream: Sendable {
    /// One stream entry.
    public struct Entry: Sendable, Equatable {
        /// The stream id (`1700000000000-0`).
        public var id: String
        /// Field → value.
        public var fields: [String: String]
    }

    /// The connection.
    public let connection: any RedisClient
    /// The stream key.
    public let stream: String

    /// A stream on a connection.
    public init(connection: any RedisClient, stream: String = "sparrow:events") {
        self.connection = connection
        self.stream = stream
    }

    /// Appends events (one pipelined round trip); returns their ids.
    public func publish(_ events: [[(String, String)]]) async throws -> [String] {
        let replies = try await connection.pipeline(
            events.map { ["XADD", stream, "*"] + $0.flatMap { [$0.0, $0.1] } })
        return try replies.map { reply in
            if case .error(let m) = reply { throw RedisError.server(m) }
            return reply.string ?? ""
        }
    }

    /// Creates the consumer group (from the start of the stream) unless it exists.
    public func createGroup(_ group: String) async throws {
        do {
            try await connection.command("XGROUP", "CREATE", stream, group, "0", "MKSTREAM")
        } catch RedisError.server(let message) where message.hasPrefix("BUSYGROUP") {
            return
        }
    }

    /// Makes `group` deliver entries after `id` next: creates it there, or moves an existing one (its pending
    /// entries stay pending).
    public func placeGroup(_ group: String, after id: String) async throws {
        do {
            try await connection.command("XGROUP", "CREATE", stream, group, id, "MKSTREAM")
        } catch RedisError.server(let message) where message.hasPrefix("BUSYGROUP") {
            try await connection.command("XGROUP", "SETID", stream, group, id)
        }
    }

    /// New entries for `consumer` in `group` (waiting up to `blockMilliseconds` when there are none). With
    /// `pending: true`, the entries already delivered to this consumer and not acknowledged instead (what it read
    /// before a crash).
    public func read(
        group: String, consumer: String, count: Int = 100, blockMilliseconds: Int? = nil, pending: Bool = false
    ) async throws -> [Entry] {
        var command = ["XREADGROUP", "GROUP", group, consumer, "COUNT", String(count)]
        if let blockMilliseconds, !pending { command += ["BLOCK", String(blockMilliseconds)] }
        command += ["STREAMS", stream, pending ? "0" : ">"]
        return try RedisEventStream.entries(try await connection.command(contentsOf: command))
    }

    /// Up to `count` entries after `id` (exclusive), oldest first, without a group: how a server rebuilds its state
    /// from the whole stream at start-up.
    public func range(after id: String, count: Int = 10_000) async throws -> [Entry] {
        RedisEventStream.entries(try await connection.command("XREAD", "COUNT", String(count), "STREAMS", stream, id))
    }

    /// Whether the stream holds an entry with exactly this id (`XRANGE id id`).
    public func contains(id: String) async throws -> Bool {
        let reply = try await connection.command("XRANGE", stream, id, id, "COUNT", "1")
        return !(reply.array ?? []).isEmpty
    }

    /// The number of entries in the stream.
    public func length() async throws -> Int { try await connection.command("XLEN", stream).int ?? 0 }

    static func entries(_ reply: RESPValue) -> [Entry] {
        guard let streams = reply.array, let first = streams.first?.array, first.count == 2, let items = first[1].array
        else { return [] }
        return items.compactMap(RedisEventStream.entry)
    }

    /// Acknowledges processed entries.
    @discardableResult
    public func ack(group: String, ids: [String]) async throws -> Int {
        guard !ids.isEmpty else { return 0 }
        return try await connection.command(contentsOf: ["XACK", stream, group] + ids).int ?? 0
    }

    /// Entries read but not acknowledged for at least `idleMilliseconds` (a crashed consumer's), claimed for `consumer`.
    public func claimPending(group: String, consumer: String, idleMilliseconds: Int, count: Int = 100) async throws
        -> [Entry]
    {
        let reply = try await connection.command(contentsOf: [
            "XAUTOCLAIM", stream, group, consumer, String(idleMilliseconds), "0-0", "COUNT", String(count),
        ])
        guard let parts = reply.array, parts.count >= 2, let items = parts[1].array else { return [] }
        return items.compactMap(RedisEventStream.entry)
    }

    /// Number of entries pending (read, not acknowledged) in the group.
    public func pendingCount(group: String) async throws -> Int {
        try await connection.command(contentsOf: ["XPENDING", stream, group]).array?.first?.int ?? 0
    }

    static func entry(_ value: RESPValue) -> Entry? {
        guard let pair = value.array, pair.count == 2, let id = pair[0].string else { return nil }
        // A pending entry that was trimmed from the stream comes back with nil fields: keep its id so it can be acked.
        guard let flat = pair[1].array else { return Entry(id: id, fields: [:]) }
        var fields: [String: String] = [:]
        for k in stride(from: 0, to: flat.count - 1, by: 2) { fields[flat[k].string ?? ""] = flat[k + 1].string ?? "" }
        return Entry(id: id, fields: fields)
    }
}
