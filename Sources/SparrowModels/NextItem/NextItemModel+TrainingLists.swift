import Foundation
import SparrowCore

extension NextItemModel {
    /// Positions (into user u's history) of the positives that label training lists: the last `targets` positives,
    /// oldest first, each with at least `minimumLength - 1` positives before it (none for a user with fewer than
    /// `minimumLength` positives).
    static func targetPositions(_ data: TrainingData, user u: Int, targets: Int, minimumLength: Int) -> [Int] {
        precondition(targets >= 1 && minimumLength >= 1)
        let h = data.histories[u]
        let liked = h.liked.indices.filter { h.liked[$0] }
        guard liked.count >= minimumLength else { return [] }
        return Array(liked[max(minimumLength - 1, liked.count - targets)...])
    }

    /// The histories the lists' inputs come from: each user loses the positives that label their lists (see
    /// `targetPositions`); users without one are kept whole.
    static func withoutTargets(_ data: TrainingData, minimumLength: Int, targets: Int = 1) -> [RatingHistory] {
        data.histories.indices.map { u in
            var h = data.histories[u]
            for p in targetPositions(data, user: u, targets: targets, minimumLength: minimumLength).reversed() {
                h = h.removing(at: p)
            }
            return h
        }
    }

    /// The training lists of one round (of `users`, default every user): for each user with at least `round`
    /// labelling positives (see `targetPositions`), the `round`-th last one labels a list whose input is `shortened`'s
    /// history of the user — everything they rated but their last `round` positives, what `signals` were fitted on
    /// (`withoutTargets(data, minimumLength:, targets: round)`, the default). The input's movies are excluded from the
    /// candidates, as in the evaluation. A pick that is not among the candidates gives no list. Progress lines
    /// (`ProgressLine`, by users) go to `log`.
    public static func trainingLists(
        signals: NextItemSignals, data: TrainingData, minimumLength: Int = 3, round: Int = 1,
        shortened: [RatingHistory]? = nil, users: [Int]? = nil, log: (String) -> Void = { _ in }
    ) -> (lists: [RankingList], cases: Int) {
        precondition(round >= 1, "rounds count from 1")
        let inputs = shortened ?? withoutTargets(data, minimumLength: minimumLength, targets: round)
        precondition(inputs.count == data.histories.count, "one shortened history per user")
        let targets = roundTargets(
            data, round: round, minimumLength: minimumLength, users: users ?? Array(data.histories.indices))
        // Each pick's day: the request's day of its list (the signals' settings say which columns read it).
        let days = targets.map { t in
            let p = targetPositions(data, user: t.user, targets: round, minimumLength: minimumLength)[0]
            return MovieTimeline.day(of: data.histories[t.user].timestamps[p])
        }
        return (lists(signals: signals, inputs: inputs, targets: targets, days: days, log: log), targets.count)
    }

    /// The labels of round `round` (see `trainingLists`): each of `users` with at least `round` labelling positives,
    /// with the `round`-th last.
    static func roundTargets(
        _ data: TrainingData, round: Int, minimumLength: Int, users: [Int]
    ) -> [(user: Int, movie: Int32)] {
        users.compactMap { u in
            let positions = targetPositions(data, user: u, targets: round, minimumLength: minimumLength)
            return positions.count == round ? (u, data.histories[u].movies[positions[0]]) : nil
        }
    }

    /// One list per target: the candidates `signals` find for the user's input history (its movies excluded, as in the
    /// evaluation), labelled by the target movie; a target that is not among the candidates gives no list. `days`, one
    /// per target, are the picks' days (read by `NextItemSignals.Config.asOfRequest`, `gapColumns` and
    /// `recentForReturning`). Progress lines (`ProgressLine`, by targets) go to `log`.
    static func lists(
        signals: NextItemSignals, inputs: [RatingHistory], targets: [(user: Int, movie: Int32)], days: [Int32]? = nil,
        log: (String) -> Void
    ) -> [RankingList] {
        var lists: [RankingList] = []
        var skip = [UInt8](repeating: 0, count: signals.logPopularity.count)
        return withoutActuallyEscaping(log) { log in
            var progress = ProgressLine("next-item: training lists, users", total: targets.count, log: log)
            for (done, (u, target)) in targets.enumerated() {
                progress.update(done: done)
                let input = inputs[u]
                for m in input.movies { skip[Int(m)] = 1 }
                skip[Int(target)] = 0
                let c = signals.candidates(input, skip: skip, day: days?[done])
                for m in input.movies { skip[Int(m)] = 0 }
                if let t = c.movies.firstIndex(of: target) {
                    lists.append(
                        RankingList(features: c.features, target: t, count: c.movies.count, user: u, movies: c.movies))
                }
            }
            return lists
        }
    }

    /// The time-cut task (see `ListwiseRanker.Config.timeCut`): the instant before which `1 − fraction` of the
    /// ratings fall, every history cut there (the inputs), and, for each user with at least `minimumLength − 1`
    /// positives before it and one at or after it (of `users`, default every user), that first later positive.
    static func timeCut(
        _ data: TrainingData, fraction: Double, minimumLength: Int, users: [Int]? = nil
    ) -> (inputs: [RatingHistory], targets: [(user: Int, movie: Int32)]) {
        precondition(fraction > 0 && fraction < 1, "the time cut holds out a share of the ratings")
        let times = data.histories.flatMap(\.timestamps).sorted()
        guard !times.isEmpty else { return (data.histories, []) }
        let cut = times[min(times.count - 1, Int(Double(times.count) * (1 - fraction)))]
        let inputs = data.histories.map { h in h.prefix(h.timestamps.firstIndex { $0 >= cut } ?? h.count) }
        let targets = (users ?? Array(data.histories.indices)).compactMap { u -> (user: Int, movie: Int32)? in
            let (h, n) = (data.histories[u], inputs[u].count)
            guard inputs[u].liked.filter({ $0 }).count >= minimumLength - 1,
                let i = h.liked.indices[n...].first(where: { h.liked[$0] })
            else { return nil }
            return (u, h.movies[i])
        }
        return (inputs, targets)
    }
}
