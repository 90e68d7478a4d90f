import Foundation
import Testing

@testable import SparrowStore
import SparrowTestSupport

#if canImport(Glibc)
    import Glibc
#endif

@Suite(
    "Redis feature store against a real redis-server",
    .enabled(if: RedisServer.available, "needs redis-server (apt-get install redis-server)"), .serialized)
struct RedisStoreTests {
    @Test("original key formats, TTLs applied, pipelined batch gets")
    func keysAndTTL() async throws {
        let server = try RedisServer()
        defer { server.stop() }
        let connection = RedisConnection(port: server.port)
        let store = RedisFeatureStore(connection: connection)
        try await store.putHashes(
            prefix: "uf", [(1, [("userRatedMovie1", "318"), ("userGenre1", "Drama"), ("userAvgRating", "4.10")])],
            ttl: 3600)
        try await store.putHashes(
            prefix: "mf", [(318, [("movieGenre1", "Crime"), ("movieRatingCount", "317")])], ttl: nil)
        try await store.putVectors(prefix: "i2vEmb", [(318, [0.5, -1.25, 2]), (1, [1, 2, 3])], ttl: 86_400)
        #expect(try await connection.command("TYPE", "uf:1").string == "hash")
        #expect(try await connection.command("HGET", "uf:1", "userGenre1").string == "Drama")
        #expect(try await connection.command("GET", "i2vEmb:318").string == "0.5 -1.25 2.0")
        let ttl = try await connection.command("TTL", "uf:1").int!
        #expect(ttl > 3000 && ttl <= 3600)  // set to 3600 s; a slow, loaded machine may take seconds between the calls
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

    @Test("user records: the newest stream id wins whatever order writes land in; TTL on both keys")
    func newestUserRecordWins() async throws {
        let server = try RedisServer()
        defer { server.stop() }
        let pool = RedisConnectionPool(port: server.port, size: 2)
        let store = RedisFeatureStore(connection: pool)
        let newer = RedisFeatureStore.UserRecord(
            userId: 5, fields: [("userRatingCount", "3")], vector: [1, 2], eventId: "1700000000123-1")
        let older = RedisFeatureStore.UserRecord(
            userId: 5, fields: [("userRatingCount", "2")], vector: [9, 9], eventId: "1700000000123-0")
        #expect(try await store.putUserRecords([newer], ttl: 600) == 1)
        #expect(try await store.putUserRecords([older], ttl: 600) == 0)
        #expect(try await pool.command("HGET", "uf:5", "userRatingCount").string == "3")
        #expect(try await pool.command("HGET", "uf:5", "lastEvent").string == "1700000000123-1")
        #expect(try await pool.command("GET", "uEmb:5").string == "1.0 2.0")
        let later = RedisFeatureStore.UserRecord(
            userId: 5, fields: [("userRatingCount", "4")], vector: nil, eventId: "1700000000200-0")
        #expect(try await store.putUserRecords([later], ttl: 600) == 1)
        #expect(try await pool.command("HGET", "uf:5", "userRatingCount").string == "4")
        #expect(try await pool.command("TTL", "uf:5").int! > 590)
        #expect(try await pool.command("TTL", "uEmb:5").int! > 590)
        // A Redis that forgot the script (restarted, or SCRIPT FLUSH) gets it loaded again.
        try await pool.command("SCRIPT", "FLUSH")
        let newest = RedisFeatureStore.UserRecord(
            userId: 5, fields: [("userRatingCount", "5")], vector: nil, eventId: "1700000000300-0")
        #expect(try await store.putUserRecords([newest], ttl: 600, along: [["SET", "marker", "1"]]) == 1)
        #expect(try await pool.command("HGET", "uf:5", "userRatingCount").string == "5")
        #expect(try await pool.command("GET", "marker").string == "1")
        await pool.close()
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
        try server.restart()
        defer { server.stop() }
        #expect(try await connection.command("PING").string == "PONG")
        await connection.close()
    }
}
