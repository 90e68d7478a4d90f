import ArgumentParser
import Foundation
import SparrowCommandLine
import SparrowCore
import SparrowFeatures
import SparrowModels

/// `sparrow train <model>`: train a ranking model on sample files and save it as a versioned artifact.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a ranking model (embedding-mlp, wide-deep, neuralcf, two-tower) on sample files.")

    @Argument(
        help:
            "Model: \(ModelKind.allCases.map(\.rawValue).joined(separator: ", ")) (on --samples), or als, bpr, mf, ease, sasrec, ranker (on --data)."
    )
    var model: TrainTarget
    @OptionGroup var dataOptions: DataOptions
    @Option(help: "Factors (als, bpr, mf).") var factors = 64
    @Option(help: "Iterations (als, bpr).") var iterations: Int?
    @Option(help: "Confidence of an observed pair (als).") var confidence: Float = 2
    @Option(help: "Regularisation (als, bpr).") var regularization: Float?
    @Option(help: "Folder with trainingSamples and testSamples (.sparrow or the original's .csv).")
    var samples: String = "artifacts/samples"
    @Option(help: "Models folder: the model goes to OUT/<model>/<version>/.") var out = "artifacts/models"
    @Option(help: "Epochs (5; sasrec 30).") var epochs: Int?
    @Option(help: "Batch size (12; sasrec 16 users).") var batch: Int?
    @Option(help: "Learning rate (Adam; SGD for bpr, default 0.01 there).") var lr: Float?
    @Option(help: "Random seed (weights and shuffles).") var seed: UInt64 = 1
    @Option(help: "Share of training samples held out for early stopping (0 = none).") var validation = 0.0
    @Option(help: "Embedding width.") var embeddingDim = 10
    @Option(help: "Dropout after hidden layers (0; sasrec 0.2).") var dropout: Float?
    @Option(help: "Longest history read (sasrec).") var maxLen = 50
    @Option(help: "Model width (sasrec).") var dim = 64
    @Option(help: "Self-attention blocks (sasrec).") var blocks = 2
    @Option(help: "Attention heads (sasrec).") var heads = 1
    @Option(help: "Sampled negatives per batch (sasrec; 0 = full softmax over the catalogue).") var negatives: Int?
    @Option(help: "The softmax's movies: those a training target at least this often (sasrec; 3).")
    var minTargetCount: Int?
    @Option(help: "Stop early on each history's last liked movie after this many epochs without gain (sasrec).")
    var patience: Int?
    @Option(
        help:
            "Recent positive movies read by din, dien and two-tower (5 as the original; up to 20 with Sparrow's samples)."
    )
    var history = 5

    @OptionGroup var ease: EASEOptions

    func run() throws {
        if model == .sasrec {
            var config = SASRec.Config()
            config.maxLength = maxLen
            config.dim = dim
            config.blocks = blocks
            config.heads = heads
            config.dropout = dropout ?? config.dropout
            config.epochs = epochs ?? config.epochs
            config.batch = batch ?? config.batch
            config.learningRate = lr ?? config.learningRate
            config.seed = seed
            config.negatives = negatives ?? config.negatives
            config.minTargetCount = minTargetCount ?? config.minTargetCount
            try NextItemTraining.sasrec(catalog: try dataOptions.load(), out: out, config: config, patience: patience)
            return
        }
        if model == .ease || model == .ranker {
            try NextItemTraining.run(
                model: model.rawValue, catalog: try dataOptions.load(), out: out, lambda: ease.lambda)
            return
        }
        if [.als, .bpr, .mf].contains(model) {
            try CollaborativeTraining.run(
                method: model.rawValue, catalog: try dataOptions.load(), out: out, factors: factors,
                iterations: iterations,
                seed: seed,
                confidence: confidence, regularization: regularization, learningRate: lr)
            return
        }
        guard let kind = model.rankingKind else { preconditionFailure("every other target is handled above") }
        let (train, test) = try SampleSet.load(samples)
        print("samples: \(train.count) training, \(test.count) test (\(samples))")
        var config = ModelConfig()
        config.seed = seed
        config.embeddingDim = embeddingDim
        config.dropout = dropout ?? 0
        var training = TrainingConfig()
        training.epochs = epochs ?? 5
        training.batchSize = batch ?? 12
        training.learningRate = lr ?? 0.001
        training.seed = seed
        training.validationFraction = validation
        let spec = FeatureSpec(fitting: train, historyLength: history)
        let net = kind.make(spec: spec, config: config)
        print("model: \(kind.rawValue), \(net.parameterCount) parameters")
        var trainRows = Array(0..<train.count)
        var validationSet: EncodedSamples?
        let encodedAll = EncodedSamples(train, spec: spec)
        if validation > 0 {
            var rng = SeededGenerator(seed: seed &+ 99)
            trainRows.shuffle(using: &rng)
            let cut = Int(Double(trainRows.count) * validation)
            validationSet = encodedAll.batch(trainRows[..<cut])
            trainRows = Array(trainRows[cut...]).sorted()
        }
        let encodedTrain = validation > 0 ? encodedAll.batch(trainRows) : encodedAll
        let start = ProcessStats.now()
        let history = Trainer(config: training).fit(net, train: encodedTrain, validation: validationSet)
        let seconds = ProcessStats.now() - start
        let metrics = Trainer.evaluate(net, EncodedSamples(test, spec: spec))
        let dir = try ModelArtifact.save(
            net, kind: kind, name: kind.rawValue, root: out, training: training, testMetrics: metrics, history: history,
            trainingSeconds: seconds)
        try? JSONEncoder().encode(metrics).write(to: URL(fileURLWithPath: dir + "/metrics.json"))
        print("saved \(dir)")
        print(
            String(
                format: "training time %.2f s (%.0f samples/s)", seconds,
                Double(encodedTrain.count * history.count) / seconds))
        print(
            String(
                format: "test: ROC AUC %.4f  PR AUC %.4f  LogLoss %.4f  accuracy %.4f", metrics.rocAUC,
                metrics.prAUC, metrics.logLoss, metrics.accuracy))
    }
}
