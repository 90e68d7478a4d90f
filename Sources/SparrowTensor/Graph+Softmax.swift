import Foundation

extension Graph {
    /// Softmax over each row's columns where `mask` is true; masked positions get exactly 0 weight and no gradient.
    /// A row with no unmasked position is all zeros.
    ///
    /// - Parameter mask: rows×cols flags (row-major), or `nil` for none.
    public func softmax(_ x: Tensor, mask: [Bool]? = nil) -> Tensor {
        if let mask {
            precondition(mask.count == x.count, "softmax: mask has \(mask.count) flags for \(x.count) values")
        }
        let out = record(rows: x.rows, cols: x.cols, requiresGrad: requiresGrad(x))
        let xv = value(x)
        let ov = value(out)
        let n = x.cols
        for i in 0..<x.rows {
            var peak = -Float.infinity
            for j in 0..<n where mask?[i * n + j] ?? true { peak = max(peak, xv[i * n + j]) }
            var total: Float = 0
            for j in 0..<n {
                let on = mask?[i * n + j] ?? true
                let e = on ? exp(xv[i * n + j] - peak) : 0
                ov[i * n + j] = e
                total += e
            }
            let inv = total > 0 ? 1 / total : 0
            for j in 0..<n { ov[i * n + j] *= inv }
        }
        onBackward(out) { g in
            let d = g.grad(out)
            let dx = g.grad(x)
            for i in 0..<x.rows {
                var s: Float = 0
                for j in 0..<n { s += d[i * n + j] * ov[i * n + j] }
                for j in 0..<n { dx[i * n + j] += ov[i * n + j] * (d[i * n + j] - s) }
            }
        }
        return out
    }
}
