import Foundation
import SparrowCore
import SparrowServing
import SparrowEmbedding
import SparrowFeatures
import SparrowModels

/// Builds whatever serving needs that is not in the artifacts folder yet — samples, embeddings, models — and loads
/// it all: the same steps as the offline commands, skipped when their output exists.
public struct ArtifactBuilder: Sendable {
    /// The artifacts folder.
    public let root: String
    /// Ranking models to have (trained if missing).
    public var models: [ModelKind] = [.embeddingMLP, .neuralCF, .twoTower]
    /// Skip-gram settings of the serving embeddings (`SkipGramConfig.serving`).
    public var embedding = SkipGramConfig.serving

    /// Training samples the ranking models read at most (a fixed random sample beyond; their test metrics likewise):
    /// ml-latest-small has 80,000, MovieLens-25M 20 million.
    public var maxSampleRows = 1_000_000
    /// Skip-gram words × epochs per embedding at most (fewer epochs beyond, at least one): ml-latest-small's item2vec
    /// corpus is 48,000 words × 20 epochs.
    public var embeddingWords = 12_000_000
    /// The next-item model's bounds.
    public var nextItemBudget = NextItemModel.Budget()

    /// Creates a builder for `root`.
    public init(root: String) { self.root = root }

    func path(_ name: String) -> String { (root as NSString).appendingPathComponent(name) }

    /// Makes sure every artifact exists, reporting each step through `log`.
    public func prepare(catalog: Catalog, log: (String) -> Void) throws -> [EmbeddingMethod: EmbeddingSet] {
        let fm = FileManager.default
        try fm.createDirectory(atPath: path("embeddings"), withIntermediateDirectories: true)
        if !fm.fileExists(atPath: path("samples/trainingSamples.sparrow")) {
            let start = ProcessStats.now()
            let summary = try withoutActuallyEscaping(log) { log in
                try FeaturePipeline(catalog: catalog, split: .random(seed: 42, testFraction: 0.2)).run(
                    to: path("samples"), log: log)
            }
            log(
                String(
                    format: "built samples: %d training, %d test (%.2f s)", summary.trainRows, summary.testRows,
                    ProcessStats.now() - start))
        }
        var vectors: [EmbeddingMethod: EmbeddingSet] = [:]
        var positives: [[Int32]]?  // computed once, and only when a method is missing
        for method in EmbeddingMethod.allCases {
            let file = path("embeddings/serving-\(method).bin")
            if let existing = try? EmbeddingSet.readBinary(path: file) {
                vectors[method] = existing
                continue
            }
            if positives == nil { positives = ItemSequences.positives(catalog) }
            let sequences = positives!
            let start = ProcessStats.now()
            let sentences = method.sentences(from: sequences)
            var config = embedding
            let words = sentences.reduce(0) { $0 + $1.count }
            config.epochs = max(1, min(config.epochs, embeddingWords / max(1, words)))
            let set = SkipGram(config: config).train(sentences) { log("\(method.rawValue) " + $0) }.embeddings
            try set.writeBinary(to: file)
            vectors[method] = set
            log(
                String(
                    format: "trained %@ embeddings: %d movies × %d, %d words × %d epochs (%.2f s)", method.rawValue,
                    set.count, set.dimension, words, config.epochs, ProcessStats.now() - start))
        }
        for kind in models where ModelArtifact.latestVersion(root: path("models"), name: kind.rawValue) == nil {
            let start = ProcessStats.now()
            let train = try SampleFile.read(path: path("samples/trainingSamples.sparrow"), maxRows: maxSampleRows)
            let test = try SampleFile.read(path: path("samples/testSamples.sparrow"), maxRows: maxSampleRows)
            let spec = FeatureSpec(fitting: train)
            let model = kind.make(spec: spec, config: ModelConfig())
            let training = TrainingConfig()
            // Each epoch's line (with the time left) as progress; the within-epoch lines are left out.
            let history = withoutActuallyEscaping(log) { log in
                Trainer(config: training) { line in if line.hasPrefix("epoch ") { log("\(kind.rawValue) " + line) } }
                    .fit(model, train: EncodedSamples(train, spec: spec))
            }
            let metrics = Trainer.evaluate(model, EncodedSamples(test, spec: spec))
            let seconds = ProcessStats.now() - start
            try ModelArtifact.save(
                model, kind: kind, name: kind.rawValue, root: path("models"), training: training,
                testMetrics: metrics, history: history, trainingSeconds: seconds)
            log(
                String(
                    format: "trained %@ on %d samples (%.2f s): test %@", kind.rawValue, train.count, seconds,
                    metrics.line))
        }
        if !fm.fileExists(atPath: path("next-item/model.json")) { _ = try nextItem(catalog: catalog, log: log) }
        return vectors
    }

    /// The next-item model under `next-item/`, trained (and saved) when missing or written for another catalog.
    public func nextItem(catalog: Catalog, log: (String) -> Void) throws -> NextItemModel {
        let directory = path("next-item")
        if let model = try? NextItemModel.load(from: directory),
            model.catalogSize <= catalog.movies.count
        {
            return model
        }
        let start = ProcessStats.now()
        let model = try NextItemModel.train(NextItemModel.histories(catalog), budget: nextItemBudget, log: log)
        try model.save(to: directory)
        log(
            String(
                format:
                    "trained the next-item model (EASE, item-to-item, transitions, ALS, genre, SASRec, ranker) in %.2f s",
                ProcessStats.now() - start))
        return model
    }

    /// Builds the recommender: catalog (with the movies added while serving, `MovieAdditions`), embeddings and
    /// models (logged events are replayed by the event ingest), and every user's default list when `next-item/`
    /// holds them for this state (`precomputeLists`: ranked and saved when it does not).
    public func recommender(
        catalog base: Catalog, precomputeLists: Bool = false, prefetched: StartupFiles? = nil, log: (String) -> Void
    ) throws -> Recommender {
        let catalog = try MovieAdditions(artifacts: root).applied(to: base)
        if catalog.movies.count > base.movies.count {
            log(
                "catalogue: \(catalog.movies.count - base.movies.count) movies added while serving (\(MovieAdditions.fileName))"
            )
        }
        var clock = ProcessStats.now()
        func lap(_ what: String) {
            let now = ProcessStats.now()
            log(String(format: "start-up: %@ %.2f s", what, now - clock))
            clock = now
        }
        let vectors = try prepare(catalog: catalog, log: log)
        lap("embeddings")
        let files = prefetched ?? startupFiles()
        let models = ServingModels(root: path("models"))
        lap("ranking models")
        for (name, versions) in models.available.sorted(by: { $0.key < $1.key }) {
            log("model \(name): versions \(versions)")
        }
        for (key, reason) in models.refusals { log("refused \(key): \(reason)") }
        // A promoted retrained version serves; `next-item/` is loaded only when there is none or it cannot load.
        var promotedModel: (model: NextItemModel, version: Int)?
        let promoted = NextItemVersions(artifacts: root).promoted()
        if promoted > 0 {
            do {
                let model = try NextItemVersions(artifacts: root).load(promoted)
                if model.catalogSize <= catalog.movies.count {
                    promotedModel = (model, promoted)
                    log("next-item: serving retrained version \(promoted)")
                } else {
                    log("next-item: promoted version \(promoted) was built for another catalogue; serving next-item/")
                }
            } catch {
                log("next-item: promoted version \(promoted) refused (\(error)); serving next-item/")
            }
        }
        // The prefetched model is waited for only when no promoted version serves.
        func fitting(_ model: NextItemModel?) -> NextItemModel? {
            model.flatMap { $0.catalogSize <= catalog.movies.count ? $0 : nil }
        }
        let next = try promotedModel ?? (fitting(files.model.value) ?? nextItem(catalog: catalog, log: log), 0)
        lap("next-item model")
        let recommender = Recommender(
            catalog: catalog, movieVectors: vectors, models: models, nextItem: next.model,
            nextItemVersion: next.version,
            addedMoviesFrom: base.movies.count)
        lap("live state")
        guard next.version == 0 else { return recommender }
        // Every user's default list, ranked offline: loaded when it matches this state and model, else computed
        // when asked (the offline build) and left to the first requests otherwise.
        let modelFile = path("next-item/model.json")
        let lists = path("next-item/" + Self.rankedListsFile)
        do {
            if let file = try files.lists.value?.get(),
                let users = try recommender.loadRankedLists(file, modelFile: modelFile)
            {
                lap("next-item lists of \(users) users loaded:")
            } else if precomputeLists {
                let users = try recommender.precomputeRankedLists(to: lists, modelFile: modelFile, log: log)
                lap("next-item lists of \(users) users ranked:")
            }
        } catch {
            log("next-item lists refused (\(error)): each user's first request ranks theirs")
        }
        return recommender
    }

    /// What start-up reads besides the catalogue — `next-item/`'s model and its offline lists — each read (and parsed)
    /// on a thread of its own from the moment `startupFiles()` is called: a server calls it before loading the
    /// catalogue, so the reads overlap that and the live state's construction.
    public final class StartupFiles: Sendable {
        let model: Prefetched<NextItemModel?>
        let lists: Prefetched<Result<RankedListsFile, Error>?>

        init(directory: String, lists: String) {
            model = Prefetched { try? NextItemModel.load(from: directory) }
            self.lists = Prefetched {
                FileManager.default.fileExists(atPath: lists)
                    ? Result { try RankedListsFile(ArrayArchive.read(lists), path: lists) } : nil
            }
        }
    }

    /// Starts reading `next-item/` and its lists (see `StartupFiles`); a model missing then is trained by
    /// `recommender(…)`.
    public func startupFiles() -> StartupFiles {
        StartupFiles(directory: path("next-item"), lists: path("next-item/" + Self.rankedListsFile))
    }

    /// The file under `next-item/` with every user's ranked list (see `Recommender.precomputeRankedLists`).
    public static let rankedListsFile = "lists.bin"
}
