import Foundation
import Hummingbird
import HummingbirdTesting
import SparrowServer
import SparrowOffline
import SparrowServing
import SparrowStore
import SparrowTestSupport
import Synchronization
import Testing

@Suite("Near-line events: embedded log")
struct LocalNearLineTests {
    @Test("events are replayed at start-up; an id is applied once however often it is posted")
    func replayAndIdempotency() async throws {
        let catalog = ServerFixture.data.catalog
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("events-\(UUID().uuidString).log").path
        let movie = catalog.movies[3].id
        let first = try ServerFixture.recommender()
        let ingest = try LocalEventIngest(path: path, recommender: first)
        let rating = EventLog.Event(
            type: .rating, userId: 777_001, movieId: movie, rating: 4.5, timestamp: 1_600_000_000, id: "r-1")
        try await ingest.submit([rating])
        try await ingest.submit([rating])  // a client retry with the same id
        try await ingest.submit([
            EventLog.Event(type: .click, userId: 777_001, movieId: movie, rating: nil, timestamp: 1_600_000_001)
        ])
        let u = try #require(first.userIndex(id: 777_001))
        #expect(first.ratings(user: u).count == 1)
        #expect(EventLog.read(path: path).count == 3, "every acknowledged event is in the log")
        // A restart rebuilds the same state from the log.
        let second = try ServerFixture.recommender()
        _ = try LocalEventIngest(path: path, recommender: second)
        let v = try #require(second.userIndex(id: 777_001))
        #expect(second.ratings(user: v).map(\.movie) == first.ratings(user: u).map(\.movie))
        #expect(second.featureRecord(userId: 777_001)?.fields.first { $0.0 == "userRatingCount" }?.1 == "1")
    }
}

@Suite(
    "Near-line events through a real redis-server", .enabled(if: RedisServer.available, "needs redis-server"),
    .serialized)
struct RedisNearLineTests {
    func nearLine(
        _ recommender: Recommender, redis: RedisServer, name: String, outbox: String, additions: MovieAdditions? = nil,
        checkpoints: String? = nil, log: @escaping @Sendable (String) -> Void = { _ in }
    ) throws -> RedisNearLine {
        var options = RedisNearLine.Options(name: name)
        options.movieAdditions = additions
        options.checkpoints = checkpoints
        options.enforceDurability = false  // the test server already runs appendfsync always
        options.ttl = 3600
        options.blockMilliseconds = 50
        return try RedisNearLine(
            recommender: recommender, url: "redis://127.0.0.1:\(redis.port)", outboxPath: outbox, options: options,
            log: log)
    }

    func recommended(_ client: some TestClientProtocol, user: Int32) async throws -> [Int] {
        try await client.execute(uri: "/api/v1/recommend?user=\(user)&n=10", method: .get) { r in
            ((r.json as? [String: Any])?["items"] as? [[String: Any]] ?? []).compactMap {
                ($0["movie"] as? [String: Any])?["id"] as? Int
            }
        }
    }

    func history(_ client: some TestClientProtocol, user: Int32) async throws -> [Int] {
        try await client.execute(uri: "/api/v1/users/\(user)", method: .get) { r in
            ((r.json as? [String: Any])?["history"] as? [[String: Any]] ?? []).compactMap {
                ($0["movie"] as? [String: Any])?["id"] as? Int
            }
        }
    }

    func ready(_ client: some TestClientProtocol) async throws -> String {
        try await client.execute(uri: "/health/ready", method: .get) { r in
            (r.json as? [String: Any])?["status"] as? String ?? ""
        }
    }

    func post(_ client: some TestClientProtocol, user: Int32, movie: Int, id: String) async throws
        -> HTTPResponse.Status
    {
        let body = "{\"userId\":\(user),\"movieId\":\(movie),\"rating\":5,\"id\":\"\(id)\"}"
        return try await client.execute(uri: "/api/v1/events", method: .post, body: ByteBuffer(string: body)) {
            $0.status
        }
    }

    @Test("a rating posted to server A changes server B's recommendations; Redis outage: degraded, buffered, caught up")
    func twoServers() async throws {
        let redis = try RedisServer(durable: true)
        defer { redis.stop() }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nearline-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let recommenderA = try ServerFixture.recommender()
        let recommenderB = try ServerFixture.recommender()
        let a = try nearLine(recommenderA, redis: redis, name: "a", outbox: folder + "/outbox-a.log")
        let b = try nearLine(recommenderB, redis: redis, name: "b", outbox: folder + "/outbox-b.log")
        await a.start()
        await b.start()
        let user = ServerFixture.data.catalog.userIds[7]
        let appA = ServerFixture.app(RecommendationService(recommender: recommenderA, ingest: a))
        let appB = ServerFixture.app(RecommendationService(recommender: recommenderB, ingest: b))
        try await appA.test(.live) { clientA in
            try await appB.test(.live) { clientB in
                #expect(try await ready(clientA) == "ready")
                let top = try #require(try await recommended(clientB, user: user).first)
                #expect(try await post(clientA, user: user, movie: top, id: "first") == .accepted)
                #expect(!(try await recommended(clientA, user: user).contains(top)), "read-your-writes on A")
                let seen = try await waitUntil(seconds: 5) {
                    !(try await recommended(clientB, user: user).contains(top))
                }
                #expect(seen != nil, "B's recommendations must change after A's rating")
                #expect(try await history(clientB, user: user).filter { $0 == top }.count == 1)
                // The features live in Redis under the original's keys.
                let fields = try await a.pool.command("HGETALL", "uf:\(user)").array?.compactMap(\.string) ?? []
                #expect(fields.contains("lastEvent") && fields.contains("userRatingCount"))
                #expect(try await a.pool.command("TTL", "uf:\(user)").int ?? 0 > 3500)
                #expect(try await a.pool.command("EXISTS", "uEmb:\(user)").int == 1)

                // Redis goes away: A still answers, says degraded, buffers the event durably, serves it at once.
                redis.stop()
                let second = try #require(try await recommended(clientA, user: user).first)
                #expect(try await post(clientA, user: user, movie: second, id: "during-outage") == .accepted)
                #expect(!(try await recommended(clientA, user: user).contains(second)))
                #expect(try await ready(clientA) == "degraded")
                #expect(a.outbox.size() > 0)
                #expect(try await recommended(clientB, user: user).count == 10, "B keeps answering from memory")

                // Redis returns (same data folder): the outbox is flushed, B catches up, both are ready again.
                try redis.restart()
                let caughtUp = try await waitUntil(seconds: 15) {
                    try await history(clientB, user: user).contains(second)
                }
                #expect(caughtUp != nil, "B must see the event buffered by A during the outage")
                #expect(
                    try await waitUntil(seconds: 5) { try await ready(clientA) == "ready" && a.outbox.size() == 0 }
                        != nil)
                #expect(try await waitUntil(seconds: 5) { try await ready(clientB) == "ready" } != nil)
                #expect(try await history(clientB, user: user).filter { $0 == second }.count == 1)
                #expect(
                    try await history(clientA, user: user).filter { $0 == second }.count == 1, "A's echo applied once")
            }
        }
        // A restarted server rebuilds its state from the stream: both events, once each.
        await a.shutdown()
        let recommenderC = try ServerFixture.recommender()
        let c = try nearLine(recommenderC, redis: redis, name: "a", outbox: folder + "/outbox-a.log")
        await c.start()
        let u = try #require(recommenderC.userIndex(id: user))
        let before = try #require(recommenderB.userIndex(id: user))
        #expect(recommenderC.ratings(user: u).map(\.movie) == recommenderB.ratings(user: before).map(\.movie))
        #expect(c.totals.consumed >= 2)
        await c.shutdown()
        await b.shutdown()
    }

    @Test("a movie posted to server A reaches server B before any rating of it; a server started later rebuilds it")
    func movieAcrossServers() async throws {
        let redis = try RedisServer(durable: true)
        defer { redis.stop() }
        let (folderA, folderB, folderC) = try (
            ServerFixture.copyOfArtifacts(), ServerFixture.copyOfArtifacts(), ServerFixture.copyOfArtifacts()
        )
        let catalog = ServerFixture.data.catalog
        func server(_ folder: String, _ name: String) throws -> (Recommender, RedisNearLine) {
            let r = try ArtifactBuilder(root: folder).recommender(catalog: catalog) { _ in }
            let ingest = try nearLine(
                r, redis: redis, name: name, outbox: folder + "/outbox.log",
                additions: MovieAdditions(artifacts: folder))
            return (r, ingest)
        }
        let (recommenderA, a) = try server(folderA, "a")
        let (recommenderB, b) = try server(folderB, "b")
        await a.start()
        await b.start()
        let serviceA = RecommendationService(
            recommender: recommenderA, ingest: a, access: AccessControl(adminToken: "secret"),
            movieAdditions: MovieAdditions(artifacts: folderA))
        let serviceB = RecommendationService(
            recommender: recommenderB, ingest: b, access: AccessControl(adminToken: "secret"),
            movieAdditions: MovieAdditions(artifacts: folderB))
        let id = Int(catalog.nextMovieId!)
        let user = catalog.userIds[2]
        try await ServerFixture.app(serviceA).test(.live) { clientA in
            try await ServerFixture.app(serviceB).test(.live) { clientB in
                let body = #"{"title": "Fleet Premiere", "year": 2026, "genres": ["\#(catalog.genres[0])"]}"#
                try await clientA.execute(
                    uri: "/api/v1/movies", method: .post, headers: [.authorization: "Bearer secret"],
                    body: ByteBuffer(string: body)
                ) { r in #expect(r.status == .created, "\(r.text)") }
                #expect(try await post(clientA, user: user, movie: id, id: "premiere-1") == .accepted)
                let arrived = try await waitUntil(seconds: 5) {
                    guard let m = recommenderB.catalog.movieIndex(id: Int32(id)) else { return false }
                    return recommenderB.stats(movie: m).count == 1
                }
                #expect(arrived != nil, "B has the movie, and the rating of it")
                try await clientB.execute(uri: "/api/v1/movies?search=fleet%20premiere", method: .get) { r in
                    let ids = ((r.json as? [String: Any])?["movies"] as? [[String: Any]])?.compactMap {
                        $0["id"] as? Int
                    }
                    #expect(ids == [id])
                }
            }
        }
        #expect(try MovieAdditions(artifacts: folderB).records().map(\.movieId) == [Int32(id)], "recorded on B too")
        let contents = try await FleetEvents.contents(
            stream: RedisEventStream(connection: a.pool, stream: a.options.stream))
        #expect(contents.movies.map(\.movieId) == [Int32(id)] && contents.events.count == 1)
        await a.shutdown()
        await b.shutdown()
        // A server with no record of the movie rebuilds it, and its rating, from the stream.
        let (recommenderC, c) = try server(folderC, "c")
        await c.start()
        let m = try #require(recommenderC.catalog.movieIndex(id: Int32(id)))
        #expect(m == catalog.movies.count && recommenderC.stats(movie: m).count == 1)
        await c.shutdown()
    }

    @Test("a Redis-mode server restarts from its checkpoint and reads only the stream after it")
    func checkpointInRedisMode() async throws {
        let redis = try RedisServer(durable: true)
        defer { redis.stop() }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rckpt-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let catalog = ServerFixture.data.catalog
        func events(_ users: ClosedRange<Int32>, movie: Int) -> [EventLog.Event] {
            users.map {
                EventLog.Event(
                    type: .rating, userId: $0, movieId: catalog.movies[movie].id, rating: 4,
                    timestamp: 1_700_000_000 + Int64($0), id: "r-\($0)-\(movie)")
            }
        }
        let recommenderA = try ServerFixture.recommender()
        let a = try nearLine(recommenderA, redis: redis, name: "a", outbox: folder + "/outbox.log", checkpoints: folder)
        await a.start()
        #expect(try !a.checkpoint(), "nothing consumed yet")
        try await a.submit(events(1...30, movie: 3))
        #expect(try await waitUntil(seconds: 5) { a.totals.consumed >= 30 } != nil)
        #expect(try a.checkpoint())
        try await a.submit(events(10...40, movie: 5))
        #expect(try await waitUntil(seconds: 5) { a.totals.consumed >= 61 } != nil)
        func counts(_ r: Recommender) -> [Int?] {
            (1...40).map { id in r.userIndex(id: id).map { r.ratings(user: $0).count } }
        }
        let expected = counts(recommenderA)
        // A crash: no last checkpoint. The restart restores the first one and reads the 31 entries after it.
        let recommenderB = try ServerFixture.recommender()
        let lines = Mutex<[String]>([])
        let b = try nearLine(
            recommenderB, redis: redis, name: "a", outbox: folder + "/outbox.log", checkpoints: folder
        ) { line in lines.withLock { $0.append(line) } }
        await b.start()
        #expect(lines.withLock { $0 }.contains { $0.hasPrefix("redis: restored the checkpoint at stream entry") })
        #expect(b.totals.consumed == 31, "only the stream after the checkpoint")
        #expect(counts(recommenderB) == expected)
        await b.shutdown()
        // Another stream (or a deleted one): the checkpoint is refused, the whole stream read.
        let recommenderC = try ServerFixture.recommender()
        lines.withLock { $0.removeAll() }
        var options = RedisNearLine.Options(name: "a")
        options.enforceDurability = false
        options.checkpoints = folder
        options.stream = "sparrow:other"
        let c = try RedisNearLine(
            recommender: recommenderC, url: "redis://127.0.0.1:\(redis.port)", outboxPath: folder + "/outbox-c.log",
            options: options
        ) { line in lines.withLock { $0.append(line) } }
        await c.start()
        #expect(lines.withLock { $0 }.contains { $0.contains("made for another stream") })
        await c.shutdown()
        await a.shutdown()
    }
}
