import Foundation

extension Graph {
    /// Mean binary cross-entropy of `logits` (n×1) against `labels` in [0, 1], computed from logits without ever
    /// forming log(σ(x)): max(x,0) − x·y + log(1 + e^−|x|). Optional per-row `weights` (mean over their sum).
    public func binaryCrossEntropy(logits: Tensor, labels: [Float], weights: [Float]? = nil) -> Tensor {
        precondition(
            logits.cols == 1 && logits.rows == labels.count, "binaryCrossEntropy: need n×1 logits for n labels")
        let out = record(rows: 1, cols: 1, requiresGrad: requiresGrad(logits))
        let xv = value(logits)
        let n = logits.rows
        let total = weights.map { $0.reduce(0, +) } ?? Float(n)
        var loss: Double = 0
        for i in 0..<n {
            let x = xv[i]
            let w = weights?[i] ?? 1
            loss += Double(w * (max(x, 0) - x * labels[i] + log1p(exp(-abs(x)))))
        }
        value(out).pointee = Float(loss / Double(max(total, .leastNonzeroMagnitude)))
        onBackward(out) { g in
            let d = g.grad(out).pointee / total
            let dx = g.grad(logits)
            for i in 0..<n { dx[i] += d * (weights?[i] ?? 1) * (Graph.sigmoid(xv[i]) - labels[i]) }
        }
        return out
    }

    /// Mean of −log σ(x) over rows, for the positive half of a sampled (auxiliary) loss.
    public func logSigmoidLoss(_ logits: Tensor, positive: Bool) -> Tensor {
        binaryCrossEntropy(logits: logits, labels: [Float](repeating: positive ? 1 : 0, count: logits.rows))
    }

    /// Mean squared error of `predictions` (n×1) against `targets`.
    public func meanSquaredError(_ predictions: Tensor, targets: [Float]) -> Tensor {
        precondition(predictions.count == targets.count, "meanSquaredError: sizes differ")
        let out = record(rows: 1, cols: 1, requiresGrad: requiresGrad(predictions))
        let pv = value(predictions)
        var s: Double = 0
        for i in 0..<targets.count { s += Double((pv[i] - targets[i]) * (pv[i] - targets[i])) }
        value(out).pointee = Float(s / Double(targets.count))
        onBackward(out) { g in
            let d = g.grad(out).pointee * 2 / Float(targets.count)
            let dp = g.grad(predictions)
            for i in 0..<targets.count { dp[i] += d * (pv[i] - targets[i]) }
        }
        return out
    }
}

extension Graph {
    /// Listwise softmax cross-entropy: `scores` (n×1) hold several lists back to back (`lists[k]` is the row range of
    /// list k); each list's loss is −log softmax(its scores)[its target row], and the result is the mean over lists.
    /// `targets[k]` is an index into list k.
    public func listwiseSoftmaxLoss(scores: Tensor, lists: [Range<Int>], targets: [Int]) -> Tensor {
        precondition(scores.cols == 1, "listwiseSoftmaxLoss: need n×1 scores")
        precondition(lists.count == targets.count && !lists.isEmpty, "listwiseSoftmaxLoss: one target per list")
        let out = record(rows: 1, cols: 1, requiresGrad: requiresGrad(scores))
        let sv = value(scores)
        var probabilities = [Float](repeating: 0, count: scores.rows)
        var loss: Double = 0
        for (range, target) in zip(lists, targets) {
            precondition(range.upperBound <= scores.rows && target >= 0 && target < range.count)
            var top = -Float.infinity
            for i in range { top = max(top, sv[i]) }
            var total: Double = 0
            for i in range { total += Double(exp(sv[i] - top)) }
            for i in range { probabilities[i] = Float(Double(exp(sv[i] - top)) / total) }
            loss += log(total) + Double(top) - Double(sv[range.lowerBound + target])
        }
        value(out).pointee = Float(loss / Double(lists.count))
        onBackward(out) { g in
            let d = g.grad(out).pointee / Float(lists.count)
            let ds = g.grad(scores)
            for (range, target) in zip(lists, targets) {
                for i in range { ds[i] += d * probabilities[i] }
                ds[range.lowerBound + target] -= d
            }
        }
        return out
    }
}
