import Foundation
import SparrowCore

/// The model behind the default served list: next-item signals for candidates and features, and a listwise ranker
/// trained to pick what the user picked next.
///
/// Training is honest by construction: the ranker's lists come from signals fitted on every history *without its
/// last positive*, with that last positive as the label; the served signals are then refitted on the full histories.
/// The evaluation's held-out movies are never in `histories` (the caller removes them), so they never reach a list.
public struct NextItemModel: Sendable {
    /// The name the served model goes by (`model=ranker`).
    public static let servedName = "ranker"

    /// The fitted signals (on the full histories).
    public let signals: NextItemSignals
    /// The ranker.
    public let ranker: ListwiseRanker

    /// Creates a model from parts.
    public init(signals: NextItemSignals, ranker: ListwiseRanker) {
        self.signals = signals
        self.ranker = ranker
    }

    /// Users' positive histories and everything they rated (the movies a recommendation must skip), from a catalog.
    public static func histories(_ catalog: Catalog, threshold: Float = likedThreshold)
        -> (histories: [PositiveHistory], seen: [[Int32]])
    {
        let r = catalog.ratings
        var histories: [PositiveHistory] = []
        var seen: [[Int32]] = []
        for u in 0..<catalog.userIds.count {
            var h = PositiveHistory()
            var s: [Int32] = []
            for row in catalog.ratingsOfUser(u) {
                let i = Int(row)
                s.append(r.movie[i])
                if r.rating[i] >= threshold {
                    h.movies.append(r.movie[i])
                    h.timestamps.append(r.timestamp[i])
                }
            }
            histories.append(h)
            seen.append(s)
        }
        return (histories, seen)
    }

    /// The training lists: for each user with at least `minimumLength + targets − 1` positives and each of their last
    /// `targets` positives, candidates from `signals` (fitted without anyone's last `targets` positives) for the
    /// history before that positive, labelled by it; every other movie the user rated is excluded, as in the
    /// evaluation. A pick that is not among the candidates gives no list.
    public static func trainingLists(
        signals: NextItemSignals, histories: [PositiveHistory], seen: [[Int32]], targets: Int = 1,
        minimumLength: Int = 3
    ) -> (lists: [RankingList], cases: Int) {
        var lists: [RankingList] = []
        var cases = 0
        var skip = [UInt8](repeating: 0, count: signals.logPopularity.count)
        for (u, (h, rated)) in zip(histories, seen).enumerated() where h.count >= minimumLength + targets - 1 {
            for m in rated { skip[Int(m)] = 1 }
            for position in (h.count - targets)..<h.count {
                cases += 1
                let target = h.movies[position]
                skip[Int(target)] = 0
                let prefix = PositiveHistory(
                    movies: Array(h.movies[..<position]), timestamps: Array(h.timestamps[..<position]))
                let c = signals.candidates(prefix, skip: skip)
                skip[Int(target)] = 1
                if let t = c.movies.firstIndex(of: target) {
                    lists.append(
                        RankingList(features: c.features, target: t, count: c.movies.count, user: u, movies: c.movies))
                }
            }
            for m in rated { skip[Int(m)] = 0 }
        }
        return (lists, cases)
    }

    /// Fits the whole model: signals on the histories without their last `targets` positives → training lists →
    /// ranker → signals refitted on the full histories.
    public static func train(
        histories: [PositiveHistory], seen: [[Int32]], catalogSize: Int, config: NextItemSignals.Config = .init(),
        rankerConfig: ListwiseRanker.Config = .init(), targets: Int = 1, log: (String) -> Void = { _ in }
    ) throws -> NextItemModel {
        var start = ProcessStats.now()
        let minimumLength = 3
        let shortened = histories.map { h in
            guard h.count >= minimumLength + targets - 1 else { return h }
            return PositiveHistory(
                movies: Array(h.movies.dropLast(targets)), timestamps: Array(h.timestamps.dropLast(targets)))
        }
        // The sequence model is trained once, without the lists' targets, and also serves (reading live histories).
        let sasrec = config.sasrec.map { c in
            SASRec.fit(histories: shortened, catalogSize: catalogSize, config: c) { line in
                if line.contains("\(c.epochs)/\(c.epochs)") { log("next-item: " + line) }
            }
        }
        if sasrec != nil { log(String(format: "next-item: SASRec in %.2f s", ProcessStats.now() - start)) }
        let inner = try NextItemSignals.fit(
            histories: shortened, catalogSize: catalogSize, config: config, sasrec: sasrec)
        let (lists, cases) = trainingLists(
            signals: inner, histories: histories, seen: seen, targets: targets, minimumLength: minimumLength)
        log(
            String(
                format: "next-item: %d training lists (the pick among the candidates in %.1f%% of %d cases) in %.2f s",
                lists.count, 100 * Double(lists.count) / Double(max(cases, 1)), cases, ProcessStats.now() - start))
        start = ProcessStats.now()
        let ranker = ListwiseRanker.fit(lists, width: NextItemSignals.featureCount, config: rankerConfig)
        let signals = try NextItemSignals.fit(
            histories: histories, catalogSize: catalogSize, config: config, sasrec: sasrec)
        log(String(format: "next-item: ranker and final signals in %.2f s", ProcessStats.now() - start))
        return NextItemModel(signals: signals, ranker: ranker)
    }

    /// The ranked candidates for a history (movies with `skip[m] == 1` excluded), best first.
    public func recommend(_ history: PositiveHistory, skip: [UInt8]) -> [(movie: Int32, score: Float, found: NextItemSignals.Signal)] {
        let c = signals.candidates(history, skip: skip)
        let s = ranker.scores(c.features, count: c.movies.count)
        return c.movies.indices.sorted { s[$0] > s[$1] || (s[$0] == s[$1] && c.movies[$0] < c.movies[$1]) }
            .map { (c.movies[$0], s[$0], c.found[$0]) }
    }
}
