import ArgumentParser
import Foundation
import SparrowCommandLine
import SparrowCore

/// `sparrow-bench …`: measured speed, written to a file. A binary of its own, so the product (`sparrow`) does not
/// carry the benchmarks; the server benchmarks start the `sparrow` built beside it.
@main
struct BenchCommand: AsyncParsableCommand {
    /// The command's name, help and subcommands.
    public static let configuration = CommandConfiguration(
        commandName: "sparrow-bench",
        abstract: "Sparrow's benchmarks (use a release build: swift build -c release).",
        subcommands: [
            Load.self, Features.self, Gemm.self, Train.self, Models.self, TopK.self, Events.self, Crash.self,
            Restart.self, NextItem.self,
        ])

    /// Line-buffered standard output, then the subcommand (`runLineBuffered`).
    static func main() async { await runLineBuffered() }

    /// `sparrow-bench load`.
    struct Load: ParsableCommand {
        /// The command's name, help and subcommands.
        public static let configuration = CommandConfiguration(
            abstract: "Time loading a MovieLens folder, with peak memory.")
        @OptionGroup var dataOptions: DataOptions
        @Option(name: .customLong("repeat"), help: "Repetitions (the best and median are reported).")
        var repetitions: Int = 5
        @Option(help: "Append the result as a JSON line to this file.") var out: String?

        func run() throws {
            let directory = try dataOptions.directory()
            var times: [Double] = []
            var ratings = 0
            for _ in 0..<max(1, repetitions) {
                let start = ProcessStats.now()
                let catalog = try MovieLensReader.load(directory: directory)
                times.append(ProcessStats.now() - start)
                ratings = catalog.ratings.count
            }
            times.sort()
            let peak = Double(ProcessStats.peakResidentBytes() ?? 0) / 1_048_576
            let line = String(
                format: "bench load: %@ — %d ratings, best %.3f s, median %.3f s, %.1f M ratings/s, peak RSS %.0f MiB",
                directory, ratings, times[0], times[times.count / 2], Double(ratings) / times[0] / 1e6, peak)
            print(line)
            try appendResult(out, line)
        }
    }
}
