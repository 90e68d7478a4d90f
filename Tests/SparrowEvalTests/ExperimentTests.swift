import Foundation
import Testing

@testable import SparrowEval
@testable import SparrowEmbedding

@Suite("A/B statistics, interleaving, curves, projection")
struct ExperimentTests {
    @Test("two-proportion z-test against a hand computation")
    func zTest() {
        // A: 100/1000, B: 130/1000. Pooled p = 0.115, se = √(0.115·0.885·0.002) = 0.014268; z = 0.03/0.014268 = 2.1026.
        let (z, p) = ABAnalysis.zTest(.init(successes: 100, trials: 1000), .init(successes: 130, trials: 1000))
        #expect(abs(z - 2.1026) < 1e-3)
        #expect(abs(p - 0.03551) < 2e-4)
        #expect(ABAnalysis.zTest(.init(successes: 0, trials: 0), .init(successes: 1, trials: 2)).p == 1)
    }

    @Test("Wilson interval, normal quantile, sample size")
    func intervalsAndSizes() {
        let arm = ABAnalysis.Arm(successes: 10, trials: 100)
        let (low, high) = arm.interval
        #expect(abs(low - 0.05523) < 1e-4 && abs(high - 0.17437) < 1e-4)
        #expect(abs(ABAnalysis.quantile(0.975) - 1.959964) < 1e-5)
        // 10 % → 12 % at α 0.05, power 0.8: the textbook figure is 3,841 per arm.
        #expect(abs(ABAnalysis.sampleSize(baseline: 0.10, target: 0.12) - 3841) <= 2)
    }

    @Test("sign test: exact for small n, normal above")
    func signTest() {
        #expect(abs(ABAnalysis.signTest(wins: 9, n: 10) - 0.021484375) < 1e-12)  // 2·(1 + 10)/1024
        #expect(ABAnalysis.signTest(wins: 5, n: 10) == 1)
        #expect(ABAnalysis.signTest(wins: 70, n: 100) < 0.001)
    }

    @Test("team-draft interleaving takes turns, never repeats a movie, and is balanced")
    func teamDraft() {
        var rng = SplitRandom(seed: 3)
        var firstPicks = [0, 0]
        for _ in 0..<200 {
            let (list, teams) = TeamDraft.interleave([1, 2, 3, 4, 5, 6], [2, 7, 1, 8, 9, 10], length: 6, rng: &rng)
            #expect(Set(list).count == list.count)
            #expect(abs(teams.filter { $0 == 0 }.count - teams.filter { $0 == 1 }.count) <= 1)
            firstPicks[teams[0]] += 1
            // Each team's movies keep that ranker's order.
            let fromA = zip(list, teams).filter { $0.1 == 0 }.map(\.0)
            #expect(fromA == [1, 2, 3, 4, 5, 6].filter(fromA.contains))
        }
        #expect(firstPicks[0] > 70 && firstPicks[1] > 70)
    }

    @Test("ROC curve ends at (1,1); calibration of a perfectly calibrated set is near zero error")
    func curves() {
        let c = BinaryCurves(probabilities: [0.9, 0.8, 0.3, 0.1], labels: [1, 0, 1, 0])
        #expect(c.roc.first! == [0, 0] && c.roc.last! == [1, 1])
        #expect(c.pr.first! == [0.5, 1])
        var p: [Float] = []
        var y: [Float] = []
        for k in 0..<1000 {
            let q = Float(k % 10) / 10 + 0.05
            p.append(q)
            y.append(Float(k / 10 % 100) < q * 100 ? 1 : 0)
        }
        #expect(BinaryCurves(probabilities: p, labels: y).expectedCalibrationError < 0.02)
    }

    @Test("the 2-D projection finds the direction of largest spread")
    func projection() {
        // Points spread along (1, 1, 0) with small noise in z.
        let set = EmbeddingSet(
            ids: [1, 2, 3, 4], dimension: 3, vectors: [-3, -3, 0.1, -1, -1, -0.1, 1, 1, 0.1, 3, 3, -0.1])
        let xy = Projection.pca2(set)
        let xs = xy.map { abs($0[0]) }
        let ys = xy.map { abs($0[1]) }
        #expect(xs.max()! > 4 && ys.max()! < 0.2)
    }
}
