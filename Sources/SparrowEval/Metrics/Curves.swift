/// ROC and precision–recall curves and calibration bins of probabilistic predictions, for reports.
public struct BinaryCurves: Sendable, Codable, Equatable {
    /// (false-positive rate, true-positive rate) points, one per distinct threshold, downsampled.
    public var roc: [[Double]]
    /// (recall, precision) points.
    public var pr: [[Double]]
    /// Reliability bins: (mean predicted probability, observed positive rate, count).
    public var calibration: [[Double]]
    /// Expected calibration error: Σ (count/n)·|predicted − observed| over the bins.
    public var expectedCalibrationError: Double

    /// Computes the curves (at most `points` points each) and `bins` calibration bins.
    /// - Complexity: O(n log n).
    public init(probabilities p: [Float], labels y: [Float], points: Int = 200, bins: Int = 10) {
        let order = p.indices.sorted { p[$0] > p[$1] }
        let positives = Double(y.filter { $0 > 0.5 }.count)
        let negatives = Double(y.count) - positives
        var tp = 0.0
        var fp = 0.0
        var roc: [[Double]] = [[0, 0]]
        var pr: [[Double]] = []
        var i = 0
        while i < order.count {
            var j = i
            while j < order.count && p[order[j]] == p[order[i]] {
                if y[order[j]] > 0.5 { tp += 1 } else { fp += 1 }
                j += 1
            }
            roc.append([negatives > 0 ? fp / negatives : 0, positives > 0 ? tp / positives : 0])
            pr.append([positives > 0 ? tp / positives : 0, tp / (tp + fp)])
            i = j
        }
        func thin(_ curve: [[Double]]) -> [[Double]] {
            guard curve.count > points else { return curve }
            let step = Double(curve.count - 1) / Double(points - 1)
            return (0..<points).map { curve[Int((Double($0) * step).rounded())] }
        }
        self.roc = thin(roc)
        self.pr = thin(pr)
        var sums = [(p: Double, y: Double, n: Double)](repeating: (0, 0, 0), count: bins)
        for k in p.indices {
            let b = min(bins - 1, max(0, Int(Double(p[k]) * Double(bins))))
            sums[b].p += Double(p[k])
            sums[b].y += Double(y[k])
            sums[b].n += 1
        }
        calibration = sums.filter { $0.n > 0 }.map { [$0.p / $0.n, $0.y / $0.n, $0.n] }
        let total = Double(max(1, p.count))
        expectedCalibrationError = sums.filter { $0.n > 0 }.reduce(0) {
            $0 + $1.n / total * abs($1.p / $1.n - $1.y / $1.n)
        }
    }
}
