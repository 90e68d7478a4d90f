import Foundation
import Hummingbird
import HummingbirdTesting
import SparrowServer
import SparrowServing
import SparrowStore
import SparrowTestSupport
import Testing

/// What an application sees of one rating per user and movie: the movie's count and average and the user's history.
enum OneRatingProbe {
    static func movie(_ client: some TestClientProtocol, _ id: Int32) async throws -> (count: Int, average: Double) {
        try await client.execute(uri: "/api/v1/movies/\(id)", method: .get) { r in
            let json = r.json as? [String: Any]
            return (json?["ratingCount"] as? Int ?? -1, json?["averageRating"] as? Double ?? -1)
        }
    }

    static func user(_ client: some TestClientProtocol, _ id: Int32) async throws -> (count: Int, history: [Int]) {
        try await client.execute(uri: "/api/v1/users/\(id)", method: .get) { r in
            let json = r.json as? [String: Any]
            let history = (json?["history"] as? [[String: Any]] ?? []).compactMap {
                ($0["movie"] as? [String: Any])?["id"] as? Int
            }
            return (json?["ratingCount"] as? Int ?? -1, history)
        }
    }

    static func rate(_ client: some TestClientProtocol, user: Int32, movie: Int32, _ rating: Double) async throws
        -> Int
    {
        let body = "{\"userId\":\(user),\"movieId\":\(movie),\"rating\":\(rating)}"
        return try await client.execute(uri: "/api/v1/events", method: .post, body: ByteBuffer(string: body)) {
            Int($0.status.code)
        }
    }

    /// The average the API shows for `sum` over `count` ratings.
    static func shown(_ sum: Double, _ count: Int) -> Double { (sum / Double(count) * 1000).rounded() / 1000 }
}

@Suite("One rating per user and movie through the API")
struct OneRatingRouteTests {
    @Test("posted three times a rating counts once; 5 then 1 is a replacement; the same after both kinds of restart")
    func embedded() async throws {
        let catalog = ServerFixture.data.catalog
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("one-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let log = folder + "/events.log"
        let u = 3
        let userId = catalog.userIds[u]
        let rated = Set(catalog.ratingsOfUser(u).map { catalog.ratings.movie[Int($0)] })
        let m = (0..<catalog.movies.count).first { !rated.contains(Int32($0)) }!
        let r = Int(catalog.ratings.movie[Int(catalog.ratingsOfUser(u).first!)])
        let (movie, ratedMovie) = (catalog.movies[m].id, catalog.movies[r].id)
        func service(checkpoints: Bool) throws -> (RecommendationService, LocalEventIngest) {
            let recommender = try ServerFixture.recommender()
            let ingest = try LocalEventIngest(
                path: log, recommender: recommender, checkpoints: checkpoints ? folder : nil)
            return (
                RecommendationService(
                    recommender: recommender, ingest: ingest, access: AccessControl(quotas: Quotas(.unlimited))),
                ingest
            )
        }
        let (first, ingest) = try service(checkpoints: true)
        let before = first.recommender.stats(movie: m)
        let ratedBefore = first.recommender.stats(movie: r)
        let userBefore = catalog.ratingsOfUser(u).count
        let oldScore = first.recommender.ratings(user: u).first { Int($0.movie) == r }!.score
        let expected = try await ServerFixture.app(first).test(.live) { client in
            for _ in 0..<3 { #expect(try await OneRatingProbe.rate(client, user: userId, movie: movie, 4.5) == 202) }
            var shown = try await OneRatingProbe.movie(client, movie)
            #expect(shown.count == before.count + 1)
            #expect(shown.average == OneRatingProbe.shown(before.sum + 4.5, before.count + 1))
            var profile = try await OneRatingProbe.user(client, userId)
            #expect(profile.count == userBefore + 1 && profile.history.filter { $0 == Int(movie) }.count == 1)
            // 5, then 1 (in the same second: the later one wins): the average moves as one replaced rating does.
            #expect(try await OneRatingProbe.rate(client, user: userId, movie: movie, 5) == 202)
            #expect(try await OneRatingProbe.rate(client, user: userId, movie: movie, 1) == 202)
            shown = try await OneRatingProbe.movie(client, movie)
            #expect(shown.count == before.count + 1)
            #expect(shown.average == OneRatingProbe.shown(before.sum + 1, before.count + 1))
            // Re-rating a movie of the data folder replaces the data's rating.
            #expect(try await OneRatingProbe.rate(client, user: userId, movie: ratedMovie, 0.5) == 202)
            let again = try await OneRatingProbe.movie(client, ratedMovie)
            #expect(again.count == ratedBefore.count)
            #expect(again.average == OneRatingProbe.shown(ratedBefore.sum - Double(oldScore) + 0.5, ratedBefore.count))
            #expect(try ingest.checkpoint())
            #expect(try await OneRatingProbe.rate(client, user: userId, movie: movie, 2) == 202)  // after it
            profile = try await OneRatingProbe.user(client, userId)
            #expect(profile.count == userBefore + 1 && profile.history.first == Int(movie))
            return [
                "\(try await OneRatingProbe.movie(client, movie))",
                "\(try await OneRatingProbe.movie(client, ratedMovie))",
                "\(profile)",
            ]
        }
        #expect(EventLog.read(path: log).count == 7, "the log keeps every event")
        for checkpoints in [true, false] {
            let (restarted, started) = try service(checkpoints: checkpoints)
            #expect(
                started.startup.hasPrefix(checkpoints ? "restored the checkpoint" : "replayed 7"), "\(started.startup)")
            try await ServerFixture.app(restarted).test(.live) { client in
                let seen = [
                    "\(try await OneRatingProbe.movie(client, movie))",
                    "\(try await OneRatingProbe.movie(client, ratedMovie))",
                    "\(try await OneRatingProbe.user(client, userId))",
                ]
                #expect(seen == expected, checkpoints ? "checkpoint + tail" : "full replay")
            }
        }
    }
}

extension RedisNearLineTests {
    @Test("both servers of a fleet hold one rating: posted three times to A, then replaced, as B and a restart see it")
    func oneRatingAcrossServers() async throws {
        let redis = try RedisServer(durable: true)
        defer { redis.stop() }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("one-fleet-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let catalog = ServerFixture.data.catalog
        let (recommenderA, recommenderB) = (try ServerFixture.recommender(), try ServerFixture.recommender())
        let a = try nearLine(recommenderA, redis: redis, name: "a", outbox: folder + "/outbox-a.log")
        let b = try nearLine(recommenderB, redis: redis, name: "b", outbox: folder + "/outbox-b.log")
        await a.start()
        await b.start()
        let u = 5
        let userId = catalog.userIds[u]
        let rated = Set(catalog.ratingsOfUser(u).map { catalog.ratings.movie[Int($0)] })
        let m = (0..<catalog.movies.count).first { !rated.contains(Int32($0)) }!
        let movie = catalog.movies[m].id
        let before = recommenderA.stats(movie: m)
        let appA = ServerFixture.app(RecommendationService(recommender: recommenderA, ingest: a))
        let appB = ServerFixture.app(RecommendationService(recommender: recommenderB, ingest: b))
        try await appA.test(.live) { clientA in
            try await appB.test(.live) { clientB in
                for _ in 0..<3 {
                    #expect(try await OneRatingProbe.rate(clientA, user: userId, movie: movie, 4.5) == 202)
                }
                #expect(try await OneRatingProbe.rate(clientA, user: userId, movie: movie, 5) == 202)
                #expect(try await OneRatingProbe.rate(clientA, user: userId, movie: movie, 1) == 202)
                let want = (count: before.count + 1, average: OneRatingProbe.shown(before.sum + 1, before.count + 1))
                #expect(try await OneRatingProbe.movie(clientA, movie) == want)
                let converged = try await waitUntil(seconds: 10) {
                    try await OneRatingProbe.movie(clientB, movie) == want
                }
                let seenByB = try await OneRatingProbe.movie(clientB, movie)
                #expect(converged != nil, "B: \(seenByB), want \(want)")
                let profile = try await OneRatingProbe.user(clientB, userId)
                #expect(profile.history.filter { $0 == Int(movie) }.count == 1)
                #expect(profile.count == catalog.ratingsOfUser(u).count + 1)
            }
        }
        await a.shutdown()
        let recommenderC = try ServerFixture.recommender()
        let c = try nearLine(recommenderC, redis: redis, name: "c", outbox: folder + "/outbox-c.log")
        await c.start()
        #expect(recommenderC.stats(movie: m).count == before.count + 1)
        #expect(recommenderC.stats(movie: m).sum == before.sum + 1)
        #expect(recommenderC.ratings(user: u).filter { Int($0.movie) == m }.map(\.score) == [1])
        await c.shutdown()
        await b.shutdown()
    }
}
