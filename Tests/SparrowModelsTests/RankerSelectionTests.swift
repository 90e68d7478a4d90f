import Testing

@testable import SparrowModels

@Suite("Choosing between the learned ranker and a single signal")
struct RankerSelectionTests {
    /// `b` lists only the single column hits, `c` only the learned ranker, `same` both or neither.
    static func pair(b: Int, c: Int, same: Int) -> (single: [Bool], learned: [Bool]) {
        let single =
            [Bool](repeating: true, count: b) + [Bool](repeating: false, count: c)
            + [Bool](repeating: true, count: same)
        let learned =
            [Bool](repeating: false, count: b) + [Bool](repeating: true, count: c)
            + [Bool](repeating: true, count: same)
        return (single, learned)
    }

    @Test("a single column must lead by more than two standard errors of the paired difference: b − c > 2√(b + c)")
    func significance() {
        let cases: [(b: Int, c: Int, kept: Bool)] = [
            (5, 0, true),  // 5 > 2·√5 = 4.47
            (4, 0, false),  // 4 = 2·√4
            (10, 5, false),  // 5 < 2·√15 = 7.75
            (30, 5, true),  // 25 > 2·√35 = 11.8
            (0, 30, false),
        ]
        for (b, c, kept) in cases {
            let (single, learned) = Self.pair(b: b, c: c, same: 400)
            #expect(ListwiseRanker.significantlyBetter(single, than: learned) == kept, "b \(b), c \(c)")
        }
    }

    /// 40 lists of 20 candidates; column 1 is a rank column that puts the pick first in `marked` lists and 15th in
    /// the others; column 0 is constant. A ranker trained for no epoch scores every candidate 0 and, ties broken
    /// against the pick, hits no list.
    static func lists(marked: Int) -> [RankingList] {
        (0..<40).map { i in
            var f = [Float](repeating: 0, count: 40)
            for r in 0..<20 { f[r * 2 + 1] = Float((r + (i < marked ? 0 : 15)) % 20) }
            return RankingList(features: f, target: 0, count: 20)
        }
    }

    @Test("fitSelecting keeps the single column only when it is significantly ahead of the learned ranker")
    func selection() {
        var config = ListwiseRanker.Config()
        config.epochs = 0
        let clear = ListwiseRanker.fitSelecting(Self.lists(marked: 5), width: 2, rankColumns: [1], config: config)
        #expect(clear.learned == 0)
        #expect(clear.single.map(\.hitRate) == [0.125])
        #expect(clear.chosenColumn == 1)
        let noise = ListwiseRanker.fitSelecting(Self.lists(marked: 4), width: 2, rankColumns: [1], config: config)
        #expect(noise.single.map(\.hitRate) == [0.1])
        #expect(noise.chosenColumn == nil)
    }
}
