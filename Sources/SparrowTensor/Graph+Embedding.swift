extension Graph {
    /// Rows `ids` of `table` (n×dim). The gradient is scattered back into the touched rows only.
    public func embedding(_ table: EmbeddingTable, ids: [Int32]) -> Tensor {
        let d = table.dim
        let out = record(rows: ids.count, cols: d, requiresGrad: true)
        let ov = value(out)
        let tv = table.value.baseAddress!
        for (i, id) in ids.enumerated() {
            precondition(id >= 0 && Int(id) < table.rows, "embedding \(table.name): id \(id) outside 0..<\(table.rows)")
            (ov + i * d).update(from: tv + Int(id) * d, count: d)
        }
        onBackward(out) { g in
            let dOut = g.grad(out)
            for (i, id) in ids.enumerated() { table.accumulate(row: Int(id), dOut + i * d) }
        }
        return out
    }

    /// Weighted sums of embedding rows ("embedding bag"): row i = Σ_t weights[i·k+t] · table[ids[i·k+t]], for
    /// multi-hot features (genres) and pooled histories. A weight of 0 marks padding: it contributes nothing and gets
    /// no gradient.
    public func embeddingBag(_ table: EmbeddingTable, ids: [Int32], weights: [Float], bagSize k: Int) -> Tensor {
        precondition(
            ids.count == weights.count && ids.count % k == 0, "embeddingBag: ids, weights and bag size disagree")
        let n = ids.count / k
        let d = table.dim
        let out = record(rows: n, cols: d, requiresGrad: true)
        let ov = value(out)
        ov.initialize(repeating: 0, count: n * d)
        let tv = table.value.baseAddress!
        for i in 0..<n {
            for t in 0..<k where weights[i * k + t] != 0 {
                let id = Int(ids[i * k + t])
                precondition(
                    id >= 0 && id < table.rows, "embeddingBag \(table.name): id \(id) outside 0..<\(table.rows)")
                Kernels.axpy(weights[i * k + t], tv + id * d, into: ov + i * d, count: d)
            }
        }
        onBackward(out) { g in
            let dOut = g.grad(out)
            for i in 0..<n {
                for t in 0..<k where weights[i * k + t] != 0 {
                    table.accumulate(row: Int(ids[i * k + t]), dOut + i * d, scale: weights[i * k + t])
                }
            }
        }
        return out
    }
}
