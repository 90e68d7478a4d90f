import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The feature store that needs nothing installed: everything in memory, every write appended to a log file and
/// fsynced before it returns, and `compact()` folding the log into a snapshot. Reopening the same folder restores
/// the exact state (expired entries are dropped on read). An append-only log was chosen over SQLite because writes
/// are whole records keyed by id, reads are in-memory, and a torn last line after a crash is simply skipped.
public final class EmbeddedFeatureStore: FeatureStore {
    struct Entry: Codable {
        var key: String
        var hash: [String: String]?
        var vector: [Float]?
        var expires: Double?
    }

    let directory: String
    let state = Mutex<[String: Entry]>([:])
    let log = Mutex<Int32>(-1)
    let now: @Sendable () -> Double

    /// Opens (creating) a store in `directory`, replaying its snapshot and log.
    public init(directory: String, clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) throws {
        self.directory = directory
        now = clock
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var entries: [String: Entry] = [:]
        for file in ["snapshot.jsonl", "log.jsonl"] {
            guard let text = try? String(contentsOfFile: directory + "/" + file, encoding: .utf8) else { continue }
            for line in text.split(separator: "\n") {
                // A torn last line (a crash mid-write) is skipped.
                guard let e = try? JSONDecoder().decode(Entry.self, from: Data(line.utf8)) else { continue }
                entries[e.key] = e
            }
        }
        state.withLock { $0 = entries }
        let fd = open(directory + "/log.jsonl", O_WRONLY | O_CREAT | O_APPEND, 0o644)
        guard fd >= 0 else { throw StoreError("cannot open the feature-store log \(directory)/log.jsonl") }
        log.withLock { $0 = fd }
    }

    deinit { log.withLock { _ = close($0) } }

    /// Number of live (unexpired) keys.
    public var count: Int {
        let t = now()
        return state.withLock { $0.values.filter { ($0.expires ?? .infinity) > t }.count }
    }

    func write(_ entries: [Entry]) throws {
        var data = Data()
        for e in entries {
            data.append(try JSONEncoder().encode(e))
            data.append(0x0A)
        }
        try log.withLock { fd in
            let written = data.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            guard written == data.count, fsync(fd) == 0 else {
                throw StoreError("could not write the feature-store log in \(directory)")
            }
        }
        state.withLock { s in for e in entries { s[e.key] = e } }
    }

    func read(_ keys: [String]) -> [Entry?] {
        let t = now()
        return state.withLock { s in keys.map { k in s[k].flatMap { ($0.expires ?? .infinity) > t ? $0 : nil } } }
    }

    /// Stores field maps under `prefix`, expiring after `ttl` seconds when given.
    public func putHashes(prefix: String, _ items: [(id: Int32, fields: [(String, String)])], ttl: Int?) async throws {
        let expires = ttl.map { now() + Double($0) }
        try write(
            items.map {
                Entry(
                    key: "\(prefix):\($0.id)", hash: Dictionary($0.fields, uniquingKeysWith: { $1 }), vector: nil,
                    expires: expires)
            })
    }

    /// The field maps stored under `prefix` for `ids` (nil where absent).
    public func hashes(prefix: String, _ ids: [Int32]) async throws -> [[String: String]?] {
        read(ids.map { "\(prefix):\($0)" }).map { $0?.hash }
    }

    /// Stores vectors under `prefix`, expiring after `ttl` seconds when given.
    public func putVectors(prefix: String, _ items: [(id: Int32, vector: [Float])], ttl: Int?) async throws {
        let expires = ttl.map { now() + Double($0) }
        try write(items.map { Entry(key: "\(prefix):\($0.id)", hash: nil, vector: $0.vector, expires: expires) })
    }

    /// The vectors stored under `prefix` for `ids` (nil where absent).
    public func vectors(prefix: String, _ ids: [Int32]) async throws -> [[Float]?] {
        read(ids.map { "\(prefix):\($0)" }).map { $0?.vector }
    }

    /// Writes every live entry to a new snapshot (atomically) and empties the log.
    public func compact() throws {
        let t = now()
        let live = state.withLock { $0.values.filter { ($0.expires ?? .infinity) > t } }.sorted { $0.key < $1.key }
        var data = Data()
        for e in live {
            data.append(try JSONEncoder().encode(e))
            data.append(0x0A)
        }
        try data.write(to: URL(fileURLWithPath: directory + "/snapshot.jsonl"), options: .atomic)
        try log.withLock { fd in
            guard ftruncate(fd, 0) == 0, fsync(fd) == 0 else { throw CocoaError(.fileWriteUnknown) }
        }
    }
}
