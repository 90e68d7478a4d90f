import CSparrowKernels
import Dispatch
import Foundation

extension Graph {
    /// Rows `ids` of the matrix `x` (n×cols); the gradient is added back into those rows of x.
    public func gatherRows(_ x: Tensor, ids: [Int32]) -> Tensor {
        let d = x.cols
        let out = record(rows: ids.count, cols: d, requiresGrad: requiresGrad(x))
        let xv = value(x)
        let ov = value(out)
        for (i, id) in ids.enumerated() {
            precondition(id >= 0 && Int(id) < x.rows, "gatherRows: row \(id) outside 0..<\(x.rows)")
            (ov + i * d).update(from: xv + Int(id) * d, count: d)
        }
        onBackward(out) { g in
            let dOut = g.grad(out)
            let dx = g.grad(x)
            for (i, id) in ids.enumerated() { Kernels.add(dOut + i * d, into: dx + Int(id) * d, count: d) }
        }
        return out
    }

    /// Mean softmax cross-entropy of scoring every row of `table` (V×d) against each row of `hidden` (N×d): row i's
    /// loss is −log softmax(hidden_i · tableᵀ)[targets[i]] — a full softmax over a whole vocabulary, as for next-item
    /// prediction over the catalogue.
    ///
    /// Fused: each chunk of `chunk` rows has its logits computed, turned into the loss and, when a gradient is needed,
    /// at once into `softmax − onehot` and multiplied into the gradients of `hidden` and `table` — while the chunk's
    /// logits are still in cache (N×V logits never go to memory). The backward pass only scales those. Chunks are
    /// spread over `threads`, each with its own table-gradient accumulator.
    /// - Complexity: 2·N·V·d flops without a gradient, 6·N·V·d with; chunk·V floats of scratch per thread.
    public func tableSoftmaxCrossEntropy(
        hidden: Tensor, table: Tensor, targets: [Int32], chunk: Int = 64, threads: Int = 2
    ) -> Tensor {
        precondition(hidden.cols == table.cols, "tableSoftmaxCrossEntropy: widths differ")
        precondition(targets.count == hidden.rows && !targets.isEmpty, "tableSoftmaxCrossEntropy: one target per row")
        precondition(chunk > 0 && threads > 0)
        let n = hidden.rows
        let vocabulary = table.rows
        let d = hidden.cols
        for t in targets {
            precondition(
                t >= 0 && Int(t) < vocabulary, "tableSoftmaxCrossEntropy: target \(t) outside 0..<\(vocabulary)")
        }
        let out = record(rows: 1, cols: 1, requiresGrad: anyRequiresGrad(hidden, table))
        // Chunks no longer than an even share per thread, so the threads get equal work on small batches.
        let share = min(chunk, max(1, (n + threads - 1) / threads))
        let workers = max(1, min(threads, (n + share - 1) / share))
        let needHidden = requiresGrad(hidden)
        let needTable = requiresGrad(table)
        let dHidden = needHidden ? arena.allocate(n * d) : nil
        let dTables = needTable ? arena.allocate(workers * vocabulary * d) : nil
        dTables?.initialize(repeating: 0, count: workers * vocabulary * d)
        let logSums = arena.allocate(n)
        // The table transposed once (d×V), so every product below runs on the broadcast kernel without repacking.
        let transposed = arena.allocate(vocabulary * d)
        transposed.initialize(repeating: 0, count: vocabulary * d)
        Kernels.addTransposed(1, value(table), rows: vocabulary, cols: d, into: transposed)
        TableSoftmaxShards(
            hidden: value(hidden), table: value(table), transposed: transposed, targets: targets, rows: n,
            vocabulary: vocabulary, dim: d, chunk: share, threads: workers, logSums: logSums, dHidden: dHidden,
            dTables: dTables
        ).run()
        var loss: Double = 0
        let hv = value(hidden)
        let tv = value(table)
        for i in 0..<n { loss += Double(logSums[i] - Kernels.dot(hv + i * d, tv + Int(targets[i]) * d, count: d)) }
        value(out).pointee = Float(loss / Double(n))
        onBackward(out) { g in
            let scale = g.grad(out).pointee / Float(n)
            if let dHidden { Kernels.axpy(scale, dHidden, into: g.grad(hidden), count: n * d) }
            if let dTables {
                // Each thread's accumulator is d×V: sum them, then add the transpose.
                for w in 1..<max(1, workers) {
                    Kernels.add(dTables + w * vocabulary * d, into: dTables, count: vocabulary * d)
                }
                Kernels.addTransposed(scale, dTables, rows: d, cols: vocabulary, into: g.grad(table))
            }
        }
        return out
    }
}

/// The fused chunk passes of `tableSoftmaxCrossEntropy`, chunk c on thread c mod `threads` (each thread its own
/// logits scratch and table-gradient accumulator).
struct TableSoftmaxShards: @unchecked Sendable {
    let hidden: UnsafeMutablePointer<Float>
    let table: UnsafeMutablePointer<Float>
    /// The table transposed (d×V).
    let transposed: UnsafeMutablePointer<Float>
    let targets: [Int32]
    let rows: Int
    let vocabulary: Int
    let dim: Int
    let chunk: Int
    let threads: Int
    /// Out: each row's log-sum-exp.
    let logSums: UnsafeMutablePointer<Float>
    /// Out, when given: (softmax − onehot)·table (N×d) and, per thread, hiddenᵀ·(softmax − onehot) (d×V), unscaled.
    let dHidden: UnsafeMutablePointer<Float>?
    let dTables: UnsafeMutablePointer<Float>?

    /// Fills the outputs, chunk by chunk.
    func run() {
        let chunks = (rows + chunk - 1) / chunk
        let gradient = dHidden != nil || dTables != nil
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            let z = UnsafeMutablePointer<Float>.allocate(capacity: chunk * vocabulary)
            defer { z.deallocate() }
            for c in stride(from: t, to: chunks, by: threads) {
                let r = (c * chunk)..<min(rows, (c + 1) * chunk)
                Kernels.gemm(
                    transposeA: false, transposeB: false, m: r.count, n: vocabulary, k: dim, alpha: 1,
                    a: hidden + r.lowerBound * dim, lda: dim, b: transposed, ldb: vocabulary, beta: 0, c: z,
                    ldc: vocabulary)
                for i in r {
                    let row = z + (i - r.lowerBound) * vocabulary
                    logSums[i] = sparrow_log_sum_exp(row, Int32(vocabulary))
                    if gradient {
                        sparrow_exp_shift_scale(row, Int32(vocabulary), logSums[i], 1)
                        row[Int(targets[i])] -= 1
                    }
                }
                if let dHidden {
                    Kernels.gemm(
                        transposeA: false, transposeB: false, m: r.count, n: dim, k: vocabulary, alpha: 1, a: z,
                        lda: vocabulary, b: table, ldb: dim, beta: 0, c: dHidden + r.lowerBound * dim, ldc: dim)
                }
                if let dTables {
                    Kernels.gemm(
                        transposeA: true, transposeB: false, m: dim, n: vocabulary, k: r.count, alpha: 1,
                        a: hidden + r.lowerBound * dim, lda: dim, b: z, ldb: vocabulary, beta: 1,
                        c: dTables + t * vocabulary * dim, ldc: vocabulary)
                }
            }
        }
    }
}
