import ArgumentParser
import Foundation
import SparrowCommandLine
import SparrowCore
import SparrowEmbedding
import SparrowEval
import SparrowModels

extension SASRec.Config.Input: ExpressibleByArgument {}
extension SASRec.Config.TieOrder: ExpressibleByArgument {}

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
        @Option(help: "SASRec input: liked or rated (every rated movie).") var sasrecInput = SASRec.Config.Input.liked
        @Option(
            help: "SASRec order of same-second ratings: hashed, or file-order (a diagnostic: MovieLens's id order).")
        var sasrecTieOrder = SASRec.Config.TieOrder.hashed
        @Option(help: "SASRec: the softmax's movies are those a target at least this often (comma-separated to try).")
        var sasrecMinTargetCount = "1"
        @Option(
            help: "SASRec: stop early on each training history's last liked movie after this many epochs without gain.")
        var sasrecPatience: Int?
        @Flag(help: "SASRec: item embeddings not scaled by √dim on input (the default scales, as the original SASRec).")
        var sasrecUnscaled = false
        @Flag(help: "SASRec: attention keys and values from the un-normed stream (the original SASRec).")
        var sasrecRawKeys = false
        @Option(help: "SASRec heads.") var sasrecHeads = 1
        @Option(help: "SASRec seeds to try (comma-separated).") var sasrecSeeds = "1"
        @Flag(help: "The ranker's SASRec signal without the √dim input scaling.") var rankerSasrecUnscaled = false
        @Option(help: "The ranker's SASRec signal: seed.") var rankerSasrecSeed: UInt64?
        @Option(
            name: .customLong("protocol"),
            help: "leave-last-out, or time (the newest --held-out-fraction of the ratings; --validation splits again).")
        var holdOut: HoldOutSplit.Kind = .leaveLastOut
        @Option(help: "Share of the ratings, the newest, held out by --protocol time.") var heldOutFraction = 0.1
        @Option(
            help:
                "The ranker's point-in-time columns: a bit mask (1 and 2 ratings in the short and long window, 4 age, 8 like rate)."
        )
        var rankerPointInTime: Int?
        @Flag(help: "The ranker with its recent-popular signal (candidates and features).") var rankerRecent = false
        @Option(help: "The ranker's recent-popular candidates for a request this many days after the last rating.")
        var rankerRecentReturning: Int?
        @Flag(help: "The ranker without its gap columns.") var rankerNoGap = false
        @Flag(help: "The ranker without its genre-lift columns.") var rankerNoGenreLift = false
        @Flag(help: "The ranker's point-in-time columns as of the request (a list's pick's day; else the data's end).")
        var rankerAsOfRequest = false
        @Option(help: "The ranker's time-cut lists: the share of the newest ratings held out for them (0 = none).")
        var rankerTimeCut: Double?
        @Option(help: "The ranker's L2 weight decay.") var rankerL2: Float?
        @Option(help: "Candidates each next-item signal contributes.") var rankerPerSignal: Int?
        @Option(help: "The ranker's rounds of training lists (round r labels each user's r-th last positive).")
        var rankerRounds: Int?
        @Option(help: "The ranker's hidden ReLU units beside its linear part (0 = linear).") var rankerHidden: Int?
        @Option(help: "The ranker's epochs.") var rankerEpochs: Int?
        @Option(help: "At most this many users' lists train the ranker (a fixed random sample).")
        var rankerListUsers: Int?
        @Option(help: "The ranker's point-in-time features: short and long windows in days.") var rankerWindows =
            "90,365"
        @Option(help: "The ranker's SASRec signal: minimum target count of its softmax's movies (default: SASRec's).")
        var rankerSasrecMinTargetCount: Int?

        func run() throws {
            var catalog = try dataOptions.load()
            guard heldOutFraction > 0 && heldOutFraction < 1 else {
                throw CLIError("--held-out-fraction must be between 0 and 1 (exclusive), got \(heldOutFraction)")
            }
            // Settings are checked before the minutes of single-model runs that come first.
            let windows = rankerWindows.split(separator: ",").compactMap { Int($0) }
            guard windows.count == 2, windows.allSatisfy({ $0 > 0 }) else {
                throw CLIError("--ranker-windows takes two positive day counts, got '\(rankerWindows)'")
            }
            if let n = rankerRounds, n < 1 { throw CLIError("--ranker-rounds takes a count ≥ 1, got \(n)") }
            if let f = rankerTimeCut, !(0..<1).contains(f) {
                throw CLIError("--ranker-time-cut takes a share from 0 up to 1 (exclusive), got \(f)")
            }
            if let mask = rankerPointInTime, !(0...15).contains(mask) {
                throw CLIError("--ranker-point-in-time is a bit mask from 0 to 15, got \(mask)")
            }
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
                let line =
                    "  \(name.padding(toLength: 26, withPad: " ", startingAt: 0)) " + m.line
                    + (seconds.map { String(format: "  fit %.2f s", $0) } ?? "") + "  | reference " + reference
                print(line)
                lines.append(line)
            }
            var start = ProcessStats.now()
            if !rankerOnly {
                report("popularity", nil, protocolSplit.popularityScores(), reference: "HR 0.0444 NDCG 0.0243")
                start = ProcessStats.now()
                let knn = protocolSplit.itemKNNScores()
                report("itemknn", ProcessStats.now() - start, knn, reference: "HR 0.0691 NDCG 0.0329 (2.0 s)")
                start = ProcessStats.now()
                let als = ImplicitALS().fit(protocolSplit.matrix)
                report(
                    "als (64, reg 0.05, 15 it)", ProcessStats.now() - start, { als.scores(user: $0) },
                    reference: "HR 0.1003 NDCG 0.0472 (5.7 s)")
                start = ProcessStats.now()
                let bpr = BPR().fit(protocolSplit.matrix)
                report(
                    "bpr (64, 100 it)", ProcessStats.now() - start, { bpr.scores(user: $0) },
                    reference: "HR 0.0674 NDCG 0.0342 (5.1 s)")
                // Item2vec at the original's settings: user query = mean of the last five training movies' unit
                // vectors.
                let corpus = protocolSplit.split.users.map { $0.history.map { catalog.movies[Int($0)].id } }
                for (label, config) in [
                    ("item2vec (10d, w5, 10 ep)", SkipGramConfig()),
                    (
                        "item2vec (32d, w20, 20 ep)",
                        {
                            var c = SkipGramConfig()
                            c.dimension = 32
                            c.window = 20
                            c.epochs = 20
                            return c
                        }()
                    ),
                ] {
                    start = ProcessStats.now()
                    let vectors = SkipGram(config: config).train(corpus).embeddings.normalized()
                    let seconds = ProcessStats.now() - start
                    let byUser = Dictionary(
                        uniqueKeysWithValues: protocolSplit.split.users.map { ($0.user, $0.history) })
                    report(
                        label, seconds,
                        { u in
                            let recent = (byUser[u] ?? []).suffix(5).compactMap {
                                vectors.vector(catalog.movies[Int($0)].id)
                            }
                            var q = [Float](repeating: 0, count: vectors.dimension)
                            for v in recent { for (d, x) in v.enumerated() { q[d] += x } }
                            return catalog.movies.map { movie in
                                guard let v = vectors.vector(movie.id) else { return -.infinity }
                                return zip(q, v).reduce(0) { $0 + $1.0 * $1.1 }
                            }
                        }, reference: "—")
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
                    reference: "HR 0.1102 NDCG 0.0536 (λ 100, numpy)")
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
                        config.input = sasrecInput
                        config.tieOrder = sasrecTieOrder
                        config.scaleEmbeddings = !sasrecUnscaled
                        config.normedKeys = !sasrecRawKeys
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
                            reference: "HR 0.1168 NDCG 0.0621 (TF, 382–542 s)")
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
                if rankerSasrecUnscaled { config.sasrec?.scaleEmbeddings = false }
                if let seed = rankerSasrecSeed { config.sasrec?.seed = seed }
                if let mask = rankerPointInTime { config.pointInTimeColumns = mask }
                config.recentSignal = rankerRecent
                if rankerAsOfRequest { config.asOfRequest = true }
                if rankerNoGap { config.gapColumns = false }
                if rankerNoGenreLift { config.genreLiftColumns = false }
                if let days = rankerRecentReturning { config.recentForReturning = days }
                if let k = rankerPerSignal { config.perSignal = k }
                var rankerConfig = ListwiseRanker.Config()
                if let l2 = rankerL2 { rankerConfig.l2 = l2 }
                if let n = rankerRounds { rankerConfig.rounds = n }
                if let f = rankerTimeCut { rankerConfig.timeCut = f }
                if let h = rankerHidden { rankerConfig.hidden = h }
                if let e = rankerEpochs { rankerConfig.epochs = e }
                (config.recentDays, config.longDays) = (windows[0], windows[1])
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
