import ArgumentParser
import Foundation
import SparrowCommandLine
import SparrowCore
import SparrowEmbedding
import SparrowEval
import SparrowFeatures
import SparrowModels
import SparrowServer
import SparrowOffline
import SparrowServing

/// `sparrow eval`: every model and baseline on the offline protocols, written as report.json and report.html.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate every model and baseline; write report.json and a self-contained report.html.")

    @OptionGroup var dataOptions: DataOptions
    @Option(help: "Artifacts folder (missing artifacts are built).") var artifacts = "artifacts"
    @Option(help: "Output folder for the report.") var out = "artifacts/report"
    @Option(
        help:
            "The original pipeline's sample CSVs, to compare with TensorFlow (default: ../shared/data/sparrow-samples when present)."
    )
    var original: String?
    @Option(help: "Ranking models to train and compare (comma-separated).")
    var models = ModelKind.allCases.map(\.rawValue).joined(separator: ",")
    @Option(
        name: .customLong("protocol"),
        help:
            "Top-K hold-out: leave-last-out, or time (the newest --held-out-fraction of the ratings; only the top-K stages run, as with --top-k-only)."
    )
    var holdOut: HoldOutSplit.Kind = .leaveLastOut
    @Option(help: "Share of the ratings, the newest, held out by --protocol time.") var heldOutFraction = 0.1
    @Flag(help: "Only the top-K stages (single models and the served pipeline), on either protocol.")
    var topKOnly = false
    @Option(help: "Top-K stages: at most this many test users, a fixed random sample (large data sets).")
    var sampleUsers: Int?

    func run() throws {
        var stage = StageTimer()
        let catalog = try stage.run("load") { try dataOptions.load() }
        if holdOut == .leaveLastOut && !topKOnly {
            try EvalCommand.evaluate(
                catalog: catalog, artifacts: artifacts, out: out, original: original, models: models, stage: &stage)
        } else {
            guard heldOutFraction > 0 && heldOutFraction < 1 else {
                throw CLIError("--held-out-fraction must be between 0 and 1 (exclusive), got \(heldOutFraction)")
            }
            if let n = sampleUsers, n < 1 { throw CLIError("--sample-users must be at least 1, got \(n)") }
            var split =
                holdOut == .timeline
                ? HoldOutSplit(catalog: catalog, heldOutFraction: heldOutFraction) : HoldOutSplit(catalog: catalog)
            let allCases = split.cases.count
            if let n = sampleUsers { split = split.sampled(maxCases: n) }
            var report = EvaluationReport(created: ISO8601DateFormatter().string(from: Date()), dataset: [:])
            report.dataset = [
                "movies": catalog.movies.count, "users": catalog.userIds.count, "ratings": catalog.ratings.count,
                "test users": split.cases.count,
            ]
            report.topKProtocol =
                split.cutoff.map {
                    String(
                        format: "the newest %.0f%% of the ratings held out (from %@), each user's next pick",
                        100 * heldOutFraction,
                        ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval($0))))
                } ?? "leave-last-out"
            if split.cases.count < allCases {
                report.topKProtocol! += ", on a random sample of \(split.cases.count) of the \(allCases) test users"
            }
            print("  \(report.topKProtocol!): \(split.cases.count) test users")
            try EvalCommand.topKStages(
                catalog: catalog, protocol: TopKProtocol(catalog: catalog, split: split),
                builder: ArtifactBuilder(root: artifacts), report: &report, stage: &stage)
            try EvalCommand.write(report, to: out)
        }
        print(stage.summary)
    }

    /// EASE's λ for the single-model entry: chosen on the validation hold-out
    /// (`sparrow-bench topk --validation --lambdas 50,100,200,400`; `docs/next-item-ranker.md`).
    static let easeLambda: Float = 50

    /// Runs every evaluation and writes the report; stages are timed into `stage`.
    static func evaluate(
        catalog: Catalog, artifacts: String, out: String, original: String?, models: String, stage: inout StageTimer
    ) throws {
        var report = EvaluationReport(created: ISO8601DateFormatter().string(from: Date()), dataset: [:])
        report.dataset = [
            "movies": catalog.movies.count, "users": catalog.userIds.count, "ratings": catalog.ratings.count,
        ]
        let builder = ArtifactBuilder(root: artifacts)
        let vectors = try stage.run("artifacts") { try builder.prepare(catalog: catalog) { print("  " + $0) } }
        let timePath = artifacts + "/samples-time"
        if !FileManager.default.fileExists(atPath: timePath + "/trainingSamples.sparrow") {
            _ = try FeaturePipeline(catalog: catalog, split: .time(testFraction: 0.2)).run(to: timePath)
        }
        var sets = [("sparrow-random", artifacts + "/samples"), ("sparrow-time", timePath)]
        let originalPath = original ?? "../shared/data/sparrow-samples"
        if FileManager.default.fileExists(atPath: originalPath + "/trainingSamples.csv") {
            sets.insert(("original", originalPath), at: 0)
        }
        let kinds = try models.split(separator: ",").map { name in
            guard let k = ModelKind(name: String(name)) else { throw CLIError("unknown model '\(name)'") }
            return k
        }
        try stage.run("ranking models") {
            for (label, path) in sets {
                let (train, test) = try SampleSet.load(path)
                let spec = FeatureSpec(fitting: train)
                let encodedTrain = EncodedSamples(train, spec: spec)
                let encodedTest = EncodedSamples(test, spec: spec)
                for kind in kinds {
                    let model = kind.make(spec: spec, config: ModelConfig())
                    let start = ProcessStats.now()
                    let history = Trainer(config: TrainingConfig(), log: { _ in }).fit(model, train: encodedTrain)
                    let seconds = ProcessStats.now() - start
                    let p = Trainer.predict(model, encodedTest)
                    let metrics = BinaryMetrics(probabilities: p, labels: encodedTest.labels)
                    let reference =
                        label == "original"
                        ? TensorFlowReference.ranking[kind].map { "ROC AUC \($0.auc), \($0.seconds) s" } : nil
                    report.ranking.append(
                        EvaluationReport.RankingEntry(
                            model: kind.rawValue, samples: label, metrics: metrics, reference: reference,
                            trainingSeconds: seconds, history: history,
                            curves: BinaryCurves(probabilities: p, labels: encodedTest.labels)))
                    print(String(format: "  %@ on %@: %@ (%.2f s)", kind.rawValue, label, metrics.line, seconds))
                }
            }
        }
        let topK = TopKProtocol(catalog: catalog)
        try topKStages(catalog: catalog, protocol: topK, builder: builder, report: &report, stage: &stage)
        try stage.run("embeddings") {
            let quality = EmbeddingQuality(catalog: catalog)
            var base = SkipGramConfig()
            base.threads = 2
            let runs: [(String, SkipGramConfig, EmbeddingMethod)] = [
                ("item2vec (original settings)", base, .item2vec),
                ("item2vec (serving settings)", builder.embedding, .item2vec),
                ("deepwalk (serving settings)", builder.embedding, .deepwalk),
                ("node2vec p=2 q=0.5 (serving settings)", builder.embedding, .node2vec),
            ]
            for (name, config, method) in runs {
                let sentences = method.sentences(from: quality.corpus)
                let set = SkipGram(config: config).train(sentences).embeddings
                let (hr, ndcg) = quality.hitRate(set)
                report.embeddings[name] = [
                    "hr10": hr, "ndcg10": ndcg, "genreKNN": EmbeddingQuality.genreAccuracy(set, catalog: catalog),
                ]
                print(String(format: "  %@: HR@10 %.4f NDCG@10 %.4f", name, hr, ndcg))
            }
            if let i2v = vectors[.item2vec] {
                let popular = Set(
                    topK.popularity.enumerated().sorted { $0.element > $1.element }.prefix(1500).map {
                        catalog.movies[$0.offset].id
                    })
                let ids = i2v.ids.filter { popular.contains($0) }
                let subset = EmbeddingSet(
                    ids: ids, dimension: i2v.dimension, vectors: ids.flatMap { Array(i2v.vector($0)!) })
                let coordinates = Projection.pca2(subset.normalized())
                report.embeddingMap = zip(ids, coordinates).compactMap { id, xy in
                    guard let movie = catalog.movie(id: id), let g = movie.genres.first else { return nil }
                    return EvaluationReport.MapPoint(
                        id: id, title: movie.title, genre: catalog.genres[Int(g)], x: xy[0], y: xy[1])
                }
            }
        }
        try stage.run("A/B versus interleaving") {
            let simulator = ReplaySimulator(catalog: catalog)
            var als = ImplicitALS()
            als.iterations = 10
            let model = als.fit(simulator.trainingMatrix(catalog: catalog))
            let counts = topK.popularity.map(Float.init)
            let comparison = simulator.compare(
                a: { _ in counts }, b: { model.scores(user: $0) }, names: ("popularity", "ALS"))
            report.experiments = comparison
            print(
                "  A/B needs \(comparison.abUsersNeeded.map(String.init) ?? "more than \(comparison.maxUsers)") users, interleaving \(comparison.interleavingUsersNeeded.map(String.init) ?? "more than \(comparison.maxUsers)")"
            )
        }
        report.timings = Dictionary(uniqueKeysWithValues: stage.stages.map { ($0.0, $0.1) })
        try write(report, to: out)
    }

    /// Writes report.json and report.html into `out`.
    static func write(_ report: EvaluationReport, to out: String) throws {
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        try encoder.encode(report).write(to: URL(fileURLWithPath: out + "/report.json"))
        try ReportHTML.render(report).write(toFile: out + "/report.html", atomically: true, encoding: .utf8)
        print("wrote \(out)/report.json and \(out)/report.html")
    }
}
