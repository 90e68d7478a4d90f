import SparrowCore
import Testing

@testable import SparrowServing

@Suite("A movie's rating statistics")
struct MovieStatsTests {
    @Test("the ten highest ratings, ties newest first, match a full sort whatever order the ratings arrive in")
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
            // Ties of score and second: the first to arrive stays ahead (a later one is not "newer").
            let expected = ratings.enumerated().sorted { a, b in
                (a.element.score, a.element.timestamp, -a.offset) > (b.element.score, b.element.timestamp, -b.offset)
            }.prefix(10).map(\.element.user)
            #expect(stats.top.map(\.user) == Array(expected), "\(order)")
            #expect(stats.count == 200)
            #expect(abs(stats.sum - Double(ratings.map(\.score).reduce(0, +))) < 1e-9)
        }
    }
}
