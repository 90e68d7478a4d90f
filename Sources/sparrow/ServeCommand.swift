import ArgumentParser
import Foundation
import Hummingbird
import Logging
import SparrowCommandLine
import SparrowCore
import SparrowServer
import SparrowOffline
import SparrowServing

/// `sparrow serve`: the online recommender over HTTP.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Serve recommendations over HTTP (port 6010), building missing artifacts first."
    )

    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var nearLine: NearLineOptions
    @Option(help: "Artifacts folder.") var artifacts = "artifacts"
    @Option(help: "Port.") var port = 6010
    @Option(help: "Address to bind.") var host = "0.0.0.0"
    @Option(help: "JSON config: {\"experiments\": […], \"settings\": {…}}.") var config: String?
    @OptionGroup(title: "Keys and quotas") var accessOptions: AccessOptions
    @Option(help: "Folder of the web UI (default: Web/ in the working directory, when present).") var web: String?
    @Flag(help: "Serve no web UI.") var noWeb = false
    @Option(help: "Network event-loop threads (default: one per core).") var eventLoops: Int?
    @Option(help: "Log level: trace, debug (every request), info, warning, error.") var logLevel = "info"
    @Option(
        help:
            "Look for a newly promoted version of the served model every this many seconds (0: only on /admin/reload).")
    var reloadEvery = 5
    @Option(
        help:
            "Retrain the served model in the background every interval (90s, 30m, 6h, 1d) on ratings.csv + the events, at the lowest CPU priority; promoted versions are loaded at once."
    )
    var retrainEvery: String?
    @Option(help: "Background retraining: the gate's margin on NDCG@10.") var retrainMargin = 0.0
    @Option(help: "Background retraining: the fewest users with new feedback the gate decides on.")
    var retrainMinGateUsers = 20

    struct ConfigFile: Decodable {
        var experiments: [ABConfig.Experiment]?
        var settings: RecommendationSettings?
    }

    func run() async throws {
        let began = ProcessStats.now()
        let access = try accessOptions.accessControl { print("warning: " + $0) }
        let builder = ArtifactBuilder(root: artifacts)
        let files = builder.startupFiles()  // read while the catalogue loads
        let catalog = try dataOptions.load()
        print(
            "loaded \(catalog.movies.count) movies, \(catalog.userIds.count) users, \(catalog.ratings.count) ratings"
                + String(format: " (%.2f s)", ProcessStats.now() - began))
        let prefetch = nearLine.prefetchCheckpoint(artifacts: artifacts)
        let recommender = try builder.recommender(catalog: catalog, prefetched: files) { print($0) }
        let eventsBegan = ProcessStats.now()
        var experiments = ABConfig()
        if let config {
            let file = try JSONDecoder().decode(ConfigFile.self, from: Data(contentsOf: URL(fileURLWithPath: config)))
            experiments.experiments = file.experiments ?? []
            if let settings = file.settings { recommender.settings = settings }
        }
        let service = RecommendationService(
            recommender: recommender,
            ingest: try await nearLine.ingest(
                recommender: recommender, artifacts: artifacts, port: port, prefetched: prefetch),
            experiments: experiments,
            exposurePath: artifacts + "/exposures.jsonl", access: access,
            reportPath: artifacts + "/report/report.json", nextItemVersions: NextItemVersions(artifacts: artifacts),
            movieAdditions: MovieAdditions(artifacts: artifacts))
        print(String(format: "start-up: events %.2f s", ProcessStats.now() - eventsBegan))
        var logger = Logger(label: "sparrow")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let webRoot = noWeb ? nil : web ?? (FileManager.default.fileExists(atPath: "Web/index.html") ? "Web" : nil)
        let app = SparrowServerApp.application(
            service: service, host: host, port: port, webRoot: webRoot, logger: logger, eventLoops: eventLoops
        ) { bound in
            print(String(format: "start-up: ready %.2f s after launch", ProcessStats.now() - began))
            print(
                "serving on http://\(host == "0.0.0.0" ? "127.0.0.1" : host):\(bound)  (models: \(recommender.models.available.keys.sorted().joined(separator: ", ")); events: \(service.ingest.mode))"
            )
        }
        let refresher = recommender.startRefreshing()
        let lifecycle = try ModelLifecycle(
            recommender: recommender, artifacts: artifacts, redis: nearLine.redis,
            stream: nearLine.stream)
        let watcher = reloadEvery > 0 ? lifecycle.watch(every: .seconds(reloadEvery)) : nil
        var schedule: BackgroundLoop?
        if let retrainEvery {
            guard let interval = Duration(interval: retrainEvery) else {
                throw CLIError("--retrain-every must look like 90s, 30m, 6h or 1d, got \(retrainEvery)")
            }
            var options = Retraining.Options()
            options.margin = retrainMargin
            options.minimumGateUsers = retrainMinGateUsers
            schedule = lifecycle.retrain(every: interval, with: Retraining.Runner(options: options))
        }
        try await app.runService()
        schedule?.cancel()
        watcher?.cancel()
        await lifecycle.close()
        refresher.cancel()
        await service.ingest.shutdown()
    }
}
