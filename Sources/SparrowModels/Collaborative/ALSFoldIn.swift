import CSparrowKernels
import SparrowTensor

/// Implicit-ALS scores for any history, known user or not: the user's factors are solved exactly from the fixed item
/// factors (the same weighted least squares as an ALS half-step: (YᵀY + λI + (c−1)·Σᵢ yᵢyᵢᵀ)·x = c·Σᵢ yᵢ), so a
/// rating posted a moment ago or a brand-new user is folded in at once.
public struct ALSFoldIn: Sendable {
    /// Factor width.
    public let factors: Int
    /// Item factors, row-major `catalog × factors`.
    public let itemFactors: [Float]
    /// YᵀY + λI, in double precision.
    let gram: [Double]
    /// Confidence of an observed pair.
    public let confidence: Float
    /// L2 regularisation.
    public let regularization: Float

    /// Prepares fold-in for item factors fitted by `ImplicitALS` with these settings.
    public init(factors: Int, itemFactors: [Float], confidence: Float, regularization: Float) {
        precondition(factors > 0 && itemFactors.count % factors == 0)
        self.factors = factors
        self.itemFactors = itemFactors
        self.confidence = confidence
        self.regularization = regularization
        let k = factors
        var g = [Double](repeating: 0, count: k * k)
        let rows = itemFactors.count / k
        for r in 0..<rows {
            for a in 0..<k {
                let ya = Double(itemFactors[r * k + a])
                if ya == 0 { continue }
                for b in 0..<k { g[a * k + b] += ya * Double(itemFactors[r * k + b]) }
            }
        }
        for f in 0..<k { g[f * k + f] += Double(regularization) }
        gram = g
    }

    /// The user factors for a weighted history (weight 1 = observed).
    /// - Complexity: O(h·k² + k³); the h·k² part is one matrix product on the kernels (Σ (c−1)wᵢ·yᵢyᵢᵀ = Yᵀ·(DY)).
    public func userFactors(_ history: [(item: Int32, weight: Float)]) -> [Float] {
        let k = factors
        var a = gram
        var b = [Double](repeating: 0, count: k)
        let observed = history.filter { $0.weight > 0 }
        let h = observed.count
        var y = [Float](repeating: 0, count: h * k)
        var scaled = [Float](repeating: 0, count: h * k)
        for (r, (item, w)) in observed.enumerated() {
            let row = Int(item) * k
            let extra = (confidence - 1) * w
            for i in 0..<k {
                let yi = itemFactors[row + i]
                b[i] += Double(confidence * w) * Double(yi)
                y[r * k + i] = yi
                scaled[r * k + i] = extra * yi
            }
        }
        if h > 0 {
            var outer = [Float](repeating: 0, count: k * k)
            Kernels.gemm(
                transposeA: true, transposeB: false, m: k, n: k, k: h, alpha: 1, a: y, lda: k, b: scaled, ldb: k,
                beta: 0, c: &outer, ldc: k)
            for i in 0..<(k * k) { a[i] += Double(outer[i]) }
        }
        // Cholesky A = LLᵀ (A is positive definite: λ > 0), then two triangular solves.
        for j in 0..<k {
            var d = a[j * k + j]
            for p in 0..<j { d -= a[j * k + p] * a[j * k + p] }
            let l = d > 0 ? d.squareRoot() : 1e-12
            a[j * k + j] = l
            for i in (j + 1)..<max(j + 1, k) {
                var s = a[i * k + j]
                for p in 0..<j { s -= a[i * k + p] * a[j * k + p] }
                a[i * k + j] = s / l
            }
        }
        for i in 0..<k {
            var s = b[i]
            for p in 0..<i { s -= a[i * k + p] * b[p] }
            b[i] = s / a[i * k + i]
        }
        for i in stride(from: k - 1, through: 0, by: -1) {
            var s = b[i]
            for p in (i + 1)..<max(i + 1, k) { s -= a[p * k + i] * b[p] }
            b[i] = s / a[i * k + i]
        }
        return b.map(Float.init)
    }

    /// Scores over the catalog: item factors · the folded-in user factors.
    public func scores(_ history: [(item: Int32, weight: Float)]) -> [Float] { scores([history])[0] }

    /// `scores(_:)` of several histories, each the same as alone: the item factors are read once for the batch.
    /// - Complexity: O(Σ h·k² + histories × (k³ + catalogue × k)).
    public func scores(_ histories: [[(item: Int32, weight: Float)]]) -> [[Float]] {
        let rows = itemFactors.count / factors
        let x = histories.flatMap(userFactors)
        var out = [Float](repeating: 0, count: histories.count * rows)
        sparrow_matvec_rows_many(Int32(rows), Int32(factors), itemFactors, Int32(histories.count), x, &out)
        return histories.indices.map { Array(out[($0 * rows)..<(($0 + 1) * rows)]) }
    }
}
