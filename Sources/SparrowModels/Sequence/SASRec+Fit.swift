import CSparrowKernels
import Foundation
import SparrowCore
import SparrowTensor

extension SASRec {
    /// Trains on the users' histories, cut into windows of `maxLength + 1`: every position predicts the next movie
    /// with a softmax over every movie that is a target at least `minTargetCount` times (or over sampled negatives);
    /// `log` gets a line per epoch, with the time left.
    ///
    /// `maxTokens` bounds the training targets over all epochs: with more data, fewer epochs, and when one epoch
    /// alone is over it, each epoch reads a fresh random share of the windows (large catalogues: see
    /// `NextItemModel.Budget`).
    ///
    /// - Complexity: O(min(epochs × targets, `maxTokens`) × (dim² + softmax width × dim)).
    public static func fit(
        histories: [RatingHistory], catalogSize: Int, config: Config = Config(), earlyStopping: EarlyStopping? = nil,
        maxTokens: Int? = nil, log: (String) -> Void = { _ in }
    ) -> SASRec {
        precondition(maxTokens.map { $0 > 0 } ?? true, "a positive token budget")
        let model = SASRec(catalogSize: catalogSize, config: config)
        // Every transition of every history is a target (the newest `maxLength + 1` alone would leave out two thirds of
        // ml-latest-small's liked movies; `docs/next-item-ranker.md`).
        let sequences = histories.flatMap { windows(SASRec.sequence($0), length: config.maxLength + 1) }
        // The softmax's classes: movies that are a target often enough (slot = position among them).
        var targetCounts = [Int](repeating: 0, count: catalogSize)
        for s in sequences { for m in s.dropFirst() { targetCounts[Int(m)] += 1 } }
        let outputs = (0..<catalogSize).filter { targetCounts[$0] >= max(1, config.minTargetCount) }.map(Int32.init)
        var slots = [Int32](repeating: -1, count: catalogSize)
        for (k, m) in outputs.enumerated() { slots[Int(m)] = Int32(k) }
        let sampled = config.negatives > 0 && config.negatives < catalogSize
        let everyMovie = outputs.count == catalogSize || sampled
        model.outputs = everyMovie ? nil : outputs
        let tokensPerEpoch = sequences.reduce(0) { $0 + $1.count - 1 }
        var epochs = config.epochs
        var windowsPerEpoch = sequences.count
        if let maxTokens, tokensPerEpoch * epochs > maxTokens {
            epochs = max(1, maxTokens / max(1, tokensPerEpoch))
            if tokensPerEpoch > maxTokens {
                windowsPerEpoch = max(1, Int(Double(sequences.count) * Double(maxTokens) / Double(tokensPerEpoch)))
            }
        }
        log(
            "sasrec: \(sequences.count) windows (\(tokensPerEpoch) targets), softmax over "
                + (sampled
                    ? "the batch's targets and \(config.negatives) sampled" : "\(outputs.count) of \(catalogSize)")
                + " movies; \(epochs) epochs"
                + (windowsPerEpoch < sequences.count ? " of \(windowsPerEpoch) random windows each" : "")
                + (epochs < config.epochs || windowsPerEpoch < sequences.count
                    ? " (the budget of \(maxTokens!) targets)" : ""))
        let fitStart = ProcessStats.now()
        let adam = Adam(learningRate: config.learningRate)
        let g = Graph(seed: config.seed)
        var rng = SeededGeneratorLite(seed: config.seed &+ 17)
        var order = Array(sequences.indices)
        let parameters = model.parameters
        var best: (score: Double, epoch: Int, weights: [[Float]])?
        var progress = ProgressLine("sasrec windows", total: windowsPerEpoch * epochs)
        for epoch in 0..<epochs {
            let start = ProcessStats.now()
            for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
            var total: Double = 0
            var count = 0
            for b in stride(from: 0, to: windowsPerEpoch, by: config.batch) {
                if let line = progress.due(done: epoch * windowsPerEpoch + b) { log(line) }
                let batch = order[b..<min(b + config.batch, windowsPerEpoch)].map { sequences[$0] }
                g.reset()
                g.isTraining = true
                var h = model.hidden(batch.map { Array($0.dropLast()) }, on: g)
                var targets = batch.flatMap { $0.dropFirst() }
                if !everyMovie {
                    // Rows whose target is not a class leave the loss.
                    let kept = targets.indices.filter { slots[Int(targets[$0])] >= 0 }
                    guard !kept.isEmpty else { continue }
                    if kept.count < targets.count {
                        h = g.gatherRows(h, ids: kept.map(Int32.init))
                        targets = kept.map { targets[$0] }
                    }
                }
                let loss: Tensor
                if !everyMovie {
                    let table = g.gatherRows(g.param(model.items), ids: outputs)
                    loss = g.tableSoftmaxCrossEntropy(
                        hidden: h, table: table, targets: targets.map { slots[Int($0)] })
                } else if sampled {
                    // Sampled softmax: the batch's targets plus uniform negatives, shared by every row.
                    var slot = [Int32: Int32]()
                    var ids: [Int32] = []
                    for t in targets where slot[t] == nil {
                        slot[t] = Int32(ids.count)
                        ids.append(t)
                    }
                    var drawn = 0
                    while drawn < config.negatives && ids.count < catalogSize {
                        let m = Int32(rng.next() % UInt64(catalogSize))
                        if slot[m] == nil {
                            slot[m] = Int32(ids.count)
                            ids.append(m)
                        }
                        drawn += 1
                    }
                    let table = g.gatherRows(g.param(model.items), ids: ids)
                    loss = g.tableSoftmaxCrossEntropy(hidden: h, table: table, targets: targets.map { slot[$0]! })
                } else {
                    loss = g.tableSoftmaxCrossEntropy(hidden: h, table: g.param(model.items), targets: targets)
                }
                total += Double(g.values(loss)[0]) * Double(targets.count)
                count += targets.count
                g.backward(from: loss)
                adam.step(parameters: parameters, tables: [])
            }
            let elapsed = ProcessStats.now() - fitStart
            log(
                String(
                    format: "sasrec epoch %d/%d: loss %.4f (%.1f s, %.0f s left)", epoch + 1, epochs,
                    total / Double(max(count, 1)), ProcessStats.now() - start,
                    elapsed / Double(epoch + 1) * Double(epochs - epoch - 1)))
            if let earlyStopping {
                let score = earlyStopping.score(model)
                log(String(format: "sasrec epoch %d: validation %.4f", epoch + 1, score))
                if score > best?.score ?? -.infinity {
                    best = (score, epoch + 1, parameters.map(\.values))
                } else if epoch + 1 - best!.epoch >= earlyStopping.patience {
                    break
                }
            }
        }
        if let best {
            for (p, w) in zip(parameters, best.weights) { p.load(w) }
            log(String(format: "sasrec: kept epoch %d (validation %.4f)", best.epoch, best.score))
        }
        return model
    }

}
