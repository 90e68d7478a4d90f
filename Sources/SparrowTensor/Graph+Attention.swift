import Foundation

extension Graph {
    /// Causal multi-head scaled dot-product attention over packed sequences: `q`, `k`, `v` are N×d with the rows of
    /// sequence s at `offsets[s]..<offsets[s+1]`; each head (d / heads columns) of each row attends to the rows of its
    /// own sequence up to and including itself. Output N×d (heads side by side).
    /// - Complexity: O(Σ Lₛ² · d) time, Σ Lₛ² · heads floats kept for the backward pass.
    public func causalAttention(_ q: Tensor, _ k: Tensor, _ v: Tensor, offsets: [Int], heads: Int) -> Tensor {
        precondition(q.cols == k.cols && k.cols == v.cols && q.rows == k.rows && k.rows == v.rows)
        precondition(
            heads > 0 && q.cols % heads == 0, "causalAttention: \(q.cols) columns do not split into \(heads) heads")
        precondition(offsets.first == 0 && offsets.last == q.rows, "causalAttention: offsets must cover the rows")
        let d = q.cols
        let dh = d / heads
        let scale = 1 / Float(dh).squareRoot()
        let out = record(rows: q.rows, cols: d, requiresGrad: anyRequiresGrad(q, k, v))
        let qv = value(q)
        let kv = value(k)
        let vv = value(v)
        let ov = value(out)
        // Attention weights per sequence and head, row-major L×L (upper triangle zero).
        var starts: [Int] = []
        var total = 0
        for s in 0..<(offsets.count - 1) {
            let l = offsets[s + 1] - offsets[s]
            starts.append(total)
            total += l * l * heads
        }
        let weights = arena.allocate(max(total, 1))
        for s in 0..<(offsets.count - 1) {
            let base = offsets[s]
            let l = offsets[s + 1] - base
            for h in 0..<heads {
                let w = weights + starts[s] + h * l * l
                for i in 0..<l {
                    let qi = qv + (base + i) * d + h * dh
                    var peak = -Float.infinity
                    for j in 0...i {
                        let kj = kv + (base + j) * d + h * dh
                        var dot: Float = 0
                        for c in 0..<dh { dot += qi[c] * kj[c] }
                        w[i * l + j] = dot * scale
                        peak = max(peak, dot * scale)
                    }
                    var sum: Float = 0
                    for j in 0...i {
                        let e = exp(w[i * l + j] - peak)
                        w[i * l + j] = e
                        sum += e
                    }
                    let inv = 1 / sum
                    let oi = ov + (base + i) * d + h * dh
                    for c in 0..<dh { oi[c] = 0 }
                    for j in 0...i {
                        w[i * l + j] *= inv
                        let a = w[i * l + j]
                        let vj = vv + (base + j) * d + h * dh
                        for c in 0..<dh { oi[c] += a * vj[c] }
                    }
                    if i + 1 < l { for j in (i + 1)..<l { w[i * l + j] = 0 } }
                }
            }
        }
        onBackward(out) { g in
            let dOut = g.grad(out)
            let dq = g.grad(q)
            let dk = g.grad(k)
            let dv = g.grad(v)
            var dw = [Float](repeating: 0, count: 0)
            for s in 0..<(offsets.count - 1) {
                let base = offsets[s]
                let l = offsets[s + 1] - base
                if dw.count < l { dw = [Float](repeating: 0, count: l) }
                for h in 0..<heads {
                    let w = weights + starts[s] + h * l * l
                    for i in 0..<l {
                        let doi = dOut + (base + i) * d + h * dh
                        // dW_ij = dO_i · V_j; dV_j += W_ij · dO_i.
                        var rowDot: Float = 0
                        for j in 0...i {
                            let vj = vv + (base + j) * d + h * dh
                            var dot: Float = 0
                            for c in 0..<dh { dot += doi[c] * vj[c] }
                            dw[j] = dot
                            rowDot += dot * w[i * l + j]
                            let a = w[i * l + j]
                            let dvj = dv + (base + j) * d + h * dh
                            for c in 0..<dh { dvj[c] += a * doi[c] }
                        }
                        // dZ_ij = W_ij (dW_ij − Σ_j' W_ij' dW_ij'); dQ_i += dZ_ij K_j s; dK_j += dZ_ij Q_i s.
                        let qi = qv + (base + i) * d + h * dh
                        let dqi = dq + (base + i) * d + h * dh
                        for j in 0...i {
                            let dz = w[i * l + j] * (dw[j] - rowDot) * scale
                            if dz == 0 { continue }
                            let kj = kv + (base + j) * d + h * dh
                            let dkj = dk + (base + j) * d + h * dh
                            for c in 0..<dh {
                                dqi[c] += dz * kj[c]
                                dkj[c] += dz * qi[c]
                            }
                        }
                    }
                }
            }
        }
        return out
    }
}
