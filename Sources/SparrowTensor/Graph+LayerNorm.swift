import Foundation

extension Graph {
    /// Layer normalisation of each row: `(x − mean) / √(var + ε) · gamma + beta`, gamma and beta 1×cols.
    public func layerNorm(_ x: Tensor, gamma: Tensor, beta: Tensor, epsilon: Float = 1e-5) -> Tensor {
        precondition(gamma.count == x.cols && beta.count == x.cols, "layerNorm: gamma and beta must be 1×\(x.cols)")
        let out = record(rows: x.rows, cols: x.cols, requiresGrad: anyRequiresGrad(x, gamma, beta))
        let n = x.cols
        let xv = value(x)
        let ov = value(out)
        let gv = value(gamma)
        let bv = value(beta)
        let normalised = arena.allocate(x.count)
        let inverse = arena.allocate(x.rows)
        for r in 0..<x.rows {
            let row = xv + r * n
            var mean: Float = 0
            for j in 0..<n { mean += row[j] }
            mean /= Float(n)
            var variance: Float = 0
            for j in 0..<n { variance += (row[j] - mean) * (row[j] - mean) }
            variance /= Float(n)
            let inv = 1 / (variance + epsilon).squareRoot()
            inverse[r] = inv
            for j in 0..<n {
                let h = (row[j] - mean) * inv
                normalised[r * n + j] = h
                ov[r * n + j] = h * gv[j] + bv[j]
            }
        }
        onBackward(out) { g in
            let dOut = g.grad(out)
            if g.requiresGrad(gamma) || g.requiresGrad(beta) {
                let dg = g.grad(gamma)
                let db = g.grad(beta)
                for r in 0..<x.rows {
                    for j in 0..<n {
                        dg[j] += dOut[r * n + j] * normalised[r * n + j]
                        db[j] += dOut[r * n + j]
                    }
                }
            }
            guard g.requiresGrad(x) else { return }
            let dx = g.grad(x)
            for r in 0..<x.rows {
                // dx = inv/n · (n·dh − Σdh − h·Σ(dh·h)) with dh = dOut·gamma.
                var sum: Float = 0
                var dot: Float = 0
                for j in 0..<n {
                    let dh = dOut[r * n + j] * gv[j]
                    sum += dh
                    dot += dh * normalised[r * n + j]
                }
                let scale = inverse[r] / Float(n)
                for j in 0..<n {
                    let dh = dOut[r * n + j] * gv[j]
                    dx[r * n + j] += scale * (Float(n) * dh - sum - normalised[r * n + j] * dot)
                }
            }
        }
        return out
    }
}
