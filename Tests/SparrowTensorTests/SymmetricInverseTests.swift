import Testing

@testable import SparrowTensor

@Suite("Blocked Gauss–Jordan inverse of symmetric positive-definite matrices")
struct SymmetricInverseTests {
    /// A = MᵀM + 5I for a seeded M (n × n).
    static func spd(_ n: Int, seed: UInt64) -> [Float] {
        var rng = SeededGeneratorLite(seed: seed)
        let m = (0..<(n * n)).map { _ in rng.unit() - 0.5 }
        var a = [Float](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n {
                var s: Float = 0
                for k in 0..<n { s += m[k * n + i] * m[k * n + j] }
                a[i * n + j] = s + (i == j ? 5 : 0)
            }
        }
        return a
    }

    @Test(
        "A·A⁻¹ = I for sizes that are and are not multiples of the block",
        arguments: [(1, 4), (7, 4), (150, 32), (96, 32)])
    func identity(n: Int, block: Int) throws {
        let a = Self.spd(n, seed: UInt64(n))
        var inverse = a
        try SymmetricInverse.invert(&inverse, n: n, block: block, threads: 2)
        var worst: Float = 0
        for i in 0..<n {
            for j in 0..<n {
                var s: Float = 0
                for k in 0..<n { s += a[i * n + k] * inverse[k * n + j] }
                worst = max(worst, abs(s - (i == j ? 1 : 0)))
            }
        }
        #expect(worst < 1e-4, "largest deviation from the identity: \(worst)")
    }

    @Test("a 2×2 case by hand: [[4, 2], [2, 3]]⁻¹ = [[3, −2], [−2, 4]] / 8")
    func handCase() throws {
        var a: [Float] = [4, 2, 2, 3]
        try SymmetricInverse.invert(&a, n: 2, block: 1)
        let expected: [Float] = [0.375, -0.25, -0.25, 0.5]
        #expect(zip(a, expected).allSatisfy { abs($0 - $1) < 1e-6 })
    }

    @Test("only the lower triangle is read")
    func lowerTriangle() throws {
        let n = 70
        let a = Self.spd(n, seed: 9)
        var garbled = a
        for i in 0..<n { for j in (i + 1)..<n { garbled[i * n + j] = 1e6 } }
        var x = a
        try SymmetricInverse.invert(&x, n: n, block: 16)
        try SymmetricInverse.invert(&garbled, n: n, block: 16)
        #expect(x == garbled)
        #expect((0..<n).allSatisfy { i in (0..<n).allSatisfy { j in x[i * n + j] == x[j * n + i] } }, "symmetric")
    }

    @Test("a matrix that is not positive definite is refused with the failing row")
    func notPositiveDefinite() {
        var a: [Float] = [1, 2, 2, 1]  // eigenvalues 3 and −1
        #expect(throws: SymmetricInverse.Failure.notPositiveDefinite(row: 1, pivot: -3)) {
            try SymmetricInverse.invert(&a, n: 2, block: 1)
        }
    }
}
