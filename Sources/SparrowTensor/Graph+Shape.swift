extension Graph {
    /// Concatenates tensors with the same number of rows side by side (along columns).
    public func concat(_ parts: [Tensor]) -> Tensor {
        precondition(!parts.isEmpty, "concat: nothing to concatenate")
        let rows = parts[0].rows
        precondition(parts.allSatisfy { $0.rows == rows }, "concat: row counts differ \(parts.map(\.rows))")
        let cols = parts.reduce(0) { $0 + $1.cols }
        let out = record(rows: rows, cols: cols, requiresGrad: parts.contains { requiresGrad($0) })
        let ov = value(out)
        var offset = 0
        for p in parts {
            let pv = value(p)
            for i in 0..<rows {
                (ov + i * cols + offset).update(from: pv + i * p.cols, count: p.cols)
            }
            offset += p.cols
        }
        onBackward(out) { g in
            let d = g.grad(out)
            var offset = 0
            for p in parts {
                if g.requiresGrad(p) {
                    let dp = g.grad(p)
                    for i in 0..<rows {
                        Kernels.add(d + i * cols + offset, into: dp + i * p.cols, count: p.cols)
                    }
                }
                offset += p.cols
            }
        }
        return out
    }

    /// Columns `from..<to` of `x`.
    public func sliceColumns(_ x: Tensor, _ from: Int, _ to: Int) -> Tensor {
        precondition(0 <= from && from < to && to <= x.cols, "sliceColumns: \(from)..<\(to) outside 0..<\(x.cols)")
        let width = to - from
        let out = record(rows: x.rows, cols: width, requiresGrad: requiresGrad(x))
        let xv = value(x)
        let ov = value(out)
        for i in 0..<x.rows { (ov + i * width).update(from: xv + i * x.cols + from, count: width) }
        onBackward(out) { g in
            let d = g.grad(out)
            let dx = g.grad(x)
            for i in 0..<x.rows { Kernels.add(d + i * width, into: dx + i * x.cols + from, count: width) }
        }
        return out
    }

    /// Rows `from..<to` of `x`.
    public func sliceRows(_ x: Tensor, _ from: Int, _ to: Int) -> Tensor {
        precondition(0 <= from && from < to && to <= x.rows, "sliceRows: \(from)..<\(to) outside 0..<\(x.rows)")
        let n = (to - from) * x.cols
        let out = record(rows: to - from, cols: x.cols, requiresGrad: requiresGrad(x))
        value(out).update(from: value(x) + from * x.cols, count: n)
        onBackward(out) { g in Kernels.add(g.grad(out), into: g.grad(x) + from * x.cols, count: n) }
        return out
    }

    /// The same values seen as `rows × cols` (a copy-free view; rows·cols must not change).
    public func reshape(_ x: Tensor, rows: Int, cols: Int) -> Tensor {
        precondition(rows * cols == x.count, "reshape: \(x.rows)×\(x.cols) cannot become \(rows)×\(cols)")
        let out = record(rows: rows, cols: cols, requiresGrad: requiresGrad(x), value: value(x))
        onBackward(out) { g in Kernels.add(g.grad(out), into: g.grad(x), count: x.count) }
        return out
    }

    /// Each row of `x` (1×cols or n×cols) repeated `times` times consecutively: row i becomes rows i·times…
    public func repeatRows(_ x: Tensor, times: Int) -> Tensor {
        let out = record(rows: x.rows * times, cols: x.cols, requiresGrad: requiresGrad(x))
        let xv = value(x)
        let ov = value(out)
        for i in 0..<x.rows {
            for r in 0..<times { (ov + (i * times + r) * x.cols).update(from: xv + i * x.cols, count: x.cols) }
        }
        onBackward(out) { g in
            let d = g.grad(out)
            let dx = g.grad(x)
            for i in 0..<x.rows {
                for r in 0..<times { Kernels.add(d + (i * times + r) * x.cols, into: dx + i * x.cols, count: x.cols) }
            }
        }
        return out
    }
}
