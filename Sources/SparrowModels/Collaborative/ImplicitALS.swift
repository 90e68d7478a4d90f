import CSparrowKernels
import Dispatch
import SparrowCore
import SparrowTensor

/// Alternating least squares for implicit feedback (Hu, Koren & Volinsky 2008): preference 1 for observed pairs and 0
/// otherwise, confidence `confidence` for observed pairs and 1 for the rest (the paper's 1 + α·r; `implicit` passes
/// α·r here, so its default α = 1 means confidence 1), and each half-step solves the regularised weighted least
/// squares per user (item) with a few conjugate-gradient steps from the previous solution.
public struct ImplicitALS: Sendable {
    /// Factor width (64 in the reference run).
    public var factors = 64
    /// L2 regularisation (the reference run's).
    public var regularization: Float = 0.05
    /// Confidence of an observed pair (unobserved pairs have 1): 2 is the paper's 1 + α with α = 1.
    public var confidence: Float = 2
    /// Full iterations (15).
    public var iterations = 15
    /// Conjugate-gradient steps per solve.
    public var cgSteps = 3
    /// Seed of the initial factors.
    public var seed: UInt64 = 1
    /// Threads each half-step's rows are shared among (the factors do not depend on it).
    public var threads = 2

    /// The defaults of the reference run.
    public init() {}

    /// Fits user and item factors; progress lines (`ProgressLine`, by iterations) go to `log`.
    public func fit(_ matrix: InteractionMatrix, log: (String) -> Void = { _ in }) -> FactorModel {
        var rng = SeededGeneratorLite(seed: seed)
        let k = factors
        var users = (0..<(matrix.users * k)).map { _ in rng.unit() * 0.01 }
        var items = (0..<(matrix.items * k)).map { _ in rng.unit() * 0.01 }
        let transposed = matrix.transposed
        var progress = ProgressLine("als iterations", total: iterations)
        for iteration in 0..<iterations {
            if let line = progress.due(done: iteration) { log(line) }
            solve(&users, fixed: items, matrix: matrix)
            solve(&items, fixed: users, matrix: transposed)
        }
        return FactorModel(factors: k, userFactors: users, itemFactors: items, itemBias: [])
    }

    /// One half-step: every row of `x` given the fixed factors `y`, rows shared among `threads` threads in
    /// interleaved blocks (each row's solve depends only on its own row and `y`: the result is the same for any
    /// number of threads).
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
        let block = 256
        let blocks = (matrix.users + block - 1) / block
        guard blocks > 0 else { return }
        let threads = max(1, min(self.threads, blocks))
        let (users, confidence, steps) = (matrix.users, confidence, Int32(cgSteps))
        // An empty matrix's item array has no storage: the kernel reads none of it then.
        let items = matrix.userItems.isEmpty ? [Int32(0)] : matrix.userItems
        x.withUnsafeMutableBufferPointer { xs in
            y.withUnsafeBufferPointer { ys in
                yty.withUnsafeBufferPointer { g in
                    matrix.userStart.withUnsafeBufferPointer { start in
                        items.withUnsafeBufferPointer { observed in
                            let rows = HalfStep(
                                x: xs.baseAddress!, y: ys.baseAddress!, yty: g.baseAddress!,
                                start: start.baseAddress!, items: observed.baseAddress!)
                            DispatchQueue.concurrentPerform(iterations: threads) { t in
                                var work = [Float](repeating: 0, count: 3 * k)
                                for b in stride(from: t, to: blocks, by: threads) {
                                    sparrow_als_solve_rows(
                                        Int32(b * block), Int32(min(users, (b + 1) * block)), Int32(k), rows.yty,
                                        rows.y, rows.start, rows.items, confidence, steps, rows.x, &work)
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// The buffers of one half-step, shared by its threads (each writes only its own rows of `x`).
    private struct HalfStep: @unchecked Sendable {
        let x: UnsafeMutablePointer<Float>
        let y: UnsafePointer<Float>
        let yty: UnsafePointer<Float>
        let start: UnsafePointer<Int>
        let items: UnsafePointer<Int32>
    }
}
