import SparrowTestSupport
import Testing

@testable import SparrowTensor

@Suite("Matrix-multiply kernels", .serialized)
struct KernelTests {
    func naive(_ ta: Bool, _ tb: Bool, _ m: Int, _ n: Int, _ k: Int, _ a: [Float], _ b: [Float]) -> [Double] {
        var c = [Double](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var s = 0.0
                for p in 0..<k {
                    let av = ta ? a[p * m + i] : a[i * k + p]
                    let bv = tb ? b[j * k + p] : b[p * n + j]
                    s += Double(av) * Double(bv)
                }
                c[i * n + j] = s
            }
        }
        return c
    }

    @Test("every dispatch level agrees with a naive product on awkward shapes", arguments: [0, 1, 2])
    func levels(level: Int) {
        defer { Kernels.limitLevel(99) }
        Kernels.limitLevel(level)
        // The last three cross the kernels' K blocks (256), row blocks of packed transposed A (192) and the NT cut-off (128).
        let shapes = [(1, 1, 1), (7, 33, 5), (12, 128, 107), (13, 17, 19), (8, 32, 64), (9, 47, 3), (40, 1, 9)]
        for (m, n, k) in shapes + [(200, 37, 300), (25, 20, 129), (30, 70, 64)] {
            for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
                let a = values(m * k, seed: UInt64(m * 31 + k))
                let b = values(k * n, seed: UInt64(n * 17 + k))
                var c = [Float](repeating: 0.5, count: m * n)
                Kernels.gemm(
                    transposeA: ta, transposeB: tb, m: m, n: n, k: k, alpha: 2, a: a, lda: ta ? m : k, b: b,
                    ldb: tb ? k : n, beta: 1, c: &c, ldc: n)
                let expected = naive(ta, tb, m, n, k, a, b)
                for i in 0..<(m * n) {
                    #expect(
                        abs(Double(c[i]) - (2 * expected[i] + 0.5)) < 1e-4 * Double(k + 1),
                        "level \(level) \(m)×\(n)×\(k)")
                }
            }
        }
    }

    @Test("beta 0 overwrites whatever C held, NaN included")
    func betaZero() {
        var c: [Float] = [.nan, .nan]
        Kernels.gemm(
            transposeA: false, transposeB: false, m: 1, n: 2, k: 1, alpha: 1, a: [3], lda: 1, b: [1, 2], ldb: 2,
            beta: 0, c: &c, ldc: 2)
        #expect(c == [3, 6])
    }
}
