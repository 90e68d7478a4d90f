import Foundation
import SparrowCore
import SparrowFeatures
import SparrowStore
import SparrowTestSupport
import Testing

@testable import SparrowOffline
@testable import SparrowServing

/// One rating per user and movie: a newer rating replaces the old one in every part of the live state, exactly as if
/// the data had held only the newer one; the event log keeps every event.
@Suite("One rating per user and movie")
struct OneRatingTests {
    /// Everything the live state holds about a user and a movie, as text (equal states, equal text).
    static func state(_ r: Recommender, userId: Int32, movie m: Int) -> [String] {
        let u = r.userIndex(id: userId)!
        let s = r.snapshot(user: u)
        let live = r.liveStateCopy()
        let stats = r.stats(movie: m)
        return [
            "history \(r.ratings(user: u).map { "\($0.movie)/\($0.score)/\($0.timestamp)" })",
            "features \(s.features.features())", "seen \(s.seen.sorted())", "vector \(s.vector ?? [])",
            "movie \(live.movies[m].features(of: r.catalog.movies[m]))",
            "stats \(stats.count) \(stats.sum) \(stats.best.map { "\($0.user)/\($0.score)/\($0.timestamp)" })",
        ]
    }

    @Test("re-ratings replace the old rating: the live state equals one built from the data with only the newest")
    func replacementEqualsRebuild() throws {
        let catalog = EngineFixture.data.catalog
        let latest = catalog.ratings.timestamp.max()!
        let u = 4
        let userId = catalog.userIds[u]
        let first = Int(catalog.ratingsOfUser(u).first!)
        let m = Int(catalog.ratings.movie[first])
        let movieId = catalog.movies[m].id
        let before = EngineFixture.data.catalog.ratings
        let countBefore = (0..<before.count).filter { Int(before.movie[$0]) == m }.count
        func event(_ user: Int32, _ rating: Float, _ t: Int64, _ id: String) -> EventLog.Event {
            EventLog.Event(type: .rating, userId: user, movieId: movieId, rating: rating, timestamp: t, id: id)
        }
        let events = [
            // The same rating three times, then 5 and 1; then a tie on the second (the later one wins) and an older
            // rating that arrives late (stale: ignored). A new user rates the movie three times too.
            event(userId, 0.5, latest + 1, "a"), event(userId, 0.5, latest + 2, "b"),
            event(userId, 0.5, latest + 3, "c"),
            event(userId, 5, latest + 4, "d"), event(userId, 1, latest + 5, "e"), event(userId, 2, latest + 5, "f"),
            event(userId, 4.5, latest - 1, "g"),
            event(900_001, 3, latest + 1, "h"), event(900_001, 4, latest + 2, "i"), event(900_001, 4, latest + 3, "j"),
        ]
        let live = try EngineFixture.recommender()
        let applied = live.apply(events)
        #expect(applied.applied == 10 && applied.replaced == 8 && applied.stale == 1)
        #expect(live.stats(movie: m).count == countBefore + 1, "the new user's rating is the only one added")
        let v = live.userIndex(id: userId)!
        #expect(live.ratings(user: v).filter { Int($0.movie) == m }.map(\.score) == [2])
        #expect(live.ratings(user: v).count == catalog.ratingsOfUser(u).count)

        // The catalogue with the events merged by the offline rule keeps the same one rating per pair.
        let (merged, kept, unknown) = catalog.adding(events)
        #expect(unknown == 0 && kept == [5, 9], "the tie's later event and the new user's last one")
        #expect(merged.ratings.count == catalog.ratings.count + 1)
        let rebuilt = try ArtifactBuilder(root: EngineFixture.data.artifacts).recommender(catalog: merged) { _ in }
        #expect(Self.state(live, userId: userId, movie: m) == Self.state(rebuilt, userId: userId, movie: m))
        #expect(Self.state(live, userId: 900_001, movie: m) == Self.state(rebuilt, userId: 900_001, movie: m))
    }

    @Test("the fuzzing flood: one user's rating of a movie posted 40,000 times leaves both counts as in the data")
    func flood() throws {
        let catalog = EngineFixture.data.catalog
        let live = try EngineFixture.recommender()
        let u = 0
        let m = Int(catalog.ratings.movie[Int(catalog.ratingsOfUser(u).first!)])
        let (count, sum) = (live.stats(movie: m).count, live.stats(movie: m).sum)
        let old = live.ratings(user: u).first { Int($0.movie) == m }!.score
        let ratings = live.ratings(user: u).count
        let now: Int64 = 1_900_000_000
        for chunk in 0..<40 {
            live.apply(
                (0..<1000).map { k in
                    EventLog.Event(
                        type: .rating, userId: catalog.userIds[u], movieId: catalog.movies[m].id, rating: 0.5,
                        timestamp: now + Int64(chunk), id: "flood-\(chunk)-\(k)")
                })
        }
        #expect(live.stats(movie: m).count == count)
        #expect(live.stats(movie: m).sum == sum - Double(old) + 0.5)
        #expect(live.ratings(user: u).count == ratings)
        #expect(live.snapshot(user: u).features.totalRatings == ratings)
    }

    @Test("a checkpoint and the log after it, and a replay of the whole log, agree with re-ratings in both parts")
    func checkpointAndReplay() async throws {
        let catalog = EngineFixture.data.catalog
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("one-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let log = folder + "/events.log"
        var rng = SeededGenerator(seed: 9)
        // Thirty users re-rate movies they rated (and a few new ones), in two rounds around a checkpoint.
        func round(_ r: Int) -> [EventLog.Event] {
            (0..<300).map { k in
                let u = Int.random(in: 0..<30, using: &rng)
                let rated = catalog.ratingsOfUser(u)
                let m =
                    k % 5 == 0
                    ? Int.random(in: 0..<catalog.movies.count, using: &rng)
                    : Int(catalog.ratings.movie[Int(rated[rated.startIndex + Int.random(in: 0..<6, using: &rng)])])
                return EventLog.Event(
                    type: .rating, userId: catalog.userIds[u], movieId: catalog.movies[m].id,
                    rating: Float(Int.random(in: 1...10, using: &rng)) / 2,
                    timestamp: 1_800_000_000 + Int64(r * 1000 + k / 3), id: "r\(r)-\(k)")
            }
        }
        let live = try EngineFixture.recommender()
        let ingest = try LocalEventIngest(path: log, recommender: live, checkpoints: folder)
        try await ingest.submit(round(0))
        #expect(try ingest.checkpoint())
        try await ingest.submit(round(1))
        let movies = Set(EventLog.read(path: log).map { catalog.movieIndex(id: $0.movieId)! })
        func everything(_ r: Recommender) -> [String] {
            (0..<30).flatMap { u in
                Self.state(r, userId: catalog.userIds[u], movie: 0) + ["version \(r.historyVersion(user: u))"]
            }
                + movies.sorted().map { m in
                    let s = r.stats(movie: m)
                    return "\(m): \(s.count) \(s.sum) \(s.best.map(\.user)) \(r.liveStateCopy().movies[m])"
                }
        }
        let expected = everything(live)
        let restored = try EngineFixture.recommender()
        let fromCheckpoint = try LocalEventIngest(path: log, recommender: restored, checkpoints: folder)
        #expect(fromCheckpoint.startup.hasPrefix("restored the checkpoint"), "\(fromCheckpoint.startup)")
        #expect(everything(restored) == expected)
        let replayed = try EngineFixture.recommender()
        _ = try LocalEventIngest(path: log, recommender: replayed)
        #expect(everything(replayed) == expected)
        #expect(live.liveStateCopy().replaced.values.reduce(0, +) > 300, "most events were re-ratings")
    }
}
