import CSparrowKernels
import SparrowCore
import Foundation

extension NextItemSignals {
    /// Candidates for a history: the union of each signal's best `perSignal` movies not in `skip` (1 = excluded), in
    /// signal order, each with the signal that found it first and its feature row.
    public func candidates(_ history: RatingHistory, skip: [UInt8], perSignal: Int? = nil, day: Int32? = nil)
        -> NextItemCandidates
    {
        candidates(history, skip: skip, scores: scores(history, day: day), perSignal: perSignal, day: day)
    }

    /// `candidates(_:skip:perSignal:)` of several histories, each the same as alone, with the catalogue-wide products
    /// of EASE, ALS and SASRec done for the whole batch (the offline lists of every user).
    public func candidates(
        _ histories: [RatingHistory], skips: [[UInt8]], perSignal: Int? = nil, days: [Int32?]? = nil
    ) -> [NextItemCandidates] {
        precondition(histories.count == skips.count, "one skip mask per history")
        precondition(days == nil || days!.count == histories.count, "one day per history")
        let als = self.als.scores(histories.map { h in h.positives.movies.map { ($0, 1) } })
        let sasrec = self.sasrec?.scores(histories)
        let ease = easeScores(histories)
        return histories.indices.map { i in
            candidates(
                histories[i], skip: skips[i],
                scores: scores(histories[i], ease: ease[i], als: als[i], sasrec: sasrec?[i], day: days?[i]),
                perSignal: perSignal, day: days?[i])
        }
    }

    /// The candidates of a history given every signal's scores.
    func candidates(
        _ history: RatingHistory, skip: [UInt8], scores all: [Signal: [Float]], perSignal: Int?, day: Int32? = nil
    ) -> NextItemCandidates {
        let k = perSignal ?? config.perSignal
        var taken = [Bool](repeating: false, count: logPopularity.count)
        var movies: [Int32] = []
        var found: [Signal] = []
        var index = [Int32](repeating: 0, count: k)
        var best = [Float](repeating: 0, count: k)
        for signal in Signal.allCases where uses(signal) {
            let s = all[signal]!
            let n = Int(sparrow_top_k(s, Int32(s.count), Int32(k), skip, &index, &best))
            for j in 0..<n where !taken[Int(index[j])] {
                taken[Int(index[j])] = true
                movies.append(index[j])
                found.append(signal)
            }
        }
        return NextItemCandidates(
            movies: movies, found: found, features: features(movies, all, history: history, day: day))
    }

    /// Feature rows (row-major, `featureCount` columns) of `movies` given the signals' scores: per signal the score
    /// divided by the largest magnitude among the candidates and log(1 + rank among them); then popularity relative
    /// to the most popular movie and that times log(1 + history length); then the genre-lift columns
    /// (`Config.genreLiftColumns`); then the movie's like rate (`MovieTimeline.features`) as of the day of the history's
    /// newest rating, in the fourth point-in-time column; then the gap columns (`Config.gapColumns`). `day` is
    /// the request's day (a training list's pick's, an evaluated request's), nil for a served request.
    public func features(_ movies: [Int32], _ all: [Signal: [Float]], history: RatingHistory, day: Int32? = nil)
        -> [Float]
    {
        let n = movies.count
        let width = NextItemSignals.featureCount
        var out = [Float](repeating: 0, count: n * width)
        guard n > 0 else { return out }
        for (c, signal) in Signal.allCases.enumerated() {
            let s = all[signal]!
            let values = movies.map { s[Int($0)] }
            let scale = max(values.map(abs).max() ?? 0, 1e-9)
            let order = values.indices.sorted { MovieOrder.precedes(($0, values[$0]), ($1, values[$1])) }
            for (rank, i) in order.enumerated() {
                out[i * width + 2 * c] = values[i] / scale
                out[i * width + 2 * c + 1] = log1p(Float(rank))
            }
        }
        let popularityColumn = NextItemSignals.popularityColumn
        let top = topLogPopularity
        let activity = log1p(Float(history.count))
        for i in 0..<n {
            let p = logPopularity[Int(movies[i])] / top
            out[i * width + popularityColumn] = p
            out[i * width + popularityColumn + 1] = p * activity
        }
        if config.genreLiftColumns == true {
            let lift = genreLift(history)
            for i in 0..<n {
                let (mean, top) = genreLift(of: movies[i], lift)
                let row = i * width + NextItemSignals.genreLiftColumn
                (out[row], out[row + 1]) = (log(mean), log(top))
            }
        }
        // The like rate as of the day of the user's newest rating.
        let requestDay = timeline.requestDay(history)
        for i in 0..<n {
            let rate = timeline.features(
                movies[i], day: requestDay, window: Int32(config.recentDays), longWindow: 0, columns: 0b1000
            ).3
            out[i * width + NextItemSignals.pointInTimeColumn + 3] = rate
        }
        if config.gapColumns == true {
            let gap = log1p(Float(requestGap(history, day: day)))
            guard gap > 0 else { return out }
            let asOf = timeline.asOf(day)
            for i in 0..<n {
                let recent = timeline.features(
                    movies[i], day: asOf, window: Int32(config.recentDays), longWindow: 0, columns: 1
                ).0
                let row = i * width + NextItemSignals.gapColumn
                out[row] = out[i * width + popularityColumn] * gap
                out[row + 1] = recent * gap
            }
        }
        return out
    }
}

extension NextItemSignals {
    /// Whole days from the history's newest rating to the request on `day` (nil: a served request, on the day after
    /// the timeline's newest rating); 0 for an empty history or a request on or before that rating's day.
    func requestGap(_ history: RatingHistory, day: Int32?) -> Int32 {
        guard let t = history.timestamps.last else { return 0 }
        return max(0, (day ?? timeline.now) - MovieTimeline.day(of: t))
    }
}

/// Candidates of one history with their feature rows.
public struct NextItemCandidates: Sendable {
    /// Catalog indices.
    public var movies: [Int32]
    /// The signal that found each first.
    public var found: [NextItemSignals.Signal]
    /// Row-major features, `NextItemSignals.featureCount` per movie.
    public var features: [Float]
}
