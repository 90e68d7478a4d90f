extension Graph {
    /// The sum of all elements (1×1).
    public func sum(_ x: Tensor) -> Tensor {
        let out = record(rows: 1, cols: 1, requiresGrad: requiresGrad(x))
        let xv = value(x)
        var s: Double = 0
        for i in 0..<x.count { s += Double(xv[i]) }
        value(out).pointee = Float(s)
        onBackward(out) { g in
            let d = g.grad(out).pointee
            let dx = g.grad(x)
            for i in 0..<x.count { dx[i] += d }
        }
        return out
    }

    /// The mean of all elements (1×1).
    public func mean(_ x: Tensor) -> Tensor { scale(sum(x), 1 / Float(x.count)) }

    /// Row sums: rows×1.
    public func sumColumns(_ x: Tensor) -> Tensor {
        let out = record(rows: x.rows, cols: 1, requiresGrad: requiresGrad(x))
        let xv = value(x)
        let ov = value(out)
        for i in 0..<x.rows {
            var s: Float = 0
            for j in 0..<x.cols { s += xv[i * x.cols + j] }
            ov[i] = s
        }
        onBackward(out) { g in
            let d = g.grad(out)
            let dx = g.grad(x)
            for i in 0..<x.rows {
                for j in 0..<x.cols { dx[i * x.cols + j] += d[i] }
            }
        }
        return out
    }

    /// Per-row dot products of two same-shaped tensors: rows×1.
    public func rowDot(_ a: Tensor, _ b: Tensor) -> Tensor {
        precondition(a.rows == b.rows && a.cols == b.cols, "rowDot: shapes differ")
        let out = record(rows: a.rows, cols: 1, requiresGrad: anyRequiresGrad(a, b))
        let av = value(a)
        let bv = value(b)
        let ov = value(out)
        let n = a.cols
        for i in 0..<a.rows { ov[i] = Kernels.dot(av + i * n, bv + i * n, count: n) }
        onBackward(out) { g in
            let d = g.grad(out)
            if g.requiresGrad(a) {
                let da = g.grad(a)
                for i in 0..<a.rows { Kernels.axpy(d[i], bv + i * n, into: da + i * n, count: n) }
            }
            if g.requiresGrad(b) {
                let db = g.grad(b)
                for i in 0..<a.rows { Kernels.axpy(d[i], av + i * n, into: db + i * n, count: n) }
            }
        }
        return out
    }

    /// Groups of `length` consecutive rows summed with per-row weights: `x` is (n·length)×d, `weights` (n·length)×1,
    /// the result n×d with row i = Σ_t weights[i·length+t] · x[i·length+t]. Used for attention pooling.
    public func weightedSumRows(_ x: Tensor, weights: Tensor, length: Int) -> Tensor {
        precondition(x.rows % length == 0 && weights.rows == x.rows && weights.cols == 1, "weightedSumRows: bad shapes")
        let n = x.rows / length
        let d = x.cols
        let out = record(rows: n, cols: d, requiresGrad: anyRequiresGrad(x, weights))
        let xv = value(x)
        let wv = value(weights)
        let ov = value(out)
        ov.initialize(repeating: 0, count: n * d)
        for i in 0..<n {
            for t in 0..<length {
                let r = i * length + t
                Kernels.axpy(wv[r], xv + r * d, into: ov + i * d, count: d)
            }
        }
        onBackward(out) { g in
            let dOut = g.grad(out)
            let dx = g.requiresGrad(x) ? g.grad(x) : nil
            let dw = g.requiresGrad(weights) ? g.grad(weights) : nil
            for i in 0..<n {
                for t in 0..<length {
                    let r = i * length + t
                    if let dx { Kernels.axpy(wv[r], dOut + i * d, into: dx + r * d, count: d) }
                    if let dw { dw[r] += Kernels.dot(dOut + i * d, xv + r * d, count: d) }
                }
            }
        }
        return out
    }
}
