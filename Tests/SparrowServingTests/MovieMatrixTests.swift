import CSparrowKernels
import Testing

@testable import SparrowServing

@Suite("Exact search kernels")
struct MovieMatrixTests {
    /// The reference: sort every (score, index) by score descending, index ascending.
    func bruteForce(_ scores: [Float], k: Int, skip: [UInt8]) -> [Int32] {
        scores.indices.filter { skip[$0] == 0 && !scores[$0].isNaN }
            .sorted { scores[$0] > scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }.prefix(k).map(Int32.init)
    }

    @Test(
        "top-k equals a full sort: ties by lower index, skipped and NaN entries left out",
        arguments: [1, 7, 50, 400, 2000])
    func topK(k: Int) {
        var generator = SystemRandomNumberGenerator()
        for trial in 0..<20 {
            let n = 1 + Int.random(in: 0..<1500, using: &generator)
            // Coarse values make many ties; a few NaNs and skips.
            var scores = (0..<n).map { _ in Float(Int.random(in: -20...20, using: &generator)) / 4 }
            if trial % 3 == 0 { for i in stride(from: 0, to: n, by: 17) { scores[i] = .nan } }
            let skip = (0..<n).map { _ in UInt8(Int.random(in: 0..<10, using: &generator) == 0 ? 1 : 0) }
            var index = [Int32](repeating: -1, count: k)
            var best = [Float](repeating: 0, count: k)
            let found = Int(sparrow_top_k(scores, Int32(n), Int32(k), skip, &index, &best))
            let expected = bruteForce(scores, k: k, skip: skip)
            #expect(Array(index.prefix(found)) == expected, "n \(n) k \(k)")
            #expect(zip(index.prefix(found), best).allSatisfy { scores[Int($0)] == $1 })
        }
        // Infinite scores and ranges too small to divide by still select correctly.
        let tiny = Float.leastNonzeroMagnitude
        let one: Float = 1
        let cases: [[Float]] = [
            [1, .infinity, -.infinity, 3, .nan, 2], [0, tiny, 0, 2 * tiny], [one, one.nextUp, one, one.nextUp.nextUp],
        ]
        for scores in cases {
            let skip = [UInt8](repeating: 0, count: scores.count)
            var index = [Int32](repeating: -1, count: 3)
            var best = [Float](repeating: 0, count: 3)
            let found = Int(sparrow_top_k(scores, Int32(scores.count), 3, skip, &index, &best))
            #expect(Array(index.prefix(found)) == bruteForce(scores, k: 3, skip: skip), "\(scores)")
        }
        // A sparse signal: most scores 0 (one boundary bucket holds most of the items, selected rather than sorted),
        // the rest a few distinct values above and below; k falls inside the zeros and outside them.
        for want in [3, 40, 400, 2999] {
            let sparse = (0..<3000).map { i -> Float in
                i % 37 == 0 ? Float(Int.random(in: 1...5, using: &generator)) : (i % 101 == 0 ? -1 : 0)
            }
            var index = [Int32](repeating: -1, count: want)
            var best = [Float](repeating: 0, count: want)
            let found = Int(sparrow_top_k(sparse, 3000, Int32(want), nil, &index, &best))
            let skip = [UInt8](repeating: 0, count: 3000)
            #expect(Array(index.prefix(found)) == bruteForce(sparse, k: want, skip: skip), "k \(want)")
        }
        // All equal: the lowest indices win.
        var index = [Int32](repeating: 0, count: 3)
        var best = [Float](repeating: 0, count: 3)
        #expect(sparrow_top_k([Float](repeating: 1, count: 10), 10, 3, nil, &index, &best) == 3 && index == [0, 1, 2])
    }

    @Test(
        "top-k over a catalogue (one pass from a sampled threshold) equals a full sort, ties, NaNs, skips and zeros too",
        arguments: [1, 10, 100, 250])
    func topKLarge(k: Int) {
        var generator = SystemRandomNumberGenerator()
        for n in [2048, 10_000, 62_000] {
            for shape in 0..<4 {
                let scores = (0..<n).map { i -> Float in
                    switch shape {
                    case 0: Float.random(in: -1...1, using: &generator)  // distinct
                    case 1: Float(Int.random(in: -3...3, using: &generator))  // heavy ties
                    case 2: i % 53 == 0 ? Float(Int.random(in: 1...4, using: &generator)) : 0  // sparse
                    default: i % 7 == 0 ? .nan : Float(Int.random(in: 0...1000, using: &generator))
                    }
                }
                let skip = (0..<n).map { _ in UInt8(Int.random(in: 0..<8, using: &generator) == 0 ? 1 : 0) }
                var index = [Int32](repeating: -1, count: k)
                var best = [Float](repeating: 0, count: k)
                let found = Int(sparrow_top_k(scores, Int32(n), Int32(k), skip, &index, &best))
                #expect(Array(index.prefix(found)) == bruteForce(scores, k: k, skip: skip), "n \(n) shape \(shape)")
            }
        }
    }

    @Test("matrix-vector products match plain dot products for any dimension", arguments: [1, 7, 8, 32, 33])
    func matvec(dimension d: Int) {
        let rows = 37
        let matrix = (0..<(rows * d)).map { Float(($0 * 7919) % 113) / 50 - 1 }
        let vector = (0..<d).map { Float(($0 * 31) % 17) / 9 - 0.8 }
        var out = [Float](repeating: 0, count: rows)
        sparrow_matvec_rows(Int32(rows), Int32(d), matrix, vector, &out)
        for r in 0..<rows {
            let expected = (0..<d).reduce(Float(0)) { $0 + matrix[r * d + $1] * vector[$1] }
            #expect(abs(out[r] - expected) < 1e-4)
        }
        var gathered = [Float](repeating: 0, count: 3 * d)
        sparrow_gather_add_rows(3, Int32(d), [4, 0, 4], matrix, vector, &gathered)
        #expect(gathered == [4, 0, 4].flatMap { r in (0..<d).map { matrix[r * d + $0] + vector[$0] } })
    }

    @Test(
        "products of many vectors at once equal one product per vector, bit for bit",
        arguments: [(1, 1), (7, 63), (8, 64), (64, 65), (67, 130)])
    func matvecMany(dimension d: Int, rows: Int) {
        let matrix = (0..<(rows * d)).map { Float(($0 * 7919) % 113) / 50 - 1 }
        let count = 5
        let vectors = (0..<(count * d)).map { Float(($0 * 31) % 17) / 9 - 0.8 }
        var many = [Float](repeating: .nan, count: count * rows)
        sparrow_matvec_rows_many(Int32(rows), Int32(d), matrix, Int32(count), vectors, &many)
        for v in 0..<count {
            var one = [Float](repeating: .nan, count: rows)
            sparrow_matvec_rows(Int32(rows), Int32(d), matrix, Array(vectors[(v * d)..<((v + 1) * d)]), &one)
            #expect(Array(many[(v * rows)..<((v + 1) * rows)]) == one, "vector \(v)")
        }
    }

    @Test("a movie matrix searches by catalog index, skipping masked and vector-less movies")
    func movieMatrix() {
        // Four movies in 2-d; movie 2 has no vector.
        var matrix = MovieMatrix(rows: [1, 0, 0.8, 0.6, 0, 0, -1, 0], dimension: 2)
        #expect(matrix.top([1, 0], k: 4, skip: [0, 0, 0, 0]).map(\.movie) == [0, 1, 2, 3])
        matrix = MovieMatrix(rows: [1, 0, 0.8, 0.6, 0, 0, -1, 0], dimension: 2, present: [1, 1, 0, 1])
        #expect(matrix.top([1, 0], k: 4, skip: [0, 0, 0, 0]).map(\.movie) == [0, 1, 3])
        #expect(matrix.top([1, 0], k: 2, skip: [1, 0, 0, 0]).map(\.movie) == [1, 3])
        #expect(matrix.vector(2) == nil && matrix.vector(1) == [0.8, 0.6])
    }
}
