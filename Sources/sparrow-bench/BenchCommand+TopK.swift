import ArgumentParser
import Foundation
import SparrowCommandLine
import SparrowCore
import SparrowEmbedding
import SparrowEval
import SparrowModels

extension BenchCommand {
    /// `sparrow-bench topk`: every recall method on the leave-last-out full-ranking protocol.
    struct TopK: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "topk",
            abstract: "Popularity, ItemKNN, ALS, BPR and Item2vec on the leave-last-out top-K protocol.")
        @OptionGroup var dataOptions: DataOptions
        @Option(help: "Cut-off K.") var k = 10
        @Option(help: "Append the results to this file.") var out: String?
        @Flag(help: "Evaluate on the validation hold-out: each user's second-to-last positive, the last one removed.")
        var validation = false
        @Option(help: "EASE λ values to try (comma-separated).") var lambdas = "200"
        @Flag(help: "Skip the next-item ranker.") var noRanker = false
        @Flag(help: "Only the next-item ranker (no single models).") var rankerOnly = false
        @Flag(help: "Train the next-item ranker without its SASRec signal (faster).") var rankerNoSasrec = false
        @Option(help: "SASRec epochs to try (comma-separated; empty = skip SASRec).") var sasrecEpochs = ""
        @Option(help: "SASRec batch size.") var sasrecBatch = 16
        @Option(help: "SASRec learning rate.") var sasrecLr: Float = 0.005
        @Option(help: "SASRec dropout.") var sasrecDropout: Float = 0.2
        @Option(help: "SASRec blocks.") var sasrecBlocks = 2
        @Option(help: "SASRec longest history.") var sasrecMaxLen = 50
        @Option(help: "SASRec sampled negatives (0 = full softmax).") var sasrecNegatives = 0
        @Option(help: "SASRec: the softmax's movies are those a target at least this often (comma-separated to try).")
        var sasrecMinTargetCount = "1"
        @Option(
            help: "SASRec: stop early on each training history's last liked movie after this many epochs without gain.")
        var sasrecPatience: Int?
        @Option(help: "SASRec heads.") var sasrecHeads = 1
        @Option(help: "SASRec seeds to try (comma-separated).") var sasrecSeeds = "1"
        @Option(help: "The ranker's SASRec signal: seed.") var rankerSasrecSeed: UInt64?
        @Option(
            name: .customLong("protocol"),
            help: "leave-last-out, or time (the newest --held-out-fraction of the ratings; --validation splits again).")
        var holdOut: HoldOutSplit.Kind = .leaveLastOut
        @Option(help: "Share of the ratings, the newest, held out by --protocol time.") var heldOutFraction = 0.1
        @Flag(help: "The ranker without its gap columns.") var rankerNoGap = false
        @Flag(help: "The ranker without its genre-lift columns.") var rankerNoGenreLift = false
        @Option(help: "The ranker's L2 weight decay.") var rankerL2: Float?
        @Option(help: "Candidates each next-item signal contributes.") var rankerPerSignal: Int?
        @Option(help: "The ranker's epochs.") var rankerEpochs: Int?
        @Option(help: "At most this many users' lists train the ranker (a fixed random sample).")
        var rankerListUsers: Int?
        @Option(help: "The ranker's SASRec signal: minimum target count of its softmax's movies (default: SASRec's).")
        var rankerSasrecMinTargetCount: Int?

        func run() throws {
            var catalog = try dataOptions.load()
            guard heldOutFraction > 0 && heldOutFraction < 1 else {
                throw CLIError("--held-out-fraction must be between 0 and 1 (exclusive), got \(heldOutFraction)")
            }
            // Settings are checked before the minutes of single-model runs that come first.
            func split(_ c: Catalog) -> HoldOutSplit {
                holdOut == .timeline
                    ? HoldOutSplit(catalog: c, heldOutFraction: heldOutFraction) : HoldOutSplit(catalog: c)
            }
            if validation { catalog = split(catalog).trainingCatalog(catalog) }
            let protocolSplit = TopKProtocol(catalog: catalog, split: split(catalog))
            var lines = [
                "bench topk: \(holdOut.rawValue)\(validation ? " (validation)" : "") on \(protocolSplit.split.cases.count) users, \(protocolSplit.matrix.count) training interactions, full ranking, seen excluded"
            ]
            func report(_ name: String, _ seconds: Double?, _ scorer: (Int) -> [Float], reference: String) {
                let m = protocolSplit.evaluate(k: k, scorer)
                let line = SingleModels.line(name, m, fitSeconds: seconds, reference: reference)
                print(line)
                lines.append(line)
            }
            var start = ProcessStats.now()
            if !rankerOnly {
                SingleModels.baselines(protocolSplit, log: { print("  " + $0) }) {
                    report($0.name, $0.fitSeconds, $0.scorer, reference: $0.reference ?? "—")
                }
                // Item2vec at the original's settings and at the served ones.
                for (label, config) in [
                    ("item2vec (10d, w5, 10 ep)", SkipGramConfig()), ("item2vec (served)", SkipGramConfig.serving),
                ] {
                    let row = SingleModels.item2vecRecall(protocolSplit, catalog: catalog, config: config)
                    report(label, row.fitSeconds, row.scorer, reference: "—")
                }
            }
            // EASE and the next-item model (the served default's ranker) on the same split.
            let training = protocolSplit.split.trainingCatalog(catalog)
            // EASE, SASRec and the ranker read every rated movie (the held-out one removed).
            let data = NextItemModel.histories(training)
            let histories = data.histories
            let watchedMatrix = InteractionMatrix(
                users: histories.count, items: catalog.movies.count,
                interactions: histories.enumerated().map { ($0, $1.movies) })
            for lambda in lambdas.split(separator: ",").compactMap({ Float($0) }) {
                start = ProcessStats.now()
                let ease = try EASE.fit(watchedMatrix, lambda: lambda)
                let seconds = ProcessStats.now() - start
                report(
                    "ease (λ \(Int(lambda)))", seconds, { ease.scores(histories[$0].movies.map { ($0, 1) }) },
                    reference: SingleModels.references["ease"]!)
                report(
                    "ease recency 0.9 (λ \(Int(lambda)))", seconds,
                    {
                        ease.scores(histories[$0].recencyWeights(decay: 0.9))
                    }, reference: "—")
            }
            let minCounts = sasrecMinTargetCount.split(separator: ",").compactMap { Int($0) }
            for epochs in sasrecEpochs.split(separator: ",").compactMap({ Int($0) }) {
                for minCount in minCounts {
                    for seed in sasrecSeeds.split(separator: ",").compactMap({ UInt64($0) }) {
                        var config = SASRec.Config()
                        config.seed = seed
                        config.minTargetCount = minCount
                        config.epochs = epochs
                        config.batch = sasrecBatch
                        config.learningRate = sasrecLr
                        config.dropout = sasrecDropout
                        config.blocks = sasrecBlocks
                        config.maxLength = sasrecMaxLen
                        config.negatives = sasrecNegatives
                        config.heads = sasrecHeads
                        start = ProcessStats.now()
                        let sasrec = SASRec.fit(
                            histories: histories, catalogSize: catalog.movies.count, config: config,
                            patience: sasrecPatience
                        ) { print("  " + $0) }
                        let fit = ProcessStats.now() - start
                        report(
                            "sasrec (\(epochs) ep, min \(minCount)\(seed == 1 ? "" : ", seed \(seed)"))", fit,
                            { sasrec.scores(histories[$0]) },
                            reference: SingleModels.references["sasrec"]!)
                        let untied = protocolSplit.evaluate(
                            k: k, only: { !catalog.ratingSharesItsSecond(user: $0.user, movie: $0.heldOut!) }
                        ) {
                            sasrec.scores(histories[$0])
                        }
                        let line = "    the same, held-out movie without a same-second rating: " + untied.line
                        print(line)
                        lines.append(line)
                    }
                }
            }
            if !noRanker {
                start = ProcessStats.now()
                var config = NextItemSignals.Config()
                if rankerNoSasrec { config.sasrec = nil }
                if let minCount = rankerSasrecMinTargetCount { config.sasrec?.minTargetCount = minCount }
                if let seed = rankerSasrecSeed { config.sasrec?.seed = seed }
                if rankerNoGap { config.gapColumns = false }
                if rankerNoGenreLift { config.genreLiftColumns = false }
                if let k = rankerPerSignal { config.perSignal = k }
                var rankerConfig = ListwiseRanker.Config()
                if let l2 = rankerL2 { rankerConfig.l2 = l2 }
                if let e = rankerEpochs { rankerConfig.epochs = e }
                var budget = NextItemModel.Budget()
                if let n = rankerListUsers { budget.listUsers = n }
                let next = try NextItemModel.train(data, config: config, rankerConfig: rankerConfig, budget: budget) {
                    print("  " + $0)
                }
                let seconds = ProcessStats.now() - start
                // Each request on its held-out pick's day, as a server would get it.
                let days = Dictionary(
                    uniqueKeysWithValues: protocolSplit.split.cases.map {
                        ($0.user, MovieTimeline.day(of: $0.heldOutTime!))
                    })
                report(
                    "next-item ranker", seconds, { next.catalogScores(histories[$0], day: days[$0]) }, reference: "—")
            }
            try appendResult(out, lines.joined(separator: "\n"))
        }
    }
}
