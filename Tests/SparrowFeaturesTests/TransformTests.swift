import Foundation
import Testing

@testable import SparrowFeatures

@Suite("Transforms")
struct TransformTests {
    @Test("standardisation and min-max fit on training values only; missing maps to 0")
    func numeric() throws {
        let s = NumericTransform.fitStandardize([1, 2, 3, .nan])
        guard case .standardize(let mean, let stddev) = s else { Issue.record("not a standardiser"); return }
        #expect(mean == 2 && abs(stddev - (2.0 / 3).squareRoot()) < 1e-12)
        #expect(s.apply(2) == 0)
        #expect(s.apply(.nan) == 0)
        #expect(abs(s.apply(3) - Float(1 / (2.0 / 3).squareRoot())) < 1e-6)
        let m = NumericTransform.fitMinMax([10, 20, 30])
        #expect(m.apply(15) == 0.25 && m.apply(40) == 1 && m.apply(0) == 0)
        let l = NumericTransform.fitLog1pStandardize([0, Float(M_E - 1)])
        guard case .log1pStandardize(let lm, let ls) = l else { Issue.record("not log1p"); return }
        #expect(abs(lm - 0.5) < 1e-7 && abs(ls - 0.5) < 1e-7)
        #expect(abs(l.apply(Float(M_E - 1)) - 1) < 1e-6)
        // Survives a round trip through JSON (saved with models).
        let data = try JSONEncoder().encode([s, m, l])
        #expect(try JSONDecoder().decode([NumericTransform].self, from: data) == [s, m, l])
    }

    @Test("bucketising by boundaries and by quantiles")
    func buckets() {
        let b = Bucketizer(boundaries: [10, 0, 5, 5])
        #expect(b.boundaries == [0, 5, 10])
        #expect([-1, 0, 4.9, 5, 9, 10, 100].map { b.bucket($0) } == [0, 1, 1, 2, 2, 3, 3])
        #expect(b.bucket(.nan) == 4)
        #expect(b.bucketCount == 5)
        let q = Bucketizer(quantilesOf: (1...100).map(Float.init), buckets: 4)
        #expect(q.boundaries == [26, 51, 76])
    }

    @Test("vocabulary lookup with an out-of-vocabulary row, one-hot and multi-hot")
    func vocabulary() throws {
        let v = Vocabulary([7, 3, 7, 9, 0, 3, 3], minCount: 2, missing: 0)
        #expect(v.ids == [7, 3])
        #expect(v.row(7) == 1 && v.row(3) == 2 && v.row(9) == 0 && v.row(0) == 0)
        #expect(v.size == 3)
        #expect(v.oneHot(3) == [0, 0, 1])
        #expect(v.multiHot([7, 3]) == [0, 1, 1])
        #expect(v.multiHot([42]) == [1, 0, 0])
        let decoded = try JSONDecoder().decode(Vocabulary.self, from: JSONEncoder().encode(v))
        #expect(decoded == v && decoded.row(3) == 2)
    }

    @Test("hashed crosses are stable, spread and bounded")
    func crosses() {
        let cross = HashedCross(buckets: 10_000)
        #expect(cross.bucket(1, 2) == cross.bucket(1, 2))
        #expect(cross.bucket(1, 2) != cross.bucket(2, 1))
        var seen = Set<Int32>()
        for a in 0..<100 { for b in 0..<100 { seen.insert(cross.bucket(Int32(a), Int32(b))) } }
        #expect(seen.allSatisfy { $0 >= 0 && $0 < 10_000 })
        #expect(seen.count > 6000)  // 10,000 pairs into 10,000 buckets: ≈ 63 % distinct if uniform
    }
}
