import Foundation
import Testing

@testable import SparrowStore

#if canImport(Glibc)
    import Glibc
#endif

/// A real redis-server on a free port for the duration of a test, daemonised through the shell (Foundation's
/// `Process.waitUntilExit` can block a Swift-concurrency thread on Linux) and stopped with SIGTERM.
final class RedisServer: @unchecked Sendable {
    let port: Int
    let pidFile: String

    static var available: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/redis-server") }

    init(port: Int? = nil) throws {
        self.port = port ?? 20_000 + Int.random(in: 0..<20_000)
        pidFile = FileManager.default.temporaryDirectory.appendingPathComponent("sparrow-redis-\(self.port).pid").path
        let status = system("/usr/bin/redis-server --port \(self.port) --bind 127.0.0.1 --save '' --appendonly no --daemonize yes --pidfile \(pidFile) > /dev/null 2>&1")
        guard status == 0 else { throw RedisError.unreachable("redis-server did not start (status \(status))") }
        for _ in 0..<50 where !FileManager.default.fileExists(atPath: pidFile) { usleep(20_000) }
        usleep(100_000)
    }

    func stop() {
        defer { _ = system("/usr/bin/redis-cli -p \(port) shutdown nosave > /dev/null 2>&1") }
        guard let text = try? String(contentsOfFile: pidFile, encoding: .utf8), let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) else { return }
        kill(pid, SIGTERM)
        for _ in 0..<100 where kill(pid, 0) == 0 { usleep(20_000) }
        try? FileManager.default.removeItem(atPath: pidFile)
    }

    deinit { stop() }
}

@Suite("Redis feature store against a real redis-server", .enabled(if: RedisServer.available, "needs redis-server (apt-get install redis-server)"), .serialized)
struct RedisStoreTests {
    @Test("original key formats, TTLs applied, pipelined batch gets")
    func keysAndTTL() async throws {
        let server = try RedisServer()
        defer { server.stop() }
        let connection = RedisConnection(port: server.port)
        let store = RedisFeatureStore(connection: connection)
        try await store.putHashes(prefix: "uf", [(1, [("userRatedMovie1", "318"), ("userGenre1", "Drama"), ("userAvgRating", "4.10")])], ttl: 3600)
        try await store.putHashes(prefix: "mf", [(318, [("movieGenre1", "Crime"), ("movieRatingCount", "317")])], ttl: nil)
        try await store.putVectors(prefix: "i2vEmb", [(318, [0.5, -1.25, 2]), (1, [1, 2, 3])], ttl: 86_400)
        #expect(try await connection.command("TYPE", "uf:1").string == "hash")
        #expect(try await connection.command("HGET", "uf:1", "userGenre1").string == "Drama")
        #expect(try await connection.command("GET", "i2vEmb:318").string == "0.5 -1.25 2.0")
        let ttl = try await connection.command("TTL", "uf:1").int!
        #expect(ttl > 3590 && ttl <= 3600)
        #expect(try await connection.command("TTL", "i2vEmb:1").int! > 86_000)
        #expect(try await connection.command("TTL", "mf:318").int == -1)  // no TTL asked
        let hashes = try await store.hashes(prefix: "uf", [1, 2])
        #expect(hashes[0]?["userAvgRating"] == "4.10" && hashes[1] == nil)
        let vectors = try await store.vectors(prefix: "i2vEmb", [1, 318, 5])
        #expect(vectors == [[1, 2, 3], [0.5, -1.25, 2], nil])
        // A thousand ids in one pipelined round trip.
        try await store.putVectors(prefix: "uEmb", (1...1000).map { (Int32($0), [Float($0)]) }, ttl: 60)
        let many = try await store.vectors(prefix: "uEmb", (1...1000).map(Int32.init))
        #expect(many.compactMap { $0?.first } == (1...1000).map(Float.init))
        await connection.close()
    }

    @Test("server errors surface as errors; the connection survives a server restart")
    func errorsAndReconnect() async throws {
        let server = try RedisServer()
        let connection = RedisConnection(port: server.port)
        try await connection.command("SET", "k", "v")
        await #expect(throws: RedisError.self) { try await connection.command("HGET", "k", "f") }  // WRONGTYPE
        server.stop()
        await #expect(throws: (any Error).self) { try await connection.command("GET", "k") }
        // Same port, new server: the next command reconnects.
        let restarted = try RedisServer(port: server.port)
        defer { restarted.stop() }
        #expect(try await connection.command("PING").string == "PONG")
        await connection.close()
    }
}
