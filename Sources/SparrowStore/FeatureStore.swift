/// Where the online features live: per-user and per-movie feature hashes and id → vector maps, with single and
/// batched reads and writes with an optional time to live.
public protocol FeatureStore: Sendable {
    /// Writes hashes under `prefix:<id>` (e.g. `uf`, `mf`).
    func putHashes(prefix: String, _ items: [(id: Int32, fields: [(String, String)])], ttl: Int?) async throws
    /// Reads hashes (nil where absent), in one round trip.
    func hashes(prefix: String, _ ids: [Int32]) async throws -> [[String: String]?]
    /// Writes vectors under `prefix:<id>` (e.g. `i2vEmb`, `graphEmb`, `uEmb`).
    func putVectors(prefix: String, _ items: [(id: Int32, vector: [Float])], ttl: Int?) async throws
    /// Reads vectors (nil where absent), in one round trip.
    func vectors(prefix: String, _ ids: [Int32]) async throws -> [[Float]?]
}

/// The feature store in a Redis server, with the original's key formats: `uf:<userId>` and `mf:<movieId>` hashes,
/// `i2vEmb:<movieId>`, `graphEmb:<movieId>`, `uEmb:<userId>` strings of space-separated floats — and the TTLs applied
/// (the original builds them and never passes them, B17). Batches are pipelined.
public struct RedisFeatureStore: FeatureStore {
    /// The connection.
    public let connection: any RedisClient
    /// Commands per pipelined batch.
    public var batchSize = 1000

    /// Creates a store on a connection.
    public init(connection: any RedisClient) { self.connection = connection }

    func run(_ commands: [[String]]) async throws -> [RESPValue] {
        var replies: [RESPValue] = []
        for start in stride(from: 0, to: commands.count, by: batchSize) {
            let batch = Array(commands[start..<min(commands.count, start + batchSize)])
            let answers = try await connection.pipeline(batch)
            if let bad = answers.first(where: { if case .error = $0 { true } else { false } }), case .error(let m) = bad
            {
                throw RedisError.server(m)
            }
            replies += answers
        }
        return replies
    }

    /// Stores field maps under `prefix`, expiring after `ttl` seconds when given.
    public func putHashes(prefix: String, _ items: [(id: Int32, fields: [(String, String)])], ttl: Int?) async throws {
        var commands: [[String]] = []
        for item in items {
            let key = "\(prefix):\(item.id)"
            commands.append(["DEL", key])
            commands.append(["HSET", key] + item.fields.flatMap { [$0.0, $0.1] })
            if let ttl { commands.append(["EXPIRE", key, String(ttl)]) }
        }
        _ = try await run(commands)
    }

    /// The field maps stored under `prefix` for `ids` (nil where absent).
    public func hashes(prefix: String, _ ids: [Int32]) async throws -> [[String: String]?] {
        try await run(ids.map { ["HGETALL", "\(prefix):\($0)"] }).map { reply in
            guard let items = reply.array, !items.isEmpty else { return nil }
            var out: [String: String] = [:]
            for k in stride(from: 0, to: items.count - 1, by: 2) {
                out[items[k].string ?? ""] = items[k + 1].string ?? ""
            }
            return out
        }
    }

    /// Stores vectors under `prefix`, expiring after `ttl` seconds when given.
    public func putVectors(prefix: String, _ items: [(id: Int32, vector: [Float])], ttl: Int?) async throws {
        _ = try await run(
            items.map { item in
                let value = item.vector.map { String($0) }.joined(separator: " ")
                return ["SET", "\(prefix):\(item.id)", value] + (ttl.map { ["EX", String($0)] } ?? [])
            })
    }

    /// The vectors stored under `prefix` for `ids` (nil where absent).
    public func vectors(prefix: String, _ ids: [Int32]) async throws -> [[Float]?] {
        try await run(ids.map { ["GET", "\(prefix):\($0)"] }).map { reply in
            guard let text = reply.string else { return nil }
            let values = text.split(separator: " ").compactMap { Float($0) }
            return values.isEmpty ? nil : values
        }
    }
}
