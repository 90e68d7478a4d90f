import Foundation
import SparrowOffline
import SparrowServing
import SparrowStore
import SparrowTestSupport
import Synchronization
import Testing

/// A fleet on one stream trims it below what every server's checkpoints cover; a server without a checkpoint and
/// retraining still see every rating, through the archive.
@Suite(
    "Redis stream retention across servers", .enabled(if: RedisServer.available, "needs redis-server"), .serialized)
struct RedisRetentionTests {
    func nearLine(_ recommender: Recommender, redis: RedisServer, name: String, folder: String) throws -> RedisNearLine
    {
        var options = RedisNearLine.Options(name: name)
        options.checkpoints = folder
        options.retention = .compact
        options.enforceDurability = false  // the test server already runs appendfsync always
        options.blockMilliseconds = 50
        return try RedisNearLine(
            recommender: recommender, url: "redis://127.0.0.1:\(redis.port)", outboxPath: folder + "/outbox.log",
            options: options)
    }

    @Test("entries both servers' checkpoints cover move to the archive (ratings only); nothing is lost to readers")
    func fleet() async throws {
        let redis = try RedisServer(durable: true)
        defer { redis.stop() }
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("rret-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: base) }
        for name in ["a", "b", "c"] {
            try FileManager.default.createDirectory(atPath: base + "/" + name, withIntermediateDirectories: true)
        }
        let catalog = EngineFixture.data.catalog
        func events(_ users: ClosedRange<Int32>, movie: Int, type: EventType) -> [EventLog.Event] {
            users.map {
                EventLog.Event(
                    type: type, userId: $0, movieId: catalog.movies[movie].id, rating: type == .rating ? 4 : nil,
                    timestamp: 1_700_000_000 + Int64($0), id: "\(type)-\($0)-\(movie)")
            }
        }
        let (recommenderA, recommenderB) = (try EngineFixture.recommender(), try EngineFixture.recommender())
        let a = try nearLine(recommenderA, redis: redis, name: "a", folder: base + "/a")
        let b = try nearLine(recommenderB, redis: redis, name: "b", folder: base + "/b")
        await a.start()
        await b.start()
        let stream = RedisEventStream(connection: RedisConnection(port: redis.port))
        try await a.submit(events(1...20, movie: 3, type: .rating) + events(1...20, movie: 4, type: .click))
        try await b.submit(events(21...30, movie: 5, type: .rating) + events(1...10, movie: 6, type: .click))
        #expect(await waitUntil(seconds: 10) { a.totals.consumed >= 60 && b.totals.consumed >= 60 } != nil)
        #expect(try a.checkpoint() && b.checkpoint())
        // Each server's first checkpoint ends at the 60th entry: retention (whenever its pass runs) moves only
        // entries before the oldest entry any server recorded.
        try await b.submit(events(31...35, movie: 7, type: .rating))
        #expect(await waitUntil(seconds: 10) { a.totals.consumed >= 65 && b.totals.consumed >= 65 } != nil)
        #expect(try a.checkpoint() && b.checkpoint())
        // Both recorded: the 59 entries before the older checkpoints' last one (a click, which stays) leave the
        // stream, their 30 ratings into the archive; the stream keeps that entry and the 5 after it.
        let moved = try await waitUntil(seconds: 10) { try await stream.length() == 6 }
        let length = try await stream.length()
        #expect(moved != nil, "stream length \(length)")
        let archived = try await stream.archive.range(after: "0", count: 1000)
        #expect(archived.count == 30 && archived.allSatisfy { $0.fields["type"] == "rating" })

        // A third server without a checkpoint reads archive + stream: the same ratings as the others.
        let recommenderC = try EngineFixture.recommender()
        let c = try nearLine(recommenderC, redis: redis, name: "c", folder: base + "/c")
        await c.start()
        func counts(_ r: Recommender) -> [Int?] {
            (1...35).map { id in r.userIndex(id: id).map { r.ratings(user: $0).count } }
        }
        #expect(counts(recommenderC) == counts(recommenderA))
        #expect(counts(recommenderA) == counts(recommenderB))
        #expect(counts(recommenderC).compactMap { $0 }.reduce(0, +) >= 35)
        // Retraining reads every rating ever posted.
        let contents = try await FleetEvents.contents(stream: stream)
        #expect(contents.events.filter { $0.type == .rating }.count == 35)
        await c.shutdown()
        await b.shutdown()
        await a.shutdown()
    }
}
