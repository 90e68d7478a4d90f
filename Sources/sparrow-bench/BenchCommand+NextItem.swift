import ArgumentParser
import Foundation
import SparrowCommandLine
import SparrowCore
import SparrowModels

extension BenchCommand {
    /// `sparrow-bench next-item`: where an uncached request's time goes — each signal over the catalogue, the
    /// candidates with their features, the ranker — over a sample of the users' full histories.
    struct NextItem: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "next-item",
            abstract: "Per-part time of the default served list's uncached path (one thread).")
        @OptionGroup var dataOptions: DataOptions
        @Option(help: "Artifacts folder with next-item/.") var artifacts = "artifacts"
        @Option(help: "Users measured (a fixed sample).") var users = 500
        @Option(help: "Append the results to this file.") var out: String?

        func run() throws {
            guard users > 0 else { throw CLIError("--users must be positive, got \(users)") }
            let catalog = try dataOptions.load()
            let model = try NextItemModel.load(from: (artifacts as NSString).appendingPathComponent("next-item"))
            let data = NextItemModel.histories(catalog)
            let size = model.signals.logPopularity.count  // the model's movies (its vocabulary when it has one)
            var rng = SeededGenerator(seed: 3)
            let sample = (0..<min(users, data.histories.count)).map { _ in rng.nextInt(below: data.histories.count) }
            var parts: [String: [Double]] = [:]
            func time<T>(_ name: String, _ body: () -> T) -> T {
                let start = ProcessStats.now()
                let value = body()
                parts[name, default: []].append(ProcessStats.now() - start)
                return value
            }
            let s = model.signals
            var lengths: [Int] = []
            for u in sample {
                let h =
                    model.vocabulary.map { $0.restrict(data.histories[u]) }
                    ?? data.histories[u].keeping { Int($0) < size }
                lengths.append(h.count)
                let recent = h.recencyWeights(decay: s.config.decay)
                _ = time("ease (both weightings)") {
                    s.ease.scores(
                        items: h.movies, weightings: [[Float](repeating: 1, count: h.count), recent.map(\.weight)])
                }
                _ = time("item-to-item") { s.neighbours.scores(recent) }
                _ = time("transitions") { s.transitions.scores(h.recencyWeights(decay: s.config.transitionDecay)) }
                _ = time("als fold-in") { s.als.scores(h.positives.movies.map { ($0, 1) }) }
                _ = time("genre") { s.genreScores(h) }
                if let sasrec = s.sasrec { _ = time("sasrec") { sasrec.scores(h) } }
                var skip = [UInt8](repeating: 0, count: size)
                for m in h.movies { skip[Int(m)] = 1 }
                let c = time("candidates + features (all signals again)") { s.candidates(h, skip: skip) }
                _ = time("ranker") { model.ranker.scores(c.features, count: c.movies.count) }
                // The whole call takes the catalogue's history and skip mask (it restricts them to the vocabulary).
                var catalogueSkip = [UInt8](repeating: 0, count: catalog.movies.count)
                for m in data.histories[u].movies { catalogueSkip[Int(m)] = 1 }
                _ = time("whole recommend") { model.recommend(data.histories[u], skip: catalogueSkip) }
            }
            lengths.sort()
            var lines = [
                "bench next-item: \(sample.count) users of \(catalog.ratings.count) ratings, \(size) movies ranked\(model.vocabulary.map { " (the most rated of \($0.catalogSize))" } ?? ""); history length median \(lengths[lengths.count / 2]), max \(lengths.last ?? 0)"
            ]
            for (name, values) in parts.sorted(by: { $0.value.reduce(0, +) > $1.value.reduce(0, +) }) {
                let sorted = values.sorted()
                let mean = values.reduce(0, +) / Double(values.count)
                let p99 = sorted[min(sorted.count - 1, Int(Double(sorted.count) * 0.99))]
                lines.append(
                    "  " + name.padding(toLength: 42, withPad: " ", startingAt: 0)
                        + String(format: "mean %7.3f ms   p99 %7.3f ms", mean * 1000, p99 * 1000))
            }
            let text = lines.joined(separator: "\n")
            print(text)
            try appendResult(out, text)
        }
    }
}
