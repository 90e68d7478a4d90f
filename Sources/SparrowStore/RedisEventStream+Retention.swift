/// Retention for an event stream that lives for months: entries every server's kept checkpoints cover move to an
/// archive stream (`<stream>:archive`) — all of them, or only the ratings and catalogue entries — and leave the
/// stream, so Redis holds the recent stream plus the archive instead of every click ever posted. Readers of the whole
/// history (a server without a checkpoint, retraining) read both (`history(after:count:)`).
extension RedisEventStream {
    /// The stream entries are moved to before they leave this one.
    public var archive: RedisEventStream { RedisEventStream(connection: connection, stream: stream + ":archive") }

    /// The hash of server name → the oldest entry that server's kept checkpoints start reading after.
    public var coveredKey: String { stream + ":covered" }

    /// An entry id's two numbers (`ms-seq`; a bare `ms` is `ms-0`); nil when malformed.
    public static func order(of id: String) -> (UInt64, UInt64)? {
        let parts = id.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count <= 2, let ms = UInt64(parts[0]) else { return nil }
        guard parts.count == 2 else { return (ms, 0) }
        guard let seq = UInt64(parts[1]) else { return nil }
        return (ms, seq)
    }

    /// Whether entry id `a` comes before `b` (malformed ids first).
    public static func precedes(_ a: String, _ b: String) -> Bool {
        switch (order(of: a), order(of: b)) {
        case let (x?, y?): return x < y
        case (nil, _?): return true
        default: return false
        }
    }

    /// Up to about `count` entries after `id`, oldest first, from the archive and the stream together: every entry
    /// still kept — whether it has moved to the archive or not, even while it moves — exactly once.
    ///
    /// The stream is read first: an entry leaves it only after it is in the archive, so one missing from the stream
    /// read is in the later archive read. A full page may end before the other one does; entries past the earlier
    /// end are left to the next call.
    public func history(after id: String, count: Int = 10_000) async throws -> [Entry] {
        let live = try await range(after: id, count: count)
        let archived = try await archive.range(after: id, count: count)
        var bound: String?
        for page in [live, archived] where page.count >= count {
            if let last = page.last?.id, bound.map({ Self.precedes(last, $0) }) ?? true { bound = last }
        }
        var seen = Set<String>()
        return (archived + live).sorted { Self.precedes($0.id, $1.id) }.filter { entry in
            guard bound.map({ !Self.precedes($0, entry.id) }) ?? true else { return false }
            return seen.insert(entry.id).inserted
        }
    }

    /// Records that `server`'s kept checkpoints read the stream only after entry `id`.
    public func recordCovered(server: String, id: String) async throws {
        _ = try await connection.command("HSET", coveredKey, server, id)
    }

    /// The oldest entry any server's checkpoints still need (entries before it may move to the archive); nil when
    /// no server has recorded one.
    public func covered() async throws -> String? {
        let values = try await connection.command("HVALS", coveredKey).array ?? []
        return values.compactMap(\.string).filter { Self.order(of: $0) != nil }.min(by: Self.precedes)
    }

    /// Moves the entries before `id` (exclusive) to the archive, `page` at a time, each page atomically (a Lua
    /// script: copied with their ids, then deleted, so servers retiring at once never race and an entry is always
    /// in one of the two streams). With `compact`, only ratings and catalogue entries are copied — clicks and
    /// impressions are dropped. Returns the entries removed from the stream.
    @discardableResult
    public func retire(before id: String, compact: Bool, page: Int = 5000) async throws -> Int {
        var removed = 0
        while true {
            let reply = try await connection.command(
                "EVAL", Self.retireScript, "2", stream, archive.stream, id, String(page), compact ? "1" : "0")
            if case .error(let message) = reply { throw RedisError.server(message) }
            let n = reply.int ?? 0
            removed += n
            if n < page { return removed }
        }
    }

    /// KEYS: stream, archive. ARGV: the first id kept, the page size, compact (1/0). Copies the oldest entries
    /// before ARGV[1] to the archive (an id the archive already holds — a page another server moved — is skipped),
    /// then removes them from the stream; returns how many left it.
    static let retireScript = """
        local entries = redis.call('XRANGE', KEYS[1], '-', '(' .. ARGV[1], 'COUNT', tonumber(ARGV[2]))
        if #entries == 0 then return 0 end
        local top = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', 1)
        local last = nil
        if #top > 0 then last = top[1][1] end
        local function after(a, b)
          local am, as = string.match(a, '^(%d+)-(%d+)$')
          local bm, bs = string.match(b, '^(%d+)-(%d+)$')
          if #am ~= #bm then return #am > #bm end
          if am ~= bm then return am > bm end
          if #as ~= #bs then return #as > #bs end
          return as > bs
        end
        for _, e in ipairs(entries) do
          local id, fields = e[1], e[2]
          local keep = true
          if ARGV[3] == '1' then
            for i = 1, #fields, 2 do
              if fields[i] == 'type' then keep = (fields[i + 1] == 'rating' or fields[i + 1] == 'movie') end
            end
          end
          if keep and (last == nil or after(id, last)) then
            redis.call('XADD', KEYS[2], id, unpack(fields))
          end
          redis.call('XDEL', KEYS[1], id)
        end
        return #entries
        """
}
