import Foundation

/// Exact metrics of probabilistic binary predictions.
public struct BinaryMetrics: Sendable, Codable, Equatable {
    /// Area under the ROC curve; tied scores count one half (the Mann–Whitney statistic). NaN without both classes.
    public var rocAUC: Double
    /// Area under the precision–recall curve as average precision, tied scores taken as one threshold.
    public var prAUC: Double
    /// Mean binary cross-entropy, probabilities clipped to [1e-7, 1 − 1e-7].
    public var logLoss: Double
    /// Share of predictions on the right side of 0.5.
    public var accuracy: Double
    /// Number of examples.
    public var count: Int

    /// Computes every metric.
    /// - Complexity: O(n log n).
    public init(probabilities p: [Float], labels y: [Float]) {
        precondition(p.count == y.count, "BinaryMetrics: \(p.count) predictions for \(y.count) labels")
        count = p.count
        rocAUC = BinaryMetrics.rocAUC(p, y)
        prAUC = BinaryMetrics.averagePrecision(p, y)
        var loss = 0.0
        var correct = 0
        for i in 0..<p.count {
            let q = min(max(Double(p[i]), 1e-7), 1 - 1e-7)
            loss -= y[i] > 0.5 ? log(q) : log(1 - q)
            if (p[i] > 0.5) == (y[i] > 0.5) { correct += 1 }
        }
        logLoss = p.isEmpty ? .nan : loss / Double(p.count)
        accuracy = p.isEmpty ? .nan : Double(correct) / Double(p.count)
    }

    /// ROC AUC by ranks: (Σ ranks of positives − P(P+1)/2) / (P·N), with average ranks for ties.
    public static func rocAUC(_ p: [Float], _ y: [Float]) -> Double {
        let order = p.indices.sorted { p[$0] < p[$1] }
        var rankSum = 0.0
        var positives = 0.0
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && p[order[j + 1]] == p[order[i]] { j += 1 }
            let averageRank = Double(i + j) / 2 + 1
            for k in i...j where y[order[k]] > 0.5 {
                rankSum += averageRank
                positives += 1
            }
            i = j + 1
        }
        let negatives = Double(p.count) - positives
        guard positives > 0 && negatives > 0 else { return .nan }
        return (rankSum - positives * (positives + 1) / 2) / (positives * negatives)
    }

    /// Average precision: Σ over thresholds of (recall gained) × precision, scores descending, ties one threshold.
    public static func averagePrecision(_ p: [Float], _ y: [Float]) -> Double {
        let order = p.indices.sorted { p[$0] > p[$1] }
        let totalPositives = Double(y.filter { $0 > 0.5 }.count)
        guard totalPositives > 0 else { return .nan }
        var truePositives = 0.0
        var seen = 0.0
        var ap = 0.0
        var i = 0
        while i < order.count {
            var j = i
            var gained = 0.0
            while j < order.count && p[order[j]] == p[order[i]] {
                if y[order[j]] > 0.5 { gained += 1 }
                j += 1
            }
            truePositives += gained
            seen += Double(j - i)
            ap += (gained / totalPositives) * (truePositives / seen)
            i = j
        }
        return ap
    }

    /// One line: `loss 0.5412  acc 0.7301  roc-auc 0.8011  pr-auc 0.8432`.
    public var line: String {
        String(format: "loss %.4f  acc %.4f  roc-auc %.4f  pr-auc %.4f", logLoss, accuracy, rocAUC, prAUC)
    }
}
