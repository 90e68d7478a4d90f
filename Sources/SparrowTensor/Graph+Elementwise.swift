import Foundation

extension Graph {
    /// Element-wise `a + b` (same shape).
    public func add(_ a: Tensor, _ b: Tensor) -> Tensor {
        binary(a, b, "add") {
            $0 + $1
        } backward: { _, _, d in
            (d, d)
        }
    }

    /// Element-wise `a − b` (same shape).
    public func sub(_ a: Tensor, _ b: Tensor) -> Tensor {
        binary(a, b, "sub") {
            $0 - $1
        } backward: { _, _, d in
            (d, -d)
        }
    }

    /// Element-wise `a ⊙ b` (same shape).
    public func mul(_ a: Tensor, _ b: Tensor) -> Tensor {
        binary(a, b, "mul") {
            $0 * $1
        } backward: { x, y, d in
            (d * y, d * x)
        }
    }

    /// `s · x`.
    public func scale(_ x: Tensor, _ s: Float) -> Tensor {
        unary(x) {
            $0 * s
        } derivative: { _, _ in
            s
        }
    }

    /// `x + c` for a constant `c`.
    public func addScalar(_ x: Tensor, _ c: Float) -> Tensor {
        unary(x) {
            $0 + c
        } derivative: { _, _ in
            1
        }
    }

    /// max(0, x) — a direct loop (no per-element closure), since it runs after every hidden layer.
    public func relu(_ x: Tensor) -> Tensor {
        let out = record(rows: x.rows, cols: x.cols, requiresGrad: requiresGrad(x))
        let xv = value(x)
        let ov = value(out)
        let n = x.count
        for i in 0..<n { ov[i] = max(0, xv[i]) }
        onBackward(out) { g in
            let d = g.grad(out)
            let dx = g.grad(x)
            for i in 0..<n where xv[i] > 0 { dx[i] += d[i] }
        }
        return out
    }

    /// Logistic sigmoid, computed stably for large |x|.
    public func sigmoid(_ x: Tensor) -> Tensor {
        unary(x) {
            Graph.sigmoid($0)
        } derivative: { _, y in
            y * (1 - y)
        }
    }

    /// Hyperbolic tangent.
    public func tanh(_ x: Tensor) -> Tensor {
        unary(x) {
            Foundation.tanh($0)
        } derivative: { _, y in
            1 - y * y
        }
    }

    /// `1 − x`.
    public func oneMinus(_ x: Tensor) -> Tensor {
        unary(x) {
            1 - $0
        } derivative: { _, _ in
            -1
        }
    }

    /// PReLU: `x` where positive, `alpha[j]·x` otherwise, with one learned slope per column (`alpha` is 1×cols).
    public func prelu(_ x: Tensor, alpha: Tensor) -> Tensor {
        precondition(alpha.rows == 1 && alpha.cols == x.cols, "prelu: alpha must be 1×\(x.cols)")
        let out = record(rows: x.rows, cols: x.cols, requiresGrad: anyRequiresGrad(x, alpha))
        let xv = value(x)
        let av = value(alpha)
        let ov = value(out)
        let n = x.cols
        for i in 0..<x.count {
            let v = xv[i]
            ov[i] = v > 0 ? v : av[i % n] * v
        }
        onBackward(out) { g in
            let d = g.grad(out)
            if g.requiresGrad(x) {
                let dx = g.grad(x)
                for i in 0..<x.count { dx[i] += xv[i] > 0 ? d[i] : av[i % n] * d[i] }
            }
            if g.requiresGrad(alpha) {
                let da = g.grad(alpha)
                for i in 0..<x.count where xv[i] <= 0 { da[i % n] += xv[i] * d[i] }
            }
        }
        return out
    }

    /// Inverted dropout: while training, zeroes each element with probability `rate` and scales the rest by
    /// 1/(1−rate); the identity in evaluation.
    public func dropout(_ x: Tensor, rate: Float) -> Tensor {
        guard isTraining && rate > 0 else { return x }
        precondition(rate < 1, "dropout: rate must be below 1")
        let keep = 1 / (1 - rate)
        let mask = arena.allocate(x.count)
        for i in 0..<x.count { mask[i] = rng.unit() < rate ? 0 : keep }
        let out = record(rows: x.rows, cols: x.cols, requiresGrad: requiresGrad(x))
        let xv = value(x)
        let ov = value(out)
        for i in 0..<x.count { ov[i] = xv[i] * mask[i] }
        onBackward(out) { g in
            let d = g.grad(out)
            let dx = g.grad(x)
            for i in 0..<x.count { dx[i] += d[i] * mask[i] }
        }
        return out
    }

    @inlinable
    static func sigmoid(_ x: Float) -> Float {
        x >= 0 ? 1 / (1 + exp(-x)) : exp(x) / (1 + exp(x))
    }

    /// An element-wise op of one input; `derivative(x, y)` gives dy/dx.
    func unary(_ x: Tensor, _ f: (Float) -> Float, derivative: @escaping (Float, Float) -> Float) -> Tensor {
        let out = record(rows: x.rows, cols: x.cols, requiresGrad: requiresGrad(x))
        let xv = value(x)
        let ov = value(out)
        for i in 0..<x.count { ov[i] = f(xv[i]) }
        onBackward(out) { g in
            let d = g.grad(out)
            let dx = g.grad(x)
            for i in 0..<x.count { dx[i] += d[i] * derivative(xv[i], ov[i]) }
        }
        return out
    }

    /// An element-wise op of two same-shaped inputs; `backward(a, b, d)` gives the two input gradients.
    func binary(
        _ a: Tensor, _ b: Tensor, _ name: String, _ f: (Float, Float) -> Float,
        backward: @escaping (Float, Float, Float) -> (Float, Float)
    ) -> Tensor {
        precondition(
            a.rows == b.rows && a.cols == b.cols, "\(name): shapes differ (\(a.rows)×\(a.cols) vs \(b.rows)×\(b.cols))")
        let out = record(rows: a.rows, cols: a.cols, requiresGrad: anyRequiresGrad(a, b))
        let av = value(a)
        let bv = value(b)
        let ov = value(out)
        for i in 0..<a.count { ov[i] = f(av[i], bv[i]) }
        onBackward(out) { g in
            let d = g.grad(out)
            let ga = g.requiresGrad(a) ? g.grad(a) : nil
            let gb = g.requiresGrad(b) ? g.grad(b) : nil
            for i in 0..<a.count {
                let (da, db) = backward(av[i], bv[i], d[i])
                ga?[i] += da
                gb?[i] += db
            }
        }
        return out
    }
}

extension Graph {
    /// Each row of `x` (n×d) scaled by the matching entry of `s` (n×1): attention weights, gates and masks.
    public func scaleRows(_ x: Tensor, by s: Tensor) -> Tensor {
        precondition(s.cols == 1 && s.rows == x.rows, "scaleRows: need an \(x.rows)×1 scale, got \(s.rows)×\(s.cols)")
        let out = record(rows: x.rows, cols: x.cols, requiresGrad: anyRequiresGrad(x, s))
        let xv = value(x)
        let sv = value(s)
        let ov = value(out)
        let d = x.cols
        for i in 0..<x.rows {
            for k in 0..<d { ov[i * d + k] = xv[i * d + k] * sv[i] }
        }
        onBackward(out) { g in
            let dOut = g.grad(out)
            if g.requiresGrad(x) {
                let dx = g.grad(x)
                for i in 0..<x.rows { Kernels.axpy(sv[i], dOut + i * d, into: dx + i * d, count: d) }
            }
            if g.requiresGrad(s) {
                let ds = g.grad(s)
                for i in 0..<x.rows { ds[i] += Kernels.dot(dOut + i * d, xv + i * d, count: d) }
            }
        }
        return out
    }
}
