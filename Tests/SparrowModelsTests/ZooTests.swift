import Foundation
import SparrowFeatures
import SparrowTensor
import SparrowTestSupport
import Testing

@testable import SparrowModels

@Suite("DeepFM, DIN, DIEN: identities, gradients, masking")
struct ZooTests {
    @Test("the FM term equals the explicit sum of pairwise dot products")
    func fmIdentity() {
        var rng = SeededGeneratorLite(seed: 4)
        let n = 3
        let f = 4
        let d = 5
        let values = (0..<(n * f * d)).map { _ in rng.unit() * 2 - 1 }
        let g = Graph()
        let fm = g.values(fmInteraction(g.constant(values, rows: n * f, cols: d), fields: f, on: g))
        for i in 0..<n {
            var explicit: Float = 0
            for a in 0..<f {
                for b in (a + 1)..<f {
                    for k in 0..<d { explicit += values[(i * f + a) * d + k] * values[(i * f + b) * d + k] }
                }
            }
            #expect(abs(fm[i] - explicit) < 1e-5)
        }
    }

    @Test("the FM term's gradient matches finite differences")
    func fmGradient() {
        var rng = SeededGeneratorLite(seed: 5)
        let v = (0..<24).map { _ in rng.unit() * 2 - 1 }
        checkGradients([(8, 3, v)]) { g, t in fmInteraction(t[0], fields: 4, on: g) }
    }

    @Test("DIN's activation unit ([b, c, b−c, b⊙c] → PReLU layer → sigmoid) has correct gradients")
    func attentionUnit() {
        var rng = SeededGeneratorLite(seed: 6)
        func r(_ n: Int) -> [Float] { (0..<n).map { _ in rng.unit() * 2 - 1 } }
        checkGradients([
            (4, 3, r(12)), (4, 3, r(12)), (12, 5, r(60)), (1, 5, r(5)), (1, 5, [0.25, 0.1, -0.2, 0.3, 0.05]),
            (5, 1, r(5)),
        ]) { g, t in
            let (b, c) = (t[0], t[1])
            let unit = g.concat([b, c, g.sub(b, c), g.mul(b, c)])
            let hidden = g.prelu(g.linear(unit, t[2], t[3]), alpha: t[4])
            return g.sigmoid(g.matmul(hidden, t[5]))
        }
    }

    func trainedSmall(_ kind: ModelKind) -> (any RankingModel, EncodedSamples) {
        let (train, test) = SmallData.tables
        let spec = FeatureSpec(fitting: train)
        let model = kind.make(spec: spec, config: ModelConfig())
        var training = TrainingConfig()
        training.epochs = 1
        training.batchSize = 64
        _ = Trainer(config: training, log: { _ in }).fit(model, train: EncodedSamples(train, spec: spec))
        return (model, EncodedSamples(test, spec: spec))
    }

    @Test("changing a padded history slot changes no output", arguments: [ModelKind.din, .dien])
    func masking(kind: ModelKind) throws {
        let (model, test) = trainedSmall(kind)
        // Rows with padding in the last history slot.
        let rows = (0..<test.count).filter { test.historyMask[$0 * 5 + 4] == 0 }.prefix(20)
        try #require(!rows.isEmpty)
        let batch = test.batch(Array(rows))
        var altered = batch
        altered.setHistory(slot: 4, to: 3)  // any real movie row where the mask says padding
        let g = Graph()
        g.isTraining = false
        let before = g.values(model.logits(batch, on: g))
        g.reset()
        let after = g.values(model.logits(altered, on: g))
        #expect(before == after)
        // Changing a present slot does change the output (the test can fail).
        let present = (0..<test.count).filter { test.historyMask[$0 * 5] == 1 }.prefix(20)
        var changed = test.batch(Array(present))
        let original = test.batch(Array(present))
        changed.setHistory(slot: 0, to: 3)
        g.reset()
        let p1 = g.values(model.logits(original, on: g))
        g.reset()
        let p2 = g.values(model.logits(changed, on: g))
        #expect(p1 != p2)
    }

    @Test("DIN and DIEN read a longer history when the spec asks for it", arguments: [ModelKind.din, .dien])
    func longerHistory(kind: ModelKind) {
        let (train, test) = SmallData.tables
        let spec = FeatureSpec(fitting: train, historyLength: 12)
        let model = kind.make(spec: spec, config: ModelConfig())
        var training = TrainingConfig()
        training.epochs = 1
        training.batchSize = 64
        let encoded = EncodedSamples(train, spec: spec)
        #expect(encoded.historyLength == 12 && encoded.history.count == 12 * encoded.count)
        #expect(encoded.historyMask.enumerated().contains { $0.offset % 12 >= 5 && $0.element == 1 })
        _ = Trainer(config: training, log: { _ in }).fit(model, train: encoded)
        #expect(Trainer.evaluate(model, EncodedSamples(test, spec: spec)).rocAUC > 0.6)
    }

    @Test("DIEN's inference is deterministic")
    func dienDeterministic() {
        let (model, test) = trainedSmall(.dien)
        #expect(Trainer.predict(model, test) == Trainer.predict(model, test))
    }

    @Test(
        "DeepFM, DIN, DIEN, LR and FM learn",
        arguments: [ModelKind.deepFM, .din, .dien, .logisticRegression, .factorizationMachine])
    func learns(kind: ModelKind) {
        let (model, test) = trainedSmall(kind)
        #expect(Trainer.evaluate(model, test).rocAUC > 0.6)
    }
}

extension EncodedSamples {
    /// Test helper: overwrite one history slot's movie row for every sample (the mask is left alone).
    mutating func setHistory(slot: Int, to row: Int32) {
        for i in 0..<count { overwriteHistory(i * historyLength + slot, row) }
    }
}
