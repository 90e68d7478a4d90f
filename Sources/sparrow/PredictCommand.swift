import ArgumentParser
import Foundation
import SparrowCommandLine
import SparrowCore
import SparrowFeatures
import SparrowModels

/// `sparrow predict`: a quick check of a saved model on sample rows.
struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict", abstract: "Score sample rows with a saved model and show them beside their labels.")

    @Option(help: "A model folder: MODELS/<name>/<version>, or MODELS/<name> for its newest version.") var model: String
    @Option(help: "Samples folder (its test file is used) or a sample file (.sparrow or .csv).")
    var samples = "artifacts/samples"
    @Option(help: "How many rows to print.") var rows = 10

    func run() throws {
        var dir = model
        if !FileManager.default.fileExists(atPath: dir + "/model.json"),
            let latest = ModelArtifact.latestVersion(
                root: (dir as NSString).deletingLastPathComponent,
                name: (dir as NSString).lastPathComponent)
        {
            dir += "/\(latest)"
        }
        let (artifact, net) = try ModelArtifact.load(directory: dir)
        let table: SampleTable
        if samples.hasSuffix(".sparrow") {
            table = try SampleFile.read(path: samples)
        } else if samples.hasSuffix(".csv") {
            table = try SampleCSV.read(path: samples)
        } else {
            table = try SampleSet.load(samples).1
        }
        let encoded = EncodedSamples(table, spec: artifact.spec)
        let p = Trainer.predict(net, encoded)
        print("model \(artifact.kind.rawValue) v\(artifact.version) (\(dir)) on \(table.count) samples")
        print("  userId  movieId  rating  label  p(like)")
        for i in 0..<min(rows, table.count) {
            print(
                String(
                    format: "  %6d  %7d  %6.1f  %5.0f  %.4f", table[.userId][i], table[.movieId][i],
                    table[.rating][i], table[.label][i], p[i]))
        }
        print("all rows: " + BinaryMetrics(probabilities: p, labels: encoded.labels).line)
    }
}
