import Testing

@testable import SparrowModels

@Suite("Binary metrics against hand-computed cases")
struct MetricsTests {
    @Test("ROC AUC: perfect, inverted, random-tied and a hand case with ties")
    func roc() {
        #expect(BinaryMetrics.rocAUC([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1]) == 1)
        #expect(BinaryMetrics.rocAUC([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1]) == 0)
        #expect(BinaryMetrics.rocAUC([0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1]) == 0.5)
        // Pairs (pos, neg): positives 0.8, 0.4; negatives 0.4, 0.2 → (0.8>0.4)=1, (0.8>0.2)=1, (0.4=0.4)=½, (0.4>0.2)=1.
        #expect(BinaryMetrics.rocAUC([0.8, 0.4, 0.4, 0.2], [1, 1, 0, 0]) == 3.5 / 4)
        #expect(BinaryMetrics.rocAUC([0.3, 0.6], [1, 1]).isNaN)
        #expect(BinaryMetrics.rocAUC([], []).isNaN)
    }

    @Test("average precision: hand case, ties as one threshold")
    func averagePrecision() {
        // Ranked: 0.9 (pos) → P=1, R=½; 0.8 (neg); 0.7 (pos) → P=⅔, R=1. AP = ½·1 + ½·⅔.
        #expect(abs(BinaryMetrics.averagePrecision([0.9, 0.8, 0.7], [1, 0, 1]) - (0.5 + 1.0 / 3)) < 1e-12)
        // All tied: one threshold, precision ½, recall 1.
        #expect(BinaryMetrics.averagePrecision([0.5, 0.5, 0.5, 0.5], [1, 0, 1, 0]) == 0.5)
        #expect(BinaryMetrics.averagePrecision([0.5], [0]).isNaN)
    }

    @Test("log loss and accuracy")
    func lossAndAccuracy() {
        let m = BinaryMetrics(probabilities: [0.9, 0.2, 0.6, 0.4], labels: [1, 0, 0, 1])
        let expected = -(log(0.9) + log(0.8) + log(0.4) + log(0.4)) / 4
        #expect(abs(m.logLoss - expected) < 1e-6)
        #expect(m.accuracy == 0.5)
        #expect(m.count == 4)
    }
}

import Foundation
