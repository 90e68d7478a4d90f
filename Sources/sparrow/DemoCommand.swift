import ArgumentParser
import Foundation
import Logging
import SparrowCommandLine
import SparrowCore
import SparrowFeatures
import SparrowModels
import SparrowServer
import SparrowOffline
import SparrowServing

/// `sparrow demo`: the whole system from a MovieLens folder — load, features, embeddings, models, then serve.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract:
            "Build every missing artifact from a MovieLens folder (downloading ml-latest-small when none is given), then serve."
    )

    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var nearLine: NearLineOptions
    @Option(help: "Where built artifacts go (reused when present).") var artifacts = "artifacts"
    @Option(help: "Port to serve on.") var port = 6010
    @Flag(help: "Build and report, but do not serve.") var noServe = false
    @Flag(help: "Skip the evaluation report (about a minute on ml-latest-small).") var noReport = false

    func run() async throws {
        let directory = try resolveData()
        var stage = StageTimer()
        let catalog = try stage.run("load MovieLens") {
            try MovieLensReader.load(directory: directory, options: LoadOptions(lenient: dataOptions.lenient))
        }
        if let summary = catalog.skipped.summary { printErr(summary) }
        print(CatalogStats(catalog).report)
        let builder = ArtifactBuilder(root: artifacts)
        let recommender = try stage.run("features, embeddings, models (missing ones)") {
            try builder.recommender(catalog: catalog, precomputeLists: true) { print("  " + $0) }
        }
        for (name, versions) in recommender.models.available.sorted(by: { $0.key < $1.key }) {
            if let v = versions.last, let loaded = recommender.models.model(name, version: v),
                let m = loaded.artifact.testMetrics
            {
                print("  \(name) v\(v): test \(m.line)")
            }
        }
        let reportDirectory = (artifacts as NSString).appendingPathComponent("report")
        if !noReport && !FileManager.default.fileExists(atPath: reportDirectory + "/report.json") {
            try EvalCommand.evaluate(
                catalog: catalog, artifacts: artifacts, out: reportDirectory, original: nil,
                models: ModelKind.allCases.map(\.rawValue).joined(separator: ","), stage: &stage)
        }
        print(stage.summary)
        guard !noServe else { return }
        let service = RecommendationService(
            recommender: recommender,
            ingest: try await nearLine.ingest(recommender: recommender, artifacts: artifacts, port: port),
            exposurePath: artifacts + "/exposures.jsonl",
            reportPath: artifacts + "/report/report.json", movieAdditions: MovieAdditions(artifacts: artifacts))
        print("warning: a demo server: reads and writes are open to anyone who reaches the port (`serve --api-keys`)")
        let webRoot = FileManager.default.fileExists(atPath: "Web/index.html") ? "Web" : nil
        let app = SparrowServerApp.application(
            service: service, port: port, webRoot: webRoot, logger: Logger(label: "sparrow")
        ) { bound in
            print(
                "serving on http://127.0.0.1:\(bound) — try /getrecforyou?id=1&size=10 or /api/v1/recommend?user=1&explain=true"
            )
        }
        let refresher = recommender.startRefreshing()
        try await app.runService()
        refresher.cancel()
        await service.ingest.shutdown()
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

/// Times named stages, records each one's peak resident memory, and prints a summary.
struct StageTimer {
    /// Each stage's name, seconds and peak resident bytes (nil where the platform cannot tell).
    private(set) var stages: [(String, Double, Int?)] = []

    mutating func run<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
        print("▶ \(name)…")
        let reset = ProcessStats.resetPeakResident()
        let start = ProcessStats.now()
        let value = try body()
        let elapsed = ProcessStats.now() - start
        stages.append((name, elapsed, reset ? ProcessStats.peakResidentBytes() : nil))
        print("  done in \(String(format: "%.3f s", elapsed))")
        return value
    }

    var summary: String {
        let total = stages.reduce(0) { $0 + $1.1 }
        func memory(_ bytes: Int?) -> String {
            bytes.map { String(format: "%8.0f MiB peak", Double($0) / 1_048_576) } ?? ""
        }
        return
            (["stage timings:"]
            + stages.map {
                "  \($0.0.padding(toLength: 44, withPad: " ", startingAt: 0)) " + String(format: "%8.3f s", $0.1)
                    + memory($0.2)
            } + ["  total" + String(format: "%47.3f s", total) + memory(stages.compactMap(\.2).max())])
            .joined(separator: "\n")
    }
}
