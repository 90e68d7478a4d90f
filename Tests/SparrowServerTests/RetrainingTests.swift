import Foundation
import HummingbirdTesting
import SparrowCore
import SparrowModels
import SparrowStore
import SparrowTensor
import SparrowTestSupport
import Testing

@testable import SparrowOffline
@testable import SparrowServing

/// The feedback loop: events → retraining → gate → promotion → every server loads the new version.
@Suite("Retraining from events", .serialized)
struct RetrainingTests {
    /// A pattern that exists only in the events: new users like five rarely rated movies in one order; every other
    /// user ends on a sixth movie, so the step to the fifth is in the candidate's training data, not only in the gate.
    struct Planted {
        let chain: [Int32]  // movie ids
        let events: [EventLog.Event]
        let users: [Int32]

        init(catalog: Catalog, users count: Int = 30) {
            var counts = [Int](repeating: 0, count: catalog.movies.count)
            for m in catalog.ratings.movie { counts[Int(m)] += 1 }
            let rare = counts.indices.sorted { counts[$0] < counts[$1] || (counts[$0] == counts[$1] && $0 < $1) }
            chain = rare.prefix(6).map { catalog.movies[$0].id }
            let popular = counts.indices.sorted { counts[$0] > counts[$1] }.prefix(20).map { catalog.movies[$0].id }
            let start = (catalog.ratings.timestamp.max() ?? 0) + 1000
            var events: [EventLog.Event] = []
            users = (0..<Int32(count)).map { 900_001 + $0 }
            for (k, user) in users.enumerated() {
                var t = start + Int64(k) * 100
                var movies = [popular[k % 20], popular[(k + 7) % 20]] + chain.prefix(5)
                if k % 2 == 1 { movies.append(chain[5]) }
                for m in movies {
                    events.append(
                        EventLog.Event(
                            type: .rating, userId: user, movieId: m, rating: 5, timestamp: t, id: "p-\(user)-\(m)"))
                    t += 10
                }
            }
            self.events = events
        }
    }

    /// New users who replay existing users' liked movies in order: feedback the served version predicts well.
    static func copies(of catalog: Catalog, users count: Int = 30) -> [EventLog.Event] {
        let start = (catalog.ratings.timestamp.max() ?? 0) + 1000
        var events: [EventLog.Event] = []
        for k in 0..<count {
            let liked = catalog.ratingsOfUser(k).filter { catalog.ratings.rating[Int($0)] >= likedThreshold }.suffix(8)
            for (i, row) in liked.enumerated() {
                let movie = catalog.movies[Int(catalog.ratings.movie[Int(row)])].id
                events.append(
                    EventLog.Event(
                        type: .rating, userId: 800_001 + Int32(k), movieId: movie, rating: 5,
                        timestamp: start + Int64(k * 100 + i * 10), id: "c-\(k)-\(i)"))
            }
        }
        return events
    }

    static func artifacts() throws -> (folder: String, recommender: Recommender) {
        let folder = try ServerFixture.copyOfArtifacts()
        return (folder, try ArtifactBuilder(root: folder).recommender(catalog: ServerFixture.data.catalog) { _ in })
    }

    /// A user (not in any training data) who liked the chain's first four movies asks for a list.
    static func probe(_ r: Recommender, planted: Planted, user: Int32) throws -> [Int32] {
        for (i, m) in planted.chain.prefix(4).enumerated() {
            _ = r.apply([
                EventLog.Event(
                    type: .rating, userId: user, movieId: m, rating: 5, timestamp: 2_000_000_000 + Int64(i),
                    id: "probe-\(user)-\(m)")
            ])
        }
        return try r.recommend(userId: user, n: 10).items.map { r.catalog.movies[Int($0.movie)].id }
    }

    @Test("a version trained on the events learns what only the events hold; the gate promotes it; servers switch")
    func promoted() throws {
        let (folder, a) = try Self.artifacts()
        let b = try ArtifactBuilder(root: folder).recommender(catalog: ServerFixture.data.catalog) { _ in }
        let planted = Planted(catalog: a.catalog)
        let before = try Self.probe(a, planted: planted, user: 950_001)
        #expect(!before.contains(planted.chain[4]), "the served version has never seen the pattern")

        var options = Retraining.Options()
        options.minimumGateUsers = 10
        let record = try Retraining.run(
            catalog: a.catalog, events: planted.events, artifacts: folder, options: options)
        #expect(record.version == 1 && record.basedOn == 0)
        #expect(record.gateUsers == 30, "every new user's last liked movie is new feedback")
        #expect(record.users == a.catalog.userIds.count + 30)
        #expect(record.candidate.hitRate > record.served.hitRate, "\(record)")
        #expect(record.promoted, "\(record.reason)")
        let versions = NextItemVersions(artifacts: folder)
        #expect(versions.promoted() == 1)
        #expect(versions.record(1) == record)

        // Both servers on this folder load it; the next list of the same history has the planted next movie.
        for u in a.catalog.userIds.prefix(5) { _ = try a.recommend(userId: u, n: 10) }  // lists cached under version 0
        #expect(a.reloadNextItem(versions, warm: true) == "loaded next-item version 1")
        #expect(a.reloadNextItem(versions) == nil, "loaded once")
        let cached = a.live.withCaches { $0.ranked.values.map(\.modelVersion) }
        #expect(cached.count >= 5 && cached.allSatisfy { $0 == 1 }, "the active users' lists were ranked by version 1")
        #expect(b.reloadNextItem(versions) == "loaded next-item version 1")
        #expect(a.nextItemVersion == 1 && b.nextItemVersion == 1)
        let after = try Self.probe(a, planted: planted, user: 950_002)
        #expect(after.contains(planted.chain[4]), "\(after)")
        // A restart serves the promoted version.
        let restarted = try ArtifactBuilder(root: folder).recommender(catalog: a.catalog) { _ in }
        #expect(restarted.nextItemVersion == 1)
    }

    @Test("a server retrains itself from its event log (the model it serves is the one to beat) and serves the result")
    func inServer() throws {
        let (folder, a) = try Self.artifacts()
        let planted = Planted(catalog: a.catalog)
        let encoder = JSONEncoder()
        let lines = try planted.events.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
        try (lines.joined(separator: "\n") + "\n").write(
            toFile: folder + "/events.log", atomically: true, encoding: .utf8)
        let lifecycle = try ModelLifecycle(recommender: a, artifacts: folder, redis: nil)
        #expect(try lifecycle.events().count == planted.events.count)
        var options = Retraining.Options()
        options.minimumGateUsers = 10
        var log: [String] = []
        let record = try lifecycle.retrainOnce(with: Retraining.Runner(options: options)) { log.append($0) }
        #expect(record.promoted && record.basedOn == 0 && record.events == planted.events.count, "\(record)")
        #expect(log.contains("loaded next-item version 1"), "\(log)")
        #expect(a.nextItemVersion == 1 && lifecycle.versions.promoted() == 1)
    }

    @Test("a movie added while serving and the new users who rate it are known to the next version")
    func newMovieAndUsers() throws {
        let (folder, a) = try Self.artifacts()
        let base = a.catalog
        // The planted chain's fifth movie — the one the gate asks for — is a movie the catalogue did not have.
        let planted = Planted(catalog: base)
        let newId = base.nextMovieId!
        let record = ExchangeRecords.Movie(
            movieId: newId, title: "Planted Sequel", year: 2026, plainYear: true, genres: [base.genres[0]])
        try MovieAdditions(artifacts: folder).record(record)
        let (m, added) = try a.upsert(movie: record.movie(in: base))
        #expect(added && m == base.movies.count)
        let events = planted.events.map { e in
            var e = e
            if e.movieId == planted.chain[4] { e.movieId = newId }
            return e
        }
        #expect(try Self.probe(a, planted: planted, user: 950_101).contains(newId) == false, "unknown to version 0")
        a.apply(events)  // as the server that received them did

        var options = Retraining.Options()
        options.minimumGateUsers = 10
        let result = try Retraining.run(catalog: a.catalog, events: events, artifacts: folder, options: options)
        #expect(result.promoted && result.eventRatings == events.count, "\(result)")
        let version = try NextItemVersions(artifacts: folder).load(result.version)
        #expect(version.signals.logPopularity.count == base.movies.count + 1, "the new version knows the movie")
        let k = version.signals.als.itemFactors.count / (base.movies.count + 1)
        #expect(version.signals.als.itemFactors[m * k..<(m + 1) * k].contains { $0 != 0 }, "it has a vector")
        #expect(version.signals.sasrec?.catalogSize == base.movies.count + 1)

        // Served: the new movie follows the chain; the new users get the model's own lists, not the cold-start one.
        #expect(a.reloadNextItem(NextItemVersions(artifacts: folder)) == "loaded next-item version 1")
        #expect(try Self.probe(a, planted: planted, user: 950_102).contains(newId))
        let cold = try a.recommend(userId: 999_999_999, n: 10).items.map(\.movie)
        for user in planted.users.prefix(5) {
            let list = try a.recommend(userId: user, n: 10)
            #expect(list.model == NextItemModel.servedName && list.items.map(\.movie) != cold)
        }
        // A restart builds the same catalogue from movies-added.jsonl and serves the version that knows the movie.
        let restarted = try ArtifactBuilder(root: folder).recommender(catalog: base) { _ in }
        #expect(restarted.catalog.movieIndex(id: newId) == m && restarted.nextItemVersion == 1)
    }

    @Test("a version trained on corrupted data is refused and serving is unchanged")
    func refused() throws {
        let (folder, a) = try Self.artifacts()
        let events = Self.copies(of: a.catalog)
        var options = Retraining.Options()
        options.minimumGateUsers = 10
        // Every rating's movie replaced by a random one: the candidate learns noise.
        options.corrupt = { catalog in
            var table = catalog.ratings
            var rng = SeededGeneratorLite(seed: 3)
            for i in 0..<table.count { table.movie[i] = Int32(rng.next() % UInt64(catalog.movies.count)) }
            return Catalog(movies: catalog.movies, genres: catalog.genres, userIds: catalog.userIds, ratings: table)
        }
        let record = try Retraining.run(catalog: a.catalog, events: events, artifacts: folder, options: options)
        #expect(record.gateUsers == 30 && record.served.hitRate > 0.05, "\(record)")
        #expect(!record.promoted, "\(record)")
        #expect(record.reason.hasPrefix("worse"), "\(record.reason)")
        let versions = NextItemVersions(artifacts: folder)
        #expect(versions.promoted() == 0)
        #expect(versions.versions() == [1], "the refused version is kept for inspection")
        #expect(a.reloadNextItem(versions) == nil)
        #expect(a.nextItemVersion == 0)

        // Too little new feedback: no decision either way.
        options.corrupt = nil
        options.minimumGateUsers = 31
        let second = try Retraining.run(catalog: a.catalog, events: events, artifacts: folder, options: options)
        #expect(second.version == 0 && !second.promoted && second.reason.hasPrefix("too little new feedback"))
        #expect(versions.promoted() == 0 && versions.versions() == [1], "nothing trained, nothing written")
    }

    @Test("a half-built version or pointer left by a kill is never served and is cleared")
    func leftovers() throws {
        let (folder, a) = try Self.artifacts()
        let versions = NextItemVersions(artifacts: folder)
        try FileManager.default.createDirectory(
            atPath: versions.directory + "/.building-1-4242", withIntermediateDirectories: true)
        try Data("{\"signals\": ".utf8).write(
            to: URL(fileURLWithPath: versions.directory + "/.building-1-4242/model.json"))
        try Data("{\"vers".utf8).write(to: URL(fileURLWithPath: versions.directory + "/promoted.json.77.1.tmp"))
        #expect(versions.versions().isEmpty && versions.promoted() == 0)
        #expect(a.reloadNextItem(versions) == nil)
        // A pointer naming a version that does not load is refused once; the current one keeps serving.
        try versions.promote(5)
        #expect(a.reloadNextItem(versions)?.hasPrefix("refused next-item version 5") == true)
        #expect(a.reloadNextItem(versions) == nil && a.nextItemVersion == 0)
        versions.removeLeftovers()
        let left = try FileManager.default.contentsOfDirectory(atPath: versions.directory)
        #expect(left == ["promoted.json"])

        // Old versions are pruned to the newest few; the promoted one stays whatever its age.
        for v in 1...5 {
            try FileManager.default.createDirectory(atPath: versions.path(of: v), withIntermediateDirectories: true)
            try Data("{}".utf8).write(to: URL(fileURLWithPath: versions.path(of: v) + "/version.json"))
        }
        try versions.promote(2)
        #expect(versions.prune(keeping: 2) == [1, 3])
        #expect(versions.versions() == [2, 4, 5])
    }

    @Test("rating events become ratings (one per user and movie); new users get ids in order; clicks left out")
    func merge() {
        let movies = [
            Movie(id: 10, title: "A", year: 1990, genres: []), Movie(id: 20, title: "B", year: 1991, genres: []),
        ]
        var table = RatingTable()
        table.append(user: 0, movie: 1, rating: 4, timestamp: 100)
        table.append(user: 1, movie: 0, rating: 2, timestamp: 50)
        let catalog = Catalog(movies: movies, genres: [], userIds: [5, 9], ratings: table)
        let events = [
            EventLog.Event(type: .click, userId: 9, movieId: 10, rating: nil, timestamp: 200),
            EventLog.Event(type: .rating, userId: 7, movieId: 20, rating: 3.5, timestamp: 300),
            EventLog.Event(type: .rating, userId: 9, movieId: 99, rating: 1, timestamp: 301),
            EventLog.Event(type: .rating, userId: 9, movieId: 10, rating: 5, timestamp: 302),
        ]
        let (merged, ordinals, unknown) = catalog.adding(events)
        #expect(merged.userIds == [5, 7, 9])
        // User 9's rating of movie 10 at 302 replaces theirs at 50: the catalogue's row leaves, the event stays.
        #expect(merged.ratings.user == [0, 1, 2])
        #expect(merged.ratings.movie == [1, 1, 0])
        #expect(merged.ratings.rating == [4, 3.5, 5])
        #expect(ordinals == [1, 3])
        #expect(unknown == 1)
        #expect(merged.removingRatings([0, 2]).ratings.rating == [3.5])
        // An older rating event loses to the catalogue's newer row, and to a newer event (a tie: the later one).
        let late = [
            EventLog.Event(type: .rating, userId: 5, movieId: 20, rating: 1, timestamp: 99),
            EventLog.Event(type: .rating, userId: 7, movieId: 20, rating: 2, timestamp: 300),
            EventLog.Event(type: .rating, userId: 7, movieId: 20, rating: 2.5, timestamp: 300),
            EventLog.Event(type: .rating, userId: 7, movieId: 20, rating: 4.5, timestamp: 200),
        ]
        let (kept, keptOrdinals, _) = catalog.adding(late)
        #expect(kept.ratings.rating == [4, 2, 2.5] && keptOrdinals == [2])
        #expect(Duration(interval: "6h") == .seconds(21600) && Duration(interval: "90s") == .seconds(90))
        #expect(
            Duration(interval: "45") == .seconds(45) && Duration(interval: "0m") == nil
                && Duration(interval: "x") == nil)
    }

    @Test(
        "a fleet in Redis mode switches when a version is announced; /admin/reload and /api/v1/models show it",
        .enabled(if: RedisServer.available, "needs redis-server"))
    func fleet() async throws {
        let redis = try RedisServer()
        defer { redis.stop() }
        let folder = try ServerFixture.copyOfArtifacts()
        let catalog = ServerFixture.data.catalog
        var options = Retraining.Options()
        options.minimumGateUsers = 10
        let record = try Retraining.run(
            catalog: catalog, events: Planted(catalog: catalog).events, artifacts: folder, options: options)
        #expect(record.promoted)
        let url = "redis://127.0.0.1:\(redis.port)"
        let servers = try (0..<2).map { _ in
            try ModelLifecycle(
                recommender: try ArtifactBuilder(root: folder).recommender(catalog: catalog) { _ in },
                artifacts: folder,
                redis: url)
        }
        // The restart above already serves the promoted file; a fleet follows the key instead: back to 0 first.
        for s in servers { s.recommender.install(nextItem: try s.versions.load(0), version: 0) }
        for s in servers { #expect(await s.check() == nil, "nothing announced yet") }
        let pool = try RedisConnectionPool(url: url, size: 1)
        try await FleetEvents.announce(1, on: pool)
        for s in servers {
            #expect(await s.check() == "loaded next-item version 1")
            #expect(s.recommender.nextItemVersion == 1)
        }
        await pool.close()
        for s in servers { await s.close() }

        // Over HTTP (embedded): the reload endpoint loads the promoted version; the models list names it.
        let service = try ServerFixture.service(artifacts: folder, adminToken: "secret")
        service.recommender.install(nextItem: try NextItemVersions(artifacts: folder).load(0), version: 0)
        try await ServerFixture.app(service).test(.live) { client in
            try await client.execute(uri: "/admin/reload", method: .post, headers: [.authorization: "Bearer secret"]) {
                r in
                let changes = (r.json as? [String: Any])?["changes"] as? [String] ?? []
                #expect(changes.contains("loaded next-item version 1"), "\(changes)")
            }
            try await client.execute(uri: "/api/v1/models", method: .get) { r in
                let served = (r.json as? [String: Any])?["served"] as? [String: Any]
                #expect(served?["name"] as? String == "ranker" && served?["version"] as? Int == 1)
            }
        }
    }
}
