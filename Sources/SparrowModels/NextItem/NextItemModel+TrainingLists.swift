import Foundation
import SparrowCore

extension NextItemModel {
    /// The position (into user u's history) of the positive that labels their training list: the last one, for a user
    /// with at least `minimumLength` positives (nil otherwise).
    static func targetPosition(_ data: TrainingData, user u: Int, minimumLength: Int) -> Int? {
        precondition(minimumLength >= 1)
        let h = data.histories[u]
        let liked = h.liked.indices.filter { h.liked[$0] }
        return liked.count >= minimumLength ? liked.last : nil
    }

    /// The histories the lists' inputs come from: each user loses the positive that labels their list (see
    /// `targetPosition`); users without one are kept whole.
    static func withoutTargets(_ data: TrainingData, minimumLength: Int) -> [RatingHistory] {
        data.histories.indices.map { u in
            let h = data.histories[u]
            return targetPosition(data, user: u, minimumLength: minimumLength).map { h.removing(at: $0) } ?? h
        }
    }

    /// The training lists (of `users`, default every user): for each user with a labelling positive (see
    /// `targetPosition`), that last positive labels a list whose input is `shortened`'s history of the user —
    /// everything they rated but it, what `signals` were fitted on (`withoutTargets`, the default). The input's movies
    /// are excluded from the candidates, as in the evaluation; each list is built on its pick's day (the gap columns
    /// read it). A pick that is not among the candidates gives no list. Progress lines (`ProgressLine`, by users) go
    /// to `log`.
    public static func trainingLists(
        signals: NextItemSignals, data: TrainingData, minimumLength: Int = 3, shortened: [RatingHistory]? = nil,
        users: [Int]? = nil, log: (String) -> Void = { _ in }
    ) -> (lists: [RankingList], cases: Int) {
        let inputs = shortened ?? withoutTargets(data, minimumLength: minimumLength)
        precondition(inputs.count == data.histories.count, "one shortened history per user")
        let positions = (users ?? Array(data.histories.indices)).compactMap { u in
            targetPosition(data, user: u, minimumLength: minimumLength).map { (user: u, position: $0) }
        }
        let targets = positions.map { (user: $0.user, movie: data.histories[$0.user].movies[$0.position]) }
        let days = positions.map { MovieTimeline.day(of: data.histories[$0.user].timestamps[$0.position]) }
        return (lists(signals: signals, inputs: inputs, targets: targets, days: days, log: log), targets.count)
    }

    /// One list per target: the candidates `signals` find for the user's input history (its movies excluded, as in the
    /// evaluation), labelled by the target movie; a target that is not among the candidates gives no list. `days`, one
    /// per target, are the picks' days (read by the gap columns, `NextItemSignals.Config.gapColumns`). Progress lines
    /// (`ProgressLine`, by targets) go to `log`.
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
}
