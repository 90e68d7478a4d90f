import Foundation
import SparrowCore
import SparrowServing
import SparrowEval
import SparrowModels
import SparrowStore

/// The feedback loop's offline half: the next version of the default served model (the next-item model) trained on
/// the data folder's ratings plus every rating event logged since, judged against the version being served, and
/// promoted only if it is not worse.
///
/// The gate is fair to both sides: its cases are the users whose last liked movie arrived as an event *after* the
/// served version was trained — a movie the served version has never seen. Each such movie is held out of the
/// candidate's training too, and both versions predict it from the rest of the user's history (full ranking, rated
/// movies excluded). The candidate is promoted when its NDCG@10 is at least the served version's minus `margin`, and
/// only with at least `minimumGateUsers` cases (fewer says too little about either). The candidate that is written
/// and served is the one the gate scored: the held-out ratings still reach it online, through the live histories it
/// reads.
public enum Retraining {
    /// Settings of a retraining run.
    public struct Options: Sendable {
        /// How far below the served version's NDCG@10 the candidate may score and still be promoted.
        public var margin = 0.0
        /// The fewest gate cases a decision is made on.
        public var minimumGateUsers = 20
        /// The cut-off of the gate's metrics.
        public var k = 10
        /// Retrained versions kept on disk besides the promoted one (the newest; older ones are deleted).
        public var keepVersions = 3
        /// Settings of the candidate's signals (nil: the served version's).
        public var config: NextItemSignals.Config?
        /// A transformation of the training catalogue before fitting (tests: a corrupted copy must be refused).
        public var corrupt: (@Sendable (Catalog) -> Catalog)?

        /// The defaults.
        public init() {}
    }

    /// Trains, gates and (if it passes) promotes the next version; returns its record, which is also written to
    /// `next-item-versions/N/version.json` whatever the decision. `served` is the version to beat when the caller
    /// has it in memory (a server); otherwise the promoted one is loaded.
    public static func run(
        catalog: Catalog, events: [EventLog.Event], artifacts: String, options: Options = Options(),
        served current: (model: NextItemModel, version: Int)? = nil, log: (String) -> Void = { _ in }
    ) throws -> VersionRecord {
        let versions = NextItemVersions(artifacts: artifacts)
        versions.removeLeftovers()
        let servedVersion = current?.version ?? versions.promoted()
        let served = try current?.model ?? versions.load(servedVersion)
        let servedEvents = versions.record(servedVersion)?.events ?? 0
        let (merged, ordinals, unknown) = catalog.adding(events)
        log(
            "retrain: \(catalog.ratings.count) ratings + \(ordinals.count) rating events (\(events.count) events"
                + (unknown > 0 ? ", \(unknown) of unknown movies left out" : "")
                + "), \(merged.userIds.count) users; serving version \(servedVersion), trained on \(servedEvents) events"
        )

        // The gate's cases: each user's last liked rating, when it is an event the served version never saw.
        let base = merged.ratings.count - ordinals.count  // the catalogue's rows kept come first
        var cases: [(user: Int, movie: Int32)] = []
        var heldOut = Set<Int>()
        for u in 0..<merged.userIds.count {
            let liked = merged.ratingsOfUser(u).filter { merged.ratings.rating[Int($0)] >= likedThreshold }
            guard liked.count >= 3, let last = liked.last.map(Int.init), last >= base,
                ordinals[last - base] >= servedEvents
            else { continue }
            cases.append((u, merged.ratings.movie[last]))
            heldOut.insert(last)
        }
        let makeRecord = {
            (
                candidate: VersionRecord.Score, servedScore: VersionRecord.Score, version: Int, promoted: Bool,
                reason: String, seconds: Double
            ) in
            VersionRecord(
                version: version, basedOn: servedVersion, createdAt: ISO8601DateFormatter().string(from: Date()),
                dataRatings: catalog.ratings.count, eventRatings: ordinals.count, events: events.count,
                users: merged.userIds.count, gateUsers: cases.count, candidate: candidate, served: servedScore,
                margin: options.margin, promoted: promoted, reason: reason, trainingSeconds: seconds)
        }
        guard cases.count >= options.minimumGateUsers else {
            // Nothing to judge a candidate on: no training, nothing written (version 0 in the record).
            let reason =
                "too little new feedback to judge: \(cases.count) users whose last liked movie is new, "
                + "\(options.minimumGateUsers) needed; nothing trained"
            log("retrain: " + reason)
            let none = VersionRecord.Score(hitRate: 0, ndcg: 0)
            return makeRecord(none, none, 0, false, reason, 0)
        }
        var training = merged.removingRatings(heldOut)
        if let corrupt = options.corrupt { training = corrupt(training) }
        let data = NextItemModel.histories(training)
        let start = ProcessStats.now()
        let candidate = try NextItemModel.train(data, config: options.config ?? served.signals.config, log: log)
        let seconds = ProcessStats.now() - start

        let evaluationData = options.corrupt == nil ? data : NextItemModel.histories(merged.removingRatings(heldOut))
        func score(_ model: NextItemModel) -> VersionRecord.Score {
            var accumulator = RankingMetrics.Accumulator(k: options.k)
            for c in cases {
                let history = evaluationData.histories[c.user]
                var skip = [UInt8](repeating: 0, count: merged.movies.count)
                for m in history.movies { skip[Int(m)] = 1 }
                let ranked = model.recommend(history, skip: skip).prefix(options.k).map(\.movie)
                accumulator.add(ranked: Array(ranked), relevant: [c.movie])
            }
            let m = accumulator.result(catalogSize: merged.movies.count)
            return VersionRecord.Score(hitRate: m.hitRate, ndcg: m.ndcg)
        }
        let candidateScore = score(candidate)
        let servedScore = score(served)
        let promoted = candidateScore.ndcg + options.margin >= servedScore.ndcg
        let reason = String(
            format: "%@: NDCG@%d %.4f vs %.4f (margin %.4f)", promoted ? "not worse" : "worse", options.k,
            candidateScore.ndcg, servedScore.ndcg, options.margin)
        let record = makeRecord(
            candidateScore, servedScore, (versions.versions().last ?? 0) + 1, promoted, reason, seconds)
        try versions.write(candidate, record: record)
        if promoted { try versions.promote(record.version) }
        for removed in versions.prune(keeping: options.keepVersions) { log("retrain: removed old version \(removed)") }
        log(
            String(
                format: "retrain: version %d %@ — %@ (gate: %d users; candidate HR@%d %.4f NDCG %.4f, served v%d "
                    + "HR %.4f NDCG %.4f)", record.version, promoted ? "promoted" : "refused", reason, cases.count,
                options.k, candidateScore.hitRate, candidateScore.ndcg, servedVersion, servedScore.hitRate,
                servedScore.ndcg))
        return record
    }
}
