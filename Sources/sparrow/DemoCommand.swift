import ArgumentParser
import Foundation
import SparrowCore
import SparrowFeatures
import SparrowModels

/// `sparrow demo`: the whole system from a MovieLens folder, one stage after another.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the whole pipeline on a MovieLens folder (downloading ml-latest-small when none is given).")

    @OptionGroup var dataOptions: DataOptions
    @Option(help: "Where built artifacts go.") var artifacts = "artifacts"

    func run() throws {
        let directory = try resolveData()
        var stage = StageTimer()
        let catalog = try stage.run("load MovieLens") {
            try MovieLensReader.load(directory: directory, options: LoadOptions(lenient: dataOptions.lenient))
        }
        if let summary = catalog.skipped.summary { printErr(summary) }
        print(CatalogStats(catalog).report)
        let samplesDirectory = (artifacts as NSString).appendingPathComponent("samples")
        let summary = try stage.run("features and samples") {
            try FeaturePipeline(catalog: catalog, split: .random(seed: 42, testFraction: 0.2)).run(to: samplesDirectory)
        }
        print("  \(summary.trainRows) training and \(summary.testRows) test samples in \(samplesDirectory)")
        let modelsDirectory = (artifacts as NSString).appendingPathComponent("models")
        try stage.run("train embedding-mlp") {
            let train = try SampleFile.read(path: samplesDirectory + "/trainingSamples.sparrow")
            let test = try SampleFile.read(path: samplesDirectory + "/testSamples.sparrow")
            let spec = FeatureSpec(fitting: train)
            let model = ModelKind.embeddingMLP.make(spec: spec, config: ModelConfig())
            let training = TrainingConfig()
            let start = ProcessStats.now()
            let history = Trainer(config: training, log: { print("  " + $0) }).fit(model, train: EncodedSamples(train, spec: spec))
            let seconds = ProcessStats.now() - start
            let metrics = Trainer.evaluate(model, EncodedSamples(test, spec: spec))
            let dir = try ModelArtifact.save(
                model, kind: .embeddingMLP, name: ModelKind.embeddingMLP.rawValue, root: modelsDirectory,
                training: training, testMetrics: metrics, history: history, trainingSeconds: seconds)
            print("  test " + metrics.line + "  → \(dir)")
        }
        print(stage.summary)
    }

    /// The data folder: --data / SPARROW_DATA, else ./data/ml-latest-small, downloading it when missing.
    func resolveData() throws -> String {
        if let explicit = try? dataOptions.directory() { return explicit }
        let local = "data/ml-latest-small"
        if FileManager.default.fileExists(atPath: local + "/ratings.csv") { return local }
        print("no --data given: downloading ml-latest-small into ./data")
        return try DatasetDownloader.download(.mlLatestSmall, to: "data") { print($0) }
    }
}

/// Times named stages and prints a summary.
struct StageTimer {
    private(set) var stages: [(String, Double)] = []

    mutating func run<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
        print("▶ \(name)…")
        let start = ProcessStats.now()
        let value = try body()
        let elapsed = ProcessStats.now() - start
        stages.append((name, elapsed))
        print("  done in \(String(format: "%.3f s", elapsed))")
        return value
    }

    var summary: String {
        let total = stages.reduce(0) { $0 + $1.1 }
        return (["stage timings:"] + stages.map { "  \($0.0.padding(toLength: 24, withPad: " ", startingAt: 0)) "
            + String(format: "%8.3f s", $0.1) } + ["  total" + String(format: "%27.3f s", total)])
            .joined(separator: "\n")
    }
}
