import Foundation
import SparrowCore
import SparrowTensor

/// Settings of one training run.
public struct TrainingConfig: Sendable, Codable, Equatable {
    /// Passes over the training data.
    public var epochs = 5
    /// Samples per step.
    public var batchSize = 12
    /// Adam's learning rate for dense parameters and embeddings.
    public var learningRate: Float = 0.001
    /// FTRL's α for wide weights.
    public var wideLearningRate: Float = 0.05
    /// Seed of the shuffles.
    public var seed: UInt64 = 1
    /// Share of the training samples held out to choose the epoch (0 = train on all, keep the last epoch).
    public var validationFraction = 0.0
    /// Epochs without a better validation ROC AUC before stopping.
    public var patience = 2

    /// The defaults (the original's: batch 12, 5 epochs, Adam 0.001).
    public init() {}
}

/// What happened in one epoch.
public struct EpochRecord: Sendable, Codable, Equatable {
    /// 1-based epoch.
    public var epoch: Int
    /// Mean training loss.
    public var trainLoss: Double
    /// Validation metrics, when there is a validation split.
    public var validation: BinaryMetrics?
    /// Wall time of the epoch.
    public var seconds: Double
    /// Training throughput.
    public var samplesPerSecond: Double
}

/// Mini-batch training with seeded shuffles, per-epoch progress and validation, and early stopping.
public final class Trainer {
    /// The settings.
    public let config: TrainingConfig
    /// Where progress lines go.
    public var log: (String) -> Void

    /// Creates a trainer.
    public init(config: TrainingConfig, log: @escaping (String) -> Void = { print($0) }) {
        self.config = config
        self.log = log
    }

    /// Trains `model` on `train`, choosing the best epoch on `validation` when given; returns the epoch history.
    public func fit(_ model: any RankingModel, train: EncodedSamples, validation: EncodedSamples? = nil)
        -> [EpochRecord]
    {
        let adam = Adam(learningRate: config.learningRate)
        let ftrl = FTRL(alpha: config.wideLearningRate, beta: 1, l1: 0, l2: 0)
        let graph = Graph(seed: config.seed &+ 17)
        var order = Array(0..<train.count)
        var shuffler = SeededGeneratorLite(seed: config.seed)
        let steps = (train.count + config.batchSize - 1) / config.batchSize
        var history: [EpochRecord] = []
        var best: (auc: Double, epoch: Int, weights: [[Float]])?
        let runStart = ProcessStats.now()
        for epoch in 1...config.epochs {
            let start = ProcessStats.now()
            for i in stride(from: order.count - 1, to: 0, by: -1) {
                order.swapAt(i, Int(shuffler.next() % UInt64(i + 1)))
            }
            var lossSum = 0.0
            var lastReport = start
            for step in 0..<steps {
                let lo = step * config.batchSize
                let batch = train.batch(order[lo..<min(order.count, lo + config.batchSize)])
                graph.reset()
                graph.isTraining = true
                var auxiliary: Tensor?
                let logits: Tensor
                if let withAuxiliary = model as? any AuxiliaryLossModel {
                    (logits, auxiliary) = withAuxiliary.logitsAndAuxiliaryLoss(batch, on: graph)
                } else {
                    logits = model.logits(batch, on: graph)
                }
                let loss = graph.binaryCrossEntropy(logits: logits, labels: batch.labels)
                lossSum += Double(graph.values(loss)[0]) * Double(batch.count)
                graph.backward(from: auxiliary.map { graph.add(loss, $0) } ?? loss)
                adam.step(parameters: model.parameters, tables: model.tables)
                if !model.wideTables.isEmpty { ftrl.step(parameters: [], tables: model.wideTables) }
                let now = ProcessStats.now()
                if now - lastReport > 2 {
                    lastReport = now
                    let done = Double(step + 1) / Double(steps)
                    log(
                        String(
                            format: "  epoch %d/%d  step %d/%d  loss %.4f  %.0f samples/s  ETA %.0f s", epoch,
                            config.epochs, step + 1, steps, lossSum / Double(lo + batch.count),
                            Double(lo + batch.count) / (now - start), (now - start) / done * (1 - done)))
                }
            }
            let seconds = ProcessStats.now() - start
            var record = EpochRecord(
                epoch: epoch, trainLoss: lossSum / Double(train.count), validation: nil,
                seconds: seconds, samplesPerSecond: Double(train.count) / seconds)
            var line = String(
                format: "epoch %d/%d  %d steps  loss %.4f  %.0f samples/s  %.2f s", epoch, config.epochs,
                steps, record.trainLoss, record.samplesPerSecond, seconds)
            if let validation {
                let metrics = Trainer.evaluate(model, validation)
                record.validation = metrics
                line += "  | validation " + metrics.line
                if best == nil || metrics.rocAUC > best!.auc {
                    best = (metrics.rocAUC, epoch, model.namedBuffers.map { Array($0.buffer) })
                }
            }
            let elapsed = ProcessStats.now() - runStart
            line += String(format: "  ETA %.0f s", elapsed / Double(epoch) * Double(config.epochs - epoch))
            log(line)
            history.append(record)
            if let best, epoch - best.epoch >= config.patience {
                log("early stop: no better validation ROC AUC since epoch \(best.epoch)")
                break
            }
        }
        if let best, best.epoch != history.count {
            for (buffer, saved) in zip(model.namedBuffers, best.weights) { _ = buffer.buffer.update(from: saved) }
            log(
                "restored the weights of epoch \(best.epoch) (best validation ROC AUC \(String(format: "%.4f", best.auc)))"
            )
        }
        return history
    }

    /// Probabilities for every sample, in batches, without dropout.
    public static func predict(_ model: any RankingModel, _ data: EncodedSamples, batchSize: Int = 1024) -> [Float] {
        let graph = Graph()
        graph.isTraining = false
        var out: [Float] = []
        out.reserveCapacity(data.count)
        for lo in stride(from: 0, to: data.count, by: batchSize) {
            graph.reset()
            let batch = data.batch(lo..<min(data.count, lo + batchSize))
            let logits = graph.values(model.logits(batch, on: graph))
            out.append(contentsOf: logits.map { $0 >= 0 ? 1 / (1 + exp(-$0)) : exp($0) / (1 + exp($0)) })
        }
        return out
    }

    /// Metrics of `model` on `data`.
    public static func evaluate(_ model: any RankingModel, _ data: EncodedSamples) -> BinaryMetrics {
        BinaryMetrics(probabilities: predict(model, data), labels: data.labels)
    }
}
