import SparrowTensor

/// Alternating least squares for implicit feedback (Hu, Koren & Volinsky 2008): preference 1 for observed pairs and 0
/// otherwise, confidence `confidence` for observed pairs and 1 for the rest (the paper's 1 + α·r; `implicit` passes
/// α·r here, so its default α = 1 means confidence 1), and each half-step solves the regularised weighted least
/// squares per user (item) with a few conjugate-gradient steps from the previous solution.
public struct ImplicitALS: Sendable {
    /// Factor width (64 in the reference run).
    public var factors = 64
    /// L2 regularisation (0.05 in the reference run).
    public var regularization: Float = 0.05
    /// Confidence of an observed pair (unobserved pairs have 1): 2 is the paper's 1 + α with α = 1.
    public var confidence: Float = 2
    /// Full iterations (15).
    public var iterations = 15
    /// Conjugate-gradient steps per solve.
    public var cgSteps = 3
    /// Seed of the initial factors.
    public var seed: UInt64 = 1

    /// The defaults of the reference run.
    public init() {}

    /// Fits user and item factors.
    public func fit(_ matrix: InteractionMatrix) -> FactorModel {
        var rng = SeededGeneratorLite(seed: seed)
        let k = factors
        var users = (0..<(matrix.users * k)).map { _ in rng.unit() * 0.01 }
        var items = (0..<(matrix.items * k)).map { _ in rng.unit() * 0.01 }
        let transposed = matrix.transposed
        for _ in 0..<iterations {
            solve(&users, fixed: items, matrix: matrix)
            solve(&items, fixed: users, matrix: transposed)
        }
        return FactorModel(factors: k, userFactors: users, itemFactors: items, itemBias: [])
    }

    /// One half-step: every row of `x` given the fixed factors `y`.
    func solve(_ x: inout [Float], fixed y: [Float], matrix: InteractionMatrix) {
        let k = factors
        // YᵀY + λI.
        var yty = [Float](repeating: 0, count: k * k)
        let rows = y.count / k
        y.withUnsafeBufferPointer { yp in
            yty.withUnsafeMutableBufferPointer { out in
                Kernels.gemm(
                    transposeA: true, transposeB: false, m: k, n: k, k: rows, alpha: 1, a: yp.baseAddress!, lda: k,
                    b: yp.baseAddress!, ldb: k, beta: 0, c: out.baseAddress!, ldc: k)
            }
        }
        for f in 0..<k { yty[f * k + f] += regularization }
        let confidence = self.confidence
        var r = [Float](repeating: 0, count: k)
        var p = [Float](repeating: 0, count: k)
        var ap = [Float](repeating: 0, count: k)
        x.withUnsafeMutableBufferPointer { xs in
            y.withUnsafeBufferPointer { ys in
                for u in 0..<matrix.users {
                    let xu = xs.baseAddress! + u * k
                    let observed = matrix.items(of: u)
                    // r = b − A·x with A = YᵀY + λI + Σᵢ (c−1) yᵢyᵢᵀ and b = Σᵢ c·yᵢ.
                    for a in 0..<k {
                        var s: Float = 0
                        for b in 0..<k { s += yty[a * k + b] * xu[b] }
                        r[a] = -s
                    }
                    for i in observed {
                        let yi = ys.baseAddress! + Int(i) * k
                        let dot = Kernels.dot(yi, xu, count: k)
                        let coefficient = confidence - (confidence - 1) * dot
                        for a in 0..<k { r[a] += coefficient * yi[a] }
                    }
                    p = r
                    var rsOld = r.reduce(0) { $0 + $1 * $1 }
                    if rsOld < 1e-20 { continue }
                    for _ in 0..<cgSteps {
                        for a in 0..<k {
                            var s: Float = 0
                            for b in 0..<k { s += yty[a * k + b] * p[b] }
                            ap[a] = s
                        }
                        for i in observed {
                            let yi = ys.baseAddress! + Int(i) * k
                            var dot: Float = 0
                            for a in 0..<k { dot += yi[a] * p[a] }
                            let w = (confidence - 1) * dot
                            for a in 0..<k { ap[a] += w * yi[a] }
                        }
                        var pAp: Float = 0
                        for a in 0..<k { pAp += p[a] * ap[a] }
                        guard pAp > 0 else { break }
                        let step = rsOld / pAp
                        for a in 0..<k {
                            xu[a] += step * p[a]
                            r[a] -= step * ap[a]
                        }
                        let rsNew = r.reduce(0) { $0 + $1 * $1 }
                        if rsNew < 1e-20 { break }
                        for a in 0..<k { p[a] = r[a] + (rsNew / rsOld) * p[a] }
                        rsOld = rsNew
                    }
                }
            }
        }
    }
}
