import Foundation
import SparrowCore
import SparrowFeatures
import Testing

@testable import SparrowServing

@Suite("A movie's rating statistics")
struct MovieStatsTests {
    @Test("the ten highest ratings (ties newest first, then lower user) match a full sort in any arrival order")
    func topTen() throws {
        var rng = SeededGenerator(seed: 11)
        for order in ["random", "newest last", "newest first"] {
            var ratings = (0..<200).map { i in
                (user: Int32(i), score: Float(Int.random(in: 1...10, using: &rng)) / 2, timestamp: Int64(i / 3))
            }
            if order == "random" { ratings.shuffle(using: &rng) }
            if order == "newest first" { ratings.reverse() }
            var stats = MovieStats()
            for r in ratings { stats.add(user: r.user, score: r.score, timestamp: r.timestamp) }
            // Ties of score and second: the lower user index first, whichever arrived first.
            let expected = ratings.sorted { a, b in
                (a.score, a.timestamp, -a.user) > (b.score, b.timestamp, -b.user)
            }.prefix(10).map(\.user)
            #expect(stats.best.map(\.user) == Array(expected), "\(order)")
            #expect(stats.count == 200)
            #expect(abs(stats.sum - Double(ratings.map(\.score).reduce(0, +))) < 1e-9)
        }
    }

    @Test("replacing ratings keeps count, sum and the ten best equal to statistics built from the final ratings")
    func replacements() throws {
        var rng = SeededGenerator(seed: 5)
        var current = (0..<60).map { i in
            (user: Int32(i), score: Float(Int.random(in: 1...10, using: &rng)) / 2, timestamp: Int64(i))
        }
        var stats = MovieStats()
        for r in current { stats.add(user: r.user, score: r.score, timestamp: r.timestamp) }
        var refills = 0
        for step in 0..<400 {
            // Mostly the best raters lower their rating: the case that drains the kept ratings.
            let pool = step % 3 == 0 ? current.indices.map { $0 } : stats.top.map { Int($0.user) }
            let u = pool[Int.random(in: 0..<pool.count, using: &rng)]
            let new = Float(Int.random(in: 1...10, using: &rng)) / 2
            let old = current[u]
            current[u] = (old.user, new, Int64(100 + step))
            if !stats.replace(user: old.user, old: old.score, with: new, timestamp: Int64(100 + step)) {
                stats.refill(current)
                refills += 1
            }
            let expected = current.sorted { a, b in
                (a.score, a.timestamp, -a.user) > (b.score, b.timestamp, -b.user)
            }.prefix(10)
            #expect(stats.best.map(\.user) == expected.map(\.user), "step \(step)")
            #expect(stats.count == 60)
            #expect(stats.sum == Double(current.map(\.score).reduce(0, +)))
        }
        #expect(refills > 0 && refills < 100, "refills: \(refills)")
    }
}

@Suite("Start-up's movie statistics, built movie by movie")
struct MovieStatsBuildTests {
    @Test("equal, field for field and tie for tie, to adding every rating in user-major order, on any thread count")
    func movieMajor() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sparrow-msb-\(UUID().uuidString)").path
        try SyntheticDataset(users: 120, movies: 40, ratings: 2400, seed: 3).write(to: dir + "/synth")
        // Thirty users give three movies 5.0 in the same second, written to the file in reverse: only the order in
        // which ratings are added decides which ten are kept.
        try FileManager.default.createDirectory(atPath: dir + "/ties", withIntermediateDirectories: true)
        try "movieId,title,genres\n1,A (1990),Drama\n2,B (1991),Drama\n3,C (1992),Comedy\n".write(
            toFile: dir + "/ties/movies.csv", atomically: true, encoding: .utf8)
        let lines = (1...30).reversed().flatMap { u in (1...3).map { m in "\(u),\(m),5.0,100" } }
        try (["userId,movieId,rating,timestamp"] + lines + [""]).joined(separator: "\n").write(
            toFile: dir + "/ties/ratings.csv", atomically: true, encoding: .utf8)
        for name in ["synth", "ties"] {
            let catalog = try MovieLensReader.load(directory: dir + "/" + name)
            let (stats, states) = userMajor(catalog)
            // Enough ratings per movie that every top ten is full.
            #expect(stats.allSatisfy { $0.best.count == 10 })
            if name == "ties" { #expect(stats.allSatisfy { $0.best.map(\.user) == Array(0..<10) }) }
            for threads in [1, 2, 3, 7] {
                let built = MovieStats.build(catalog: catalog, threads: threads)
                #expect(built.states == states, "\(name), \(threads) threads")
                #expect(built.stats.map(\.count) == stats.map(\.count))
                #expect(built.stats.map(\.sum) == stats.map(\.sum))
                #expect(built.stats.map { $0.top.map(\.user) } == stats.map { $0.top.map(\.user) }, "\(name)")
                #expect(built.stats.map { $0.top.map(\.timestamp) } == stats.map { $0.top.map(\.timestamp) })
            }
        }
    }

    /// Every rating added where it falls: users by index, each user's ratings in time order.
    private func userMajor(_ catalog: Catalog) -> ([MovieStats], [MovieFeatureState]) {
        let r = catalog.ratings
        var stats = [MovieStats](repeating: MovieStats(), count: catalog.movies.count)
        var states = [MovieFeatureState](repeating: MovieFeatureState(), count: catalog.movies.count)
        for u in 0..<catalog.userIds.count {
            for row in catalog.ratingsOfUser(u) {
                let i = Int(row)
                stats[Int(r.movie[i])].add(user: r.user[i], score: r.rating[i], timestamp: r.timestamp[i])
                states[Int(r.movie[i])].add(rating: r.rating[i], timestamp: r.timestamp[i])
            }
        }
        return (stats, states)
    }
}
