import Synchronization

extension RedisFeatureStore {
    /// A user's live features after the event with stream id `eventId`.
    public struct UserRecord: Sendable {
        /// The user.
        public var userId: Int32
        /// `uf:<userId>` fields.
        public var fields: [(String, String)]
        /// `uEmb:<userId>` (nil: left as it is).
        public var vector: [Float]?
        /// The stream id of the last event folded into these features (`1700000000000-3`).
        public var eventId: String

        /// A record.
        public init(userId: Int32, fields: [(String, String)], vector: [Float]?, eventId: String) {
            self.userId = userId
            self.fields = fields
            self.vector = vector
            self.eventId = eventId
        }
    }

    /// Replaces `uf:<id>` (and `uEmb:<id>`) only when the record is at least as new as what Redis holds (the
    /// `lastEvent` field compares stream ids), so several servers writing the same users converge on the newest
    /// state whatever order their writes land in. Applies the TTL. Pipelined, with `along` (e.g. an `XACK`) in the
    /// same round trip, so Redis syncs its append-only file once for all; returns how many records were written.
    @discardableResult
    public func putUserRecords(_ records: [UserRecord], ttl: Int?, along: [[String]] = []) async throws -> Int {
        try await putUserRecords(records, ttl: ttl, along: along, reloaded: false)
    }

    private func putUserRecords(_ records: [UserRecord], ttl: Int?, along: [[String]], reloaded: Bool) async throws
        -> Int
    {
        guard !records.isEmpty else {
            if !along.isEmpty { _ = try await run(along) }
            return 0
        }
        // The script is loaded once (and again after a Redis restart) and called by its SHA-1, not sent with every
        // user.
        let sha: String
        if let known = RedisFeatureStore.userScriptSHA.withLock({ $0 }) {
            sha = known
        } else {
            sha = try await connection.command("SCRIPT", "LOAD", RedisFeatureStore.newerUserScript).string ?? ""
            RedisFeatureStore.userScriptSHA.withLock { $0 = sha }
        }
        let commands = records.map { r -> [String] in
            [
                "EVALSHA", sha, "2", "uf:\(r.userId)", "uEmb:\(r.userId)", r.eventId,
                String(ttl ?? 0), r.vector.map { $0.map { String($0) }.joined(separator: " ") } ?? "",
            ]
                + r.fields.flatMap { [$0.0, $0.1] }
        }
        do {
            return try await run(commands + along).prefix(records.count).reduce(0) { $0 + ($1.int ?? 0) }
        } catch RedisError.server(let message) where message.hasPrefix("NOSCRIPT") && !reloaded {
            RedisFeatureStore.userScriptSHA.withLock { $0 = nil }  // a restarted Redis forgot it: load and retry once
            return try await putUserRecords(records, ttl: ttl, along: along, reloaded: true)
        }
    }

    /// The SHA-1 of `newerUserScript` once a server has loaded it.
    static let userScriptSHA = Mutex<String?>(nil)

    /// KEYS: uf key, uEmb key. ARGV: stream id, ttl (0: none), vector text ("" : keep), then field/value pairs.
    static let newerUserScript = """
        local function parts(id)
          local ms, seq = string.match(id, "^(%d+)-(%d+)$")
          return tonumber(ms), tonumber(seq)
        end
        local current = redis.call('HGET', KEYS[1], 'lastEvent')
        if current then
          local cm, cs = parts(current)
          local nm, ns = parts(ARGV[1])
          if cm and nm and (cm > nm or (cm == nm and cs > ns)) then return 0 end
        end
        redis.call('DEL', KEYS[1])
        redis.call('HSET', KEYS[1], 'lastEvent', ARGV[1], unpack(ARGV, 4))
        local ttl = tonumber(ARGV[2])
        if ttl > 0 then redis.call('EXPIRE', KEYS[1], ttl) end
        if ARGV[3] ~= '' then
          if ttl > 0 then redis.call('SET', KEYS[2], ARGV[3], 'EX', ttl) else redis.call('SET', KEYS[2], ARGV[3]) end
        end
        return 1
        """
}
