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
    /// prediction over the catalogue. Both passes work on `chunk` rows at a time on the GEMM kernel; the N×V logits
    /// are kept for the backward pass when they fit in `cacheLimit` floats, and recomputed otherwise.
    /// - Complexity: 4·N·V·d flops (6 when recomputing), min(N·V, chunk·V·threads) floats of scratch.
    public func tableSoftmaxCrossEntropy(
        hidden: Tensor, table: Tensor, targets: [Int32], chunk: Int = 512, threads: Int = 2,
        cacheLimit: Int = 16 << 20
    ) -> Tensor {
        precondition(hidden.cols == table.cols, "tableSoftmaxCrossEntropy: widths differ")
        precondition(targets.count == hidden.rows && !targets.isEmpty, "tableSoftmaxCrossEntropy: one target per row")
        let n = hidden.rows
        let vocabulary = table.rows
        let d = hidden.cols
        for t in targets {
            precondition(
                t >= 0 && Int(t) < vocabulary, "tableSoftmaxCrossEntropy: target \(t) outside 0..<\(vocabulary)")
        }
        let out = record(rows: 1, cols: 1, requiresGrad: anyRequiresGrad(hidden, table))
        let shared = TableSoftmaxShards(
            hidden: value(hidden), table: value(table), targets: targets, rows: n, vocabulary: vocabulary, dim: d,
            chunk: chunk, threads: max(1, min(threads, (n + chunk - 1) / chunk)),
            cache: n * vocabulary <= cacheLimit ? arena.allocate(n * vocabulary) : nil)
        let logSums = arena.allocate(n)
        shared.forward(logSums: logSums)
        var loss: Double = 0
        let hv = value(hidden)
        let tv = value(table)
        for i in 0..<n { loss += Double(logSums[i] - Kernels.dot(hv + i * d, tv + Int(targets[i]) * d, count: d)) }
        value(out).pointee = Float(loss / Double(n))
        onBackward(out) { g in
            let scale = g.grad(out).pointee / Float(n)
            shared.backward(
                logSums: logSums, scale: scale, dHidden: g.requiresGrad(hidden) ? g.grad(hidden) : nil,
                dTable: g.requiresGrad(table) ? g.grad(table) : nil)
        }
        return out
    }
}

/// The chunked passes of `tableSoftmaxCrossEntropy`, split over threads by chunk (each thread its own logits
/// scratch and, for the table's gradient, its own accumulator, summed at the end).
struct TableSoftmaxShards: @unchecked Sendable {
    let hidden: UnsafeMutablePointer<Float>
    let table: UnsafeMutablePointer<Float>
    let targets: [Int32]
    let rows: Int
    let vocabulary: Int
    let dim: Int
    let chunk: Int
    let threads: Int
    /// All N×V logits, when they fit (filled by the forward pass, consumed by the backward pass).
    let cache: UnsafeMutablePointer<Float>?

    /// Rows of chunk c.
    func range(_ c: Int) -> Range<Int> { (c * chunk)..<min(rows, (c + 1) * chunk) }

    var chunks: Int { (rows + chunk - 1) / chunk }

    /// logits = hidden[rows] · tableᵀ into `z`.
    func logits(_ r: Range<Int>, into z: UnsafeMutablePointer<Float>) {
        Kernels.gemm(
            transposeA: false, transposeB: true, m: r.count, n: vocabulary, k: dim, alpha: 1,
            a: hidden + r.lowerBound * dim,
            lda: dim, b: table, ldb: dim, beta: 0, c: z, ldc: vocabulary)
    }

    /// Runs `body(rows, logits, thread)` for every chunk, the chunks spread over the threads: the chunk's logits
    /// are in the cache (computed there when `fill`), or computed into the thread's own scratch.
    func forEachChunk(fill: Bool, _ body: (Range<Int>, UnsafeMutablePointer<Float>, Int) -> Void) {
        withoutActuallyEscaping(body) { body in
            let shared = Body(run: body)
            DispatchQueue.concurrentPerform(iterations: threads) { t in
                let scratch = cache == nil ? UnsafeMutablePointer<Float>.allocate(capacity: chunk * vocabulary) : nil
                defer { scratch?.deallocate() }
                for c in stride(from: t, to: chunks, by: threads) {
                    let r = range(c)
                    let z = cache.map { $0 + r.lowerBound * vocabulary } ?? scratch!
                    if fill || cache == nil { logits(r, into: z) }
                    shared.run(r, z, t)
                }
            }
        }
    }

    struct Body: @unchecked Sendable { let run: (Range<Int>, UnsafeMutablePointer<Float>, Int) -> Void }

    func forward(logSums: UnsafeMutablePointer<Float>) {
        forEachChunk(fill: true) { r, z, _ in
            for i in r { logSums[i] = sparrow_log_sum_exp(z + (i - r.lowerBound) * vocabulary, Int32(vocabulary)) }
        }
    }

    func backward(
        logSums: UnsafeMutablePointer<Float>, scale: Float, dHidden: UnsafeMutablePointer<Float>?,
        dTable: UnsafeMutablePointer<Float>?
    ) {
        let partials = (0..<threads).map { t -> UnsafeMutablePointer<Float>? in
            guard let dTable else { return nil }
            if t == 0 { return dTable }
            let p = UnsafeMutablePointer<Float>.allocate(capacity: vocabulary * dim)
            p.initialize(repeating: 0, count: vocabulary * dim)
            return p
        }
        forEachChunk(fill: false) { r, z, t in
            // dLogits = (softmax − onehot) · scale.
            for i in r {
                let row = z + (i - r.lowerBound) * vocabulary
                sparrow_exp_shift_scale(row, Int32(vocabulary), logSums[i], scale)
                row[Int(targets[i])] -= scale
            }
            if let dHidden {
                Kernels.gemm(
                    transposeA: false, transposeB: false, m: r.count, n: dim, k: vocabulary, alpha: 1, a: z,
                    lda: vocabulary, b: table, ldb: dim, beta: 1, c: dHidden + r.lowerBound * dim, ldc: dim)
            }
            if let partial = partials[t] {
                Kernels.gemm(
                    transposeA: true, transposeB: false, m: vocabulary, n: dim, k: r.count, alpha: 1, a: z,
                    lda: vocabulary, b: hidden + r.lowerBound * dim, ldb: dim, beta: 1, c: partial, ldc: dim)
            }
        }
        if let dTable {
            for t in 1..<threads {
                if let p = partials[t] {
                    Kernels.add(p, into: dTable, count: vocabulary * dim)
                    p.deallocate()
                }
            }
        }
    }
}
