import ArgumentParser
import Foundation
import SparrowCommandLine
import SparrowCore
import SparrowFeatures
import SparrowModels

extension BenchCommand {
    /// `sparrow-bench models`: every ranking model with the original's settings, beside TensorFlow's numbers.
    struct Models: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Train every ranking model with the original's settings and compare with TensorFlow's results.")
        @Option(help: "Folder with the sample files.") var samples = "../shared/data/sparrow-samples"
        @Option(help: "Models (comma-separated).") var models = ModelKind.allCases.map(\.rawValue).joined(
            separator: ",")
        @Option(help: "Epochs.") var epochs = 5
        @Option(help: "Batch size.") var batch = 12
        @Option(help: "Seeds to average over (comma-separated).") var seeds = "1"
        @Option(help: "Append the results to this file.") var out: String?
        @Option(
            help: "History length for din, dien and two-tower (5 as the original, up to 20 with Sparrow's samples).")
        var history = 5

        func run() throws {
            let (train, test) = try SampleSet.load(samples)
            let spec = FeatureSpec(fitting: train, historyLength: history)
            let encodedTrain = EncodedSamples(train, spec: spec)
            let encodedTest = EncodedSamples(test, spec: spec)
            var lines = [
                "bench models on \(samples): \(train.count) training / \(test.count) test samples, batch \(batch), \(epochs) epochs, history \(history)",
                "  model          ROC AUC  PR AUC   LogLoss  accuracy  train s   | TensorFlow ROC AUC, s",
            ]
            for name in models.split(separator: ",") {
                guard let kind = ModelKind(name: String(name)) else { throw CLIError("unknown model '\(name)'") }
                var sums = (auc: 0.0, pr: 0.0, loss: 0.0, acc: 0.0, seconds: 0.0)
                let seedList = seeds.split(separator: ",").compactMap { UInt64($0) }
                for seed in seedList {
                    var config = ModelConfig()
                    config.seed = seed
                    var training = TrainingConfig()
                    training.epochs = epochs
                    training.batchSize = batch
                    training.seed = seed
                    let net = kind.make(spec: spec, config: config)
                    let start = ProcessStats.now()
                    _ = Trainer(config: training, log: { _ in }).fit(net, train: encodedTrain)
                    sums.seconds += ProcessStats.now() - start
                    let m = Trainer.evaluate(net, encodedTest)
                    sums.auc += m.rocAUC
                    sums.pr += m.prAUC
                    sums.loss += m.logLoss
                    sums.acc += m.accuracy
                }
                let n = Double(seedList.count)
                let ref = TensorFlowReference.ranking[kind].map { "\($0.auc), \($0.seconds) s" } ?? "–"
                let line = String(
                    format: "  %@  %.4f   %.4f   %.4f   %.4f    %6.2f    | %@",
                    kind.rawValue.padding(toLength: 13, withPad: " ", startingAt: 0), sums.auc / n,
                    sums.pr / n, sums.loss / n, sums.acc / n, sums.seconds / n, ref)
                print(line)
                lines.append(line)
            }
            try appendResult(out, lines.joined(separator: "\n"))
        }
    }
}
