import Foundation
import Synchronization
import Testing

@testable import SparrowStore

@Suite("Embedded feature store")
struct EmbeddedStoreTests {
    func folder() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("sparrow-store-\(UUID().uuidString)").path
    }

    @Test("writes are durable: reopening the folder restores hashes and vectors; compaction keeps them")
    func persistence() async throws {
        let dir = folder()
        do {
            let store = try EmbeddedFeatureStore(directory: dir)
            try await store.putHashes(
                prefix: "uf", [(1, [("userGenre1", "Drama")]), (2, [("userGenre1", "Comedy")])], ttl: nil)
            try await store.putVectors(prefix: "uEmb", [(1, [0.5, 1.5])], ttl: nil)
            try await store.putHashes(prefix: "uf", [(2, [("userGenre1", "Action")])], ttl: nil)  // overwrite
        }
        let reopened = try EmbeddedFeatureStore(directory: dir)
        #expect(
            try await reopened.hashes(prefix: "uf", [1, 2, 3]) == [
                ["userGenre1": "Drama"], ["userGenre1": "Action"], nil,
            ])
        #expect(try await reopened.vectors(prefix: "uEmb", [1]) == [[0.5, 1.5]])
        try reopened.compact()
        let compacted = try EmbeddedFeatureStore(directory: dir)
        #expect(compacted.count == 3)
        #expect(try String(contentsOfFile: dir + "/log.jsonl", encoding: .utf8).isEmpty)
        #expect(try await compacted.vectors(prefix: "uEmb", [1]) == [[0.5, 1.5]])
    }

    @Test("a torn last line (a crash mid-write) is skipped, everything before it kept")
    func tornLine() async throws {
        let dir = folder()
        do {
            let store = try EmbeddedFeatureStore(directory: dir)
            try await store.putVectors(prefix: "i2vEmb", [(7, [1])], ttl: nil)
        }
        let handle = try #require(FileHandle(forWritingAtPath: dir + "/log.jsonl"))
        handle.seekToEndOfFile()
        handle.write(Data("{\"key\":\"i2vEmb:8\",\"vec".utf8))
        try handle.close()
        let store = try EmbeddedFeatureStore(directory: dir)
        #expect(try await store.vectors(prefix: "i2vEmb", [7, 8]) == [[1], nil])
    }

    @Test("entries expire after their TTL")
    func ttl() async throws {
        let clock = Mutex(1000.0)
        let store = try EmbeddedFeatureStore(directory: folder(), clock: { clock.withLock { $0 } })
        try await store.putHashes(prefix: "mf", [(1, [("movieRatingCount", "3")])], ttl: 60)
        #expect(try await store.hashes(prefix: "mf", [1])[0] != nil)
        clock.withLock { $0 = 1061 }
        #expect(try await store.hashes(prefix: "mf", [1])[0] == nil)
        #expect(store.count == 0)
    }
}
