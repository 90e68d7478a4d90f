import Foundation
import SparrowCore
import SparrowServing
import SparrowEval
import SparrowModels

/// The leave-last-out protocol applied to the online system itself: everything (samples, embeddings, models) is
/// rebuilt from the ratings without the held-out ones, then each held-out user asks the recommender — the recall
/// channels (does the held-out movie reach the candidates?) and the full served pipeline (recall → rank → re-rank)
/// with each ranking model.
public enum PipelineEvaluation {
    /// One line of results.
    public struct Entry: Sendable, Codable {
        /// What was measured (`recall: item2item`, `served: embedding-mlp`…).
        public var name: String
        /// HR@10 etc. for served lists; for recall channels, hit rate over the whole candidate set.
        public var metrics: RankingMetrics
        /// Mean candidates per user (recall channels).
        public var meanCandidates: Double?
    }

    /// Builds the system on the training catalog of `split` (leave-last-out by default) in `workDirectory` and
    /// evaluates it.
    public static func run(
        catalog: Catalog, split: HoldOutSplit? = nil, workDirectory: String, models: [String],
        popularityExponents: [Double] = [0, 1], log: (String) -> Void
    ) throws -> [Entry] {
        let split = split ?? HoldOutSplit(catalog: catalog)
        let training = split.trainingCatalog(catalog)
        let recommender = try ArtifactBuilder(root: workDirectory).recommender(catalog: training, log: log)
        var entries: [Entry] = []
        var counts = [Double](repeating: 0, count: catalog.movies.count)
        for m in training.ratings.movie { counts[Int(m)] += 1 }
        let total = max(1, counts.reduce(0, +))
        let popularity: (Int32) -> Double = { counts[Int($0)] / total }
        let channels = recommender.snapshot.channels(recommender.settings).map(\.name)
        var channelHits = [ChannelName: RankingMetrics.Accumulator]()
        var channelSizes = [ChannelName: Int]()
        var merged = RankingMetrics.Accumulator(k: recommender.settings.maxCandidates)
        var mergedSize = 0
        var progress = ProgressLine("recall channels: users", total: split.cases.count)
        for (done, c) in split.cases.enumerated() {
            if let line = progress.due(done: done) { log(line) }
            let userId = catalog.userIds[c.user]
            let candidates = recommender.recall(userId: userId)
            for name in channels {
                let list = candidates.filter { $0.channel == name }.map(\.movie)
                channelHits[name, default: RankingMetrics.Accumulator(k: recommender.settings.maxCandidates)].add(
                    ranked: list, relevant: c.relevant)
                channelSizes[name, default: 0] += list.count
            }
            merged.add(ranked: candidates.map(\.movie), relevant: c.relevant)
            mergedSize += candidates.count
        }
        let n = Double(max(1, split.cases.count))
        for name in channels {
            entries.append(
                Entry(
                    name: "recall: \(name)", metrics: channelHits[name]!.result(catalogSize: catalog.movies.count),
                    meanCandidates: Double(channelSizes[name]!) / n))
        }
        entries.append(
            Entry(
                name: "recall: all channels", metrics: merged.result(catalogSize: catalog.movies.count),
                meanCandidates: Double(mergedSize) / n))
        // The default served list, through the same call as the HTTP routes, and its candidates per next-item signal;
        // each request at the moment of its held-out pick, as a server gets it (the time-aware parts of the ranker read
        // the request's day).
        // The beyond-accuracy context of the top-K table (`TopKProtocol.beyond`): training interactions per movie.
        var interactions = [Int](repeating: 0, count: catalog.movies.count)
        for u in split.users { for m in u.history { interactions[Int(m)] += 1 } }
        let beyond = BeyondAccuracy(catalog: catalog, interactions: interactions)
        var served = RankingMetrics.Accumulator(k: 10, beyond: beyond)
        var servedWithoutTies = RankingMetrics.Accumulator(k: 10, beyond: beyond)
        var signalHits = [String: RankingMetrics.Accumulator]()
        var signalSizes = [String: Int]()
        progress = ProgressLine("served (default): users", total: split.cases.count)
        for (done, c) in split.cases.enumerated() {
            if let line = progress.due(done: done) { log(line) }
            let answer = try recommender.recommend(userId: catalog.userIds[c.user], n: 10, now: c.heldOutTime)
            served.add(ranked: answer.items.map(\.movie), relevant: c.relevant, popularity: popularity)
            if !catalog.ratingSharesItsSecond(user: c.user, movie: c.heldOut!) {
                servedWithoutTies.add(ranked: answer.items.map(\.movie), relevant: c.relevant, popularity: popularity)
            }
            if let next = recommender.nextItem {
                let candidates = next.candidates(
                    recommender.watchHistory(user: c.user),
                    skip: recommender.snapshot.seenMask(recommender.snapshot(user: c.user).seen))
                for signal in NextItemSignals.Signal.allCases where next.signals.uses(signal) {
                    let list = candidates.filter { $0.found == signal }.map(\.movie)
                    signalHits["recall: \(signal.rawValue)", default: RankingMetrics.Accumulator(k: 1000)].add(
                        ranked: list, relevant: c.relevant)
                    signalSizes["recall: \(signal.rawValue)", default: 0] += list.count
                }
                signalHits["recall: next-item candidates", default: RankingMetrics.Accumulator(k: 1000)].add(
                    ranked: candidates.map(\.movie), relevant: c.relevant)
                signalSizes["recall: next-item candidates", default: 0] += candidates.count
            }
        }
        for (name, hits) in signalHits.sorted(by: { $0.key < $1.key }) {
            entries.append(
                Entry(
                    name: name, metrics: hits.result(catalogSize: catalog.movies.count),
                    meanCandidates: Double(signalSizes[name]!) / n))
        }
        entries.append(
            Entry(
                name: "served (default)", metrics: served.result(catalogSize: catalog.movies.count), meanCandidates: nil
            ))
        entries.append(
            Entry(
                name: "served (default), held-out movie without a same-second rating",
                metrics: servedWithoutTies.result(catalogSize: catalog.movies.count), meanCandidates: nil))
        for exponent in popularityExponents {
            recommender.settings.popularityExponent = exponent
            for model in models where exponent == popularityExponents.first || model != "emb" {
                var served = RankingMetrics.Accumulator(k: 10, beyond: beyond)
                let label = model == "emb" ? "served: emb" : "served: \(model), popularity exponent \(exponent)"
                progress = ProgressLine("\(label): users", total: split.cases.count)
                for (done, c) in split.cases.enumerated() {
                    if let line = progress.due(done: done) { log(line) }
                    let answer = try recommender.recommend(userId: catalog.userIds[c.user], n: 10, model: model)
                    served.add(ranked: answer.items.map(\.movie), relevant: c.relevant, popularity: popularity)
                }
                entries.append(
                    Entry(name: label, metrics: served.result(catalogSize: catalog.movies.count), meanCandidates: nil))
            }
        }
        return entries
    }
}
