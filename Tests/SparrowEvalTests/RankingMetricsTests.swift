import Foundation
import SparrowCore
import Testing

@testable import SparrowEval
@testable import SparrowModels

@Suite("Top-K metrics against hand-computed cases")
struct RankingMetricsTests {
    @Test("one user, two relevant items at ranks 1 and 3 of K = 3")
    func handCase() {
        var acc = RankingMetrics.Accumulator(k: 3)
        acc.add(ranked: [7, 8, 9, 10], relevant: [7, 9, 42])
        let m = acc.result(catalogSize: 10)
        #expect(m.hitRate == 1)
        #expect(abs(m.recall - 2.0 / 3) < 1e-12)
        #expect(abs(m.precision - 2.0 / 3) < 1e-12)
        let dcg = 1 + 1 / log2(4.0)
        let ideal = 1 + 1 / log2(3.0) + 1 / log2(4.0)
        #expect(abs(m.ndcg - dcg / ideal) < 1e-12)
        #expect(abs(m.map - (1 + 2.0 / 3) / 3) < 1e-12)
        #expect(m.mrr == 1)
        #expect(m.coverage == 0.3)  // items 7, 8, 9 of 10
    }

    @Test("misses, empty lists and averaging over users")
    func averaging() {
        var acc = RankingMetrics.Accumulator(k: 2)
        acc.add(ranked: [1, 2], relevant: [2])  // hit at rank 2
        acc.add(ranked: [3, 4], relevant: [5])  // miss
        acc.add(ranked: [], relevant: [6])  // nothing recommended
        let m = acc.result(catalogSize: 6)
        #expect(abs(m.hitRate - 1.0 / 3) < 1e-12)
        #expect(abs(m.mrr - 0.5 / 3) < 1e-12)
        #expect(abs(m.ndcg - (1 / log2(3.0)) / 3) < 1e-12)
        let empty = RankingMetrics.Accumulator(k: 5).result(catalogSize: 0)
        #expect(empty.users == 0 && empty.hitRate == 0)
    }

    @Test("novelty is the mean self-information of recommended items")
    func novelty() {
        var acc = RankingMetrics.Accumulator(k: 2)
        acc.add(ranked: [1, 2], relevant: [1]) { $0 == 1 ? 0.5 : 0.25 }
        #expect(acc.result(catalogSize: 2).novelty == 1.5)  // (1 + 2) / 2 bits
    }

    @Test("RMSE and MAE")
    func ratingErrors() {
        #expect(RatingError.rmse([3, 4], [4, 2]) == (2.5).squareRoot())
        #expect(RatingError.mae([3, 4], [4, 2]) == 1.5)
        #expect(RatingError.rmse([], []).isNaN)
    }
}

@Suite("Collaborative filtering on synthetic data")
struct CollaborativeTests {
    static let catalog: Catalog = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sparrow-cf-\(UUID().uuidString)").path
        try! SyntheticDataset(users: 300, movies: 400, ratings: 30_000, seed: 8).write(to: dir)
        return try! MovieLensReader.load(directory: dir)
    }()

    @Test("ALS and BPR beat random ranking on the leave-last-out protocol; ItemKNN and popularity run")
    func learn() {
        let p = TopKProtocol(catalog: Self.catalog)
        var als = ImplicitALS()
        als.factors = 16
        als.iterations = 5
        let alsModel = als.fit(p.matrix)
        var bpr = BPR()
        bpr.factors = 16
        bpr.iterations = 20
        let bprModel = bpr.fit(p.matrix)
        let random = 10.0 / 400
        let alsHR = p.evaluate { alsModel.scores(user: $0) }.hitRate
        let bprHR = p.evaluate { bprModel.scores(user: $0) }.hitRate
        #expect(alsHR > 3 * random, "ALS HR@10 \(alsHR)")
        #expect(bprHR > 3 * random, "BPR HR@10 \(bprHR)")
        #expect(p.evaluate(p.popularityScores()).hitRate > random)
        #expect(p.evaluate(p.itemKNNScores()).hitRate > random)
    }

    @Test("seen movies are never recommended and the held-out one can be")
    func exclusion() {
        let p = TopKProtocol(catalog: Self.catalog)
        for c in p.split.cases.prefix(20) {
            #expect(!p.seen[c.user].contains(c.heldOut!))
            #expect(p.seen[c.user].isSuperset(of: c.history))
        }
    }

    @Test("explicit MF beats the global mean on held-out ratings")
    func explicitMF() {
        let r = Self.catalog.ratings
        let rows = (0..<r.count).map { (r.user[$0], r.movie[$0], r.rating[$0]) }
        let train = rows.enumerated().filter { $0.offset % 5 != 0 }.map(\.element)
        let test = rows.enumerated().filter { $0.offset % 5 == 0 }.map(\.element)
        var mf = ExplicitMF()
        mf.epochs = 10
        let predict = mf.fit(
            users: Self.catalog.userIds.count, items: Self.catalog.movies.count,
            ratings: train.map { (user: $0.0, item: $0.1, rating: $0.2) })
        let mean = train.reduce(Float(0)) { $0 + $1.2 } / Float(train.count)
        let rmse = RatingError.rmse(test.map { predict(Int($0.0), Int($0.1)) }, test.map(\.2))
        let baseline = RatingError.rmse([Float](repeating: mean, count: test.count), test.map(\.2))
        #expect(rmse < baseline - 0.05)
    }
}

@Suite("paired comparison of two top-K methods")
struct PairedComparisonTests {
    @Test("each list's hit in order, not encoded; discordant cases and the sign test's p against a hand computation")
    func pairedHits() throws {
        var a = RankingMetrics.Accumulator(k: 2)
        var b = RankingMetrics.Accumulator(k: 2)
        // Case 1: both hit; 2: only a (b's hit is at rank 3, past K); 3: neither; 4: a user with nothing relevant.
        for (ra, rb, relevant) in [
            ([Int32(1), 2], [Int32(2), 5], Set<Int32>([2])), ([3, 4], [5, 6, 3], [3]), ([7, 8], [8, 7], [9]),
            ([1, 2], [1, 2], []),
        ] {
            a.add(ranked: ra, relevant: relevant)
            b.add(ranked: rb, relevant: relevant)
        }
        let (ma, mb) = (a.result(catalogSize: 10), b.result(catalogSize: 10))
        #expect(ma.hits == [true, true, false, false] && mb.hits == [true, false, false, false])
        let json = String(decoding: try JSONEncoder().encode(ma), as: UTF8.self)
        #expect(!json.contains("hits") && json.contains("hitRate"))
        #expect(try JSONDecoder().decode(RankingMetrics.self, from: Data(json.utf8)).hits.isEmpty)
        let c = PairedComparison(ma.hits, mb.hits)
        #expect(c.onlyFirst == 1 && c.onlySecond == 0 && c.pValue == 1)  // 2 · P(X ≤ 0 | n = 1) = 1
        // 2 against 8 discordant cases: 2 · (1 + 10 + 45) / 1024.
        let ten = PairedComparison(
            [true, true] + [Bool](repeating: false, count: 8) + [true],
            [false, false] + [Bool](repeating: true, count: 8) + [true])
        #expect(ten.onlyFirst == 2 && ten.onlySecond == 8 && abs(ten.pValue - 0.109375) < 1e-12)
        #expect(ten.line == "+2 / −8 users, p 0.11")
        #expect(PairedComparison([false], [false]).pValue == 1)
    }
}
