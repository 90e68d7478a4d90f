import Foundation
import Testing

@testable import SparrowStore
import SparrowTestSupport

@Suite(
    "Redis Streams event log against a real redis-server", .enabled(if: RedisServer.available, "needs redis-server"),
    .serialized)
struct EventStreamTests {
    @Test("two consumers of one group share the events; acknowledged entries leave the pending list")
    func consumerGroup() async throws {
        let server = try RedisServer()
        defer { server.stop() }
        let a = RedisEventStream(connection: RedisConnection(port: server.port))
        let b = RedisEventStream(connection: RedisConnection(port: server.port))
        try await a.createGroup("servers")
        try await b.createGroup("servers")  // idempotent
        let ids = try await a.publish(
            (1...6).map { [("type", "rating"), ("userId", "\($0)"), ("movieId", "318"), ("rating", "4.5")] })
        #expect(ids.count == 6)
        let first = try await a.read(group: "servers", consumer: "server-a", count: 4)
        let second = try await b.read(group: "servers", consumer: "server-b", count: 10)
        #expect(first.count == 4 && second.count == 2)
        #expect(Set((first + second).map(\.id)) == Set(ids))
        #expect(first[0].fields["userId"] == "1" && first[0].fields["rating"] == "4.5")
        #expect(try await a.pendingCount(group: "servers") == 6)
        #expect(try await a.ack(group: "servers", ids: first.map(\.id)) == 4)
        #expect(try await a.pendingCount(group: "servers") == 2)
    }

    @Test("entries a crashed consumer read but never acknowledged are claimed by another")
    func recovery() async throws {
        let server = try RedisServer()
        defer { server.stop() }
        let stream = RedisEventStream(connection: RedisConnection(port: server.port))
        try await stream.createGroup("servers")
        _ = try await stream.publish([[("userId", "7")], [("userId", "8")]])
        let lost = try await stream.read(group: "servers", consumer: "crashed", count: 10)
        #expect(lost.count == 2)  // read, then the consumer "dies" without XACK
        try await Task.sleep(nanoseconds: 50_000_000)
        let claimed = try await stream.claimPending(group: "servers", consumer: "survivor", idleMilliseconds: 10)
        #expect(claimed.map(\.id) == lost.map(\.id))
        #expect(try await stream.ack(group: "servers", ids: claimed.map(\.id)) == 2)
        #expect(try await stream.pendingCount(group: "servers") == 0)
        #expect(try await stream.read(group: "servers", consumer: "survivor").isEmpty)
    }
}
