import Foundation
import Testing

@testable import SparrowStore
import SparrowTestSupport

/// Stream retention: entries before a bound move to `<stream>:archive` (whole, or only ratings and catalogue
/// entries), and the history read over both streams still holds every kept entry once, in order — even while
/// several servers retire at once.
@Suite(
    "Redis stream retention against a real redis-server", .enabled(if: RedisServer.available, "needs redis-server"),
    .serialized)
struct StreamRetentionTests {
    /// Entries `0..<n`: every third a rating, one catalogue entry at 4, the rest clicks.
    static func entries(_ n: Int) -> [[(String, String)]] {
        (0..<n).map { k in
            if k == 4 { return [("type", "movie"), ("movie", "{\"movieId\":9001}")] }
            return [("type", k % 3 == 0 ? "rating" : "click"), ("userId", "\(k)"), ("movieId", "1")]
        }
    }

    /// Every entry of the history after `id`, read `count` at a time.
    static func history(_ stream: RedisEventStream, count: Int) async throws -> [RedisEventStream.Entry] {
        var all: [RedisEventStream.Entry] = []
        var after = "0"
        while true {
            let page = try await stream.history(after: after, count: count)
            guard let last = page.last else { return all }
            all += page
            after = last.id
        }
    }

    /// Runs `body` on the stream `t:events` of a fresh redis-server.
    static func withStream(_ body: (RedisServer, RedisEventStream) async throws -> Void) async throws {
        let server = try RedisServer()
        defer { server.stop() }
        try await body(server, RedisEventStream(connection: RedisConnection(port: server.port), stream: "t:events"))
    }

    @Test("ids order by their numbers, not their text")
    func order() {
        #expect(RedisEventStream.precedes("9-5", "10-0"))
        #expect(RedisEventStream.precedes("10-2", "10-10"))
        #expect(!RedisEventStream.precedes("10-10", "10-10"))
        #expect(RedisEventStream.precedes("0", "0-1"))
        #expect(RedisEventStream.order(of: "12") ?? (1, 1) == (12, 0))
        #expect(RedisEventStream.order(of: "a-1") == nil && RedisEventStream.order(of: "1-2-3") == nil)
    }

    @Test("compact retirement keeps ratings and movies in the archive; the history reads both, once, in order")
    func compact() async throws {
        try await Self.withStream { _, stream in
            let ids = try await stream.publish(Self.entries(12))
            #expect(try await stream.retire(before: ids[7], compact: true, page: 2) == 7)
            #expect(try await stream.length() == 5, "entries 7…11 stay")
            let archived = try await stream.archive.range(after: "0", count: 100)
            #expect(
                archived.map(\.id) == [ids[0], ids[3], ids[4], ids[6]], "the ratings and the movie, with their ids")
            #expect(archived[2].fields["movie"] == "{\"movieId\":9001}")
            let expected = [0, 3, 4, 6] + Array(7..<12)
            for page in [1, 2, 3, 100] {
                #expect(
                    try await Self.history(stream, count: page).map(\.id) == expected.map { ids[$0] },
                    "pages of \(page)")
            }
            // Retiring again, or below an earlier bound, moves nothing and duplicates nothing.
            #expect(try await stream.retire(before: ids[7], compact: true) == 0)
            #expect(try await stream.retire(before: ids[2], compact: true) == 0)
            #expect(try await stream.archive.length() == 4)
            // Whole retirement keeps the clicks too.
            #expect(try await stream.retire(before: ids[10], compact: false) == 3)
            #expect(try await stream.archive.range(after: ids[6], count: 100).map(\.id) == [ids[7], ids[8], ids[9]])
            #expect(try await Self.history(stream, count: 2).map(\.id) == expected.map { ids[$0] })
        }
    }

    @Test("servers retiring at once with different bounds lose nothing and copy nothing twice")
    func concurrent() async throws {
        try await Self.withStream { server, stream in
            let ids = try await stream.publish(Self.entries(3000))
            let other = RedisEventStream(connection: RedisConnection(port: server.port), stream: "t:events")
            async let a = stream.retire(before: ids[2000], compact: false, page: 7)
            async let b = other.retire(before: ids[2600], compact: false, page: 5)
            let removed = try await a + b
            #expect(removed == 2600)
            #expect(try await stream.archive.range(after: "0", count: 5000).map(\.id) == Array(ids[..<2600]))
            #expect(try await Self.history(stream, count: 333).map(\.id) == ids)
        }
    }

    @Test("the covered entry is the oldest any server recorded")
    func covered() async throws {
        try await Self.withStream { _, stream in
            #expect(try await stream.covered() == nil)
            try await stream.recordCovered(server: "a", id: "10-3")
            try await stream.recordCovered(server: "b", id: "9-7")
            #expect(try await stream.covered() == "9-7")
            try await stream.recordCovered(server: "b", id: "11-0")
            #expect(try await stream.covered() == "10-3")
        }
    }
}
