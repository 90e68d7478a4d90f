import ArgumentParser
import Foundation
import SparrowCommandLine
import SparrowCore
import SparrowFeatures

/// `sparrow features`: point-in-time training samples and feature snapshots.
struct FeaturesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "features",
        abstract: "Generate point-in-time training/test samples and the latest feature snapshots.")

    @OptionGroup var dataOptions: DataOptions
    @Option(help: "Output folder.") var out = "artifacts/samples"
    @Option(help: "random, time or last (leave-last-out per user).") var split = "random"
    @Option(help: "Test fraction for random and time splits.") var testFraction = 0.2
    @Option(help: "Seed of the random split.") var seed: UInt64 = 42
    @Flag(help: "Append hour, weekday, movie age and user gap columns to the CSVs.") var extraColumns = false
    @Flag(help: "Write only the binary sample files, not the CSVs.") var noCsv = false
    @Option(
        help: "Compare with the original pipeline's sample CSVs in this folder (e.g. ../shared/data/sparrow-samples).")
    var compare: String?

    func run() throws {
        let start = ProcessStats.now()
        let catalog = try dataOptions.load()
        let loaded = ProcessStats.now()
        var pipeline = FeaturePipeline(catalog: catalog, split: try parsedSplit())
        pipeline.extraColumns = extraColumns
        pipeline.writeCSV = !noCsv
        let summary = try pipeline.run(to: out)
        let end = ProcessStats.now()
        print(
            "samples: \(summary.trainRows + summary.testRows) (training \(summary.trainRows), test \(summary.testRows))"
        )
        for file in summary.files { print("  wrote \(file)") }
        if let compare {
            let ours = try SampleFile.read(path: out + "/trainingSamples.sparrow")
            let oursTest = try SampleFile.read(path: out + "/testSamples.sparrow")
            var all = ours
            for i in 0..<oursTest.count { all.append(row: i, of: oursTest) }
            var reference = try SampleCSV.read(path: compare + "/trainingSamples.csv")
            let refTest = try SampleCSV.read(path: compare + "/testSamples.csv", genres: reference.genres)
            reference.genres = refTest.genres
            for i in 0..<refTest.count { reference.append(row: i, of: refTest) }
            print(SampleComparison(ours: all, reference: reference, catalog: catalog).report)
        }
        let peak = Double(ProcessStats.peakResidentBytes() ?? 0) / 1_048_576
        print(
            String(
                format: "time: load %.3f s, features %.3f s, total %.3f s; peak RSS %.0f MiB",
                loaded - start, end - loaded, end - start, peak))
    }

    func parsedSplit() throws -> SampleSplit {
        switch split {
        case "random": return .random(seed: seed, testFraction: testFraction)
        case "time": return .time(testFraction: testFraction)
        case "last": return .lastOut
        default: throw CLIError("unknown split '\(split)'; use random, time or last")
        }
    }
}
