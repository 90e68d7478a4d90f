import ArgumentParser
import Foundation
import SparrowCommandLine
import SparrowCore
import SparrowFeatures

extension BenchCommand {
    /// `sparrow-bench features`: the whole sample pipeline (load, point-in-time features, CSV and binary files,
    /// snapshots), best of N, with peak memory.
    struct Features: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Time load + point-in-time samples + writing every output.")
        @OptionGroup var dataOptions: DataOptions
        @Option(name: .customLong("repeat"), help: "Repetitions (best and median reported).") var repetitions = 5
        @Option(help: "Append the result to this file.") var out: String?

        func run() throws {
            let directory = try dataOptions.directory()
            let target = FileManager.default.temporaryDirectory.appendingPathComponent(
                "sparrow-bench-features-\(UUID().uuidString)"
            ).path
            defer { try? FileManager.default.removeItem(atPath: target) }
            var times: [(load: Double, total: Double)] = []
            var rows = 0
            for _ in 0..<max(1, repetitions) {
                let start = ProcessStats.now()
                let catalog = try MovieLensReader.load(directory: directory)
                let loaded = ProcessStats.now()
                let summary = try FeaturePipeline(catalog: catalog, split: .random(seed: 42, testFraction: 0.2)).run(
                    to: target)
                times.append((loaded - start, ProcessStats.now() - start))
                rows = summary.trainRows + summary.testRows
            }
            times.sort { $0.total < $1.total }
            let peak = Double(ProcessStats.peakResidentBytes() ?? 0) / 1_048_576
            let line = String(
                format: "bench features: %@ — %d samples, best %.3f s (load %.3f s), median %.3f s, peak RSS %.0f MiB",
                directory, rows, times[0].total, times[0].load, times[times.count / 2].total, peak)
            print(line)
            try appendResult(out, line)
        }
    }
}
