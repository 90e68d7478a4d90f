import CSparrowKernels
import Foundation

extension NextItemSignals {
    /// Candidates for a history: the union of each signal's best `perSignal` movies not in `skip` (1 = excluded), in
    /// signal order, each with the signal that found it first and its feature row.
    public func candidates(_ history: RatingHistory, skip: [UInt8], perSignal: Int? = nil, day: Int32? = nil)
        -> NextItemCandidates
    {
        candidates(history, skip: skip, scores: scores(history), perSignal: perSignal, day: day)
    }

    /// `candidates(_:skip:perSignal:)` of several histories, each the same as alone, with the catalogue-wide products
    /// of EASE, ALS and SASRec done for the whole batch (the offline lists of every user).
    public func candidates(_ histories: [RatingHistory], skips: [[UInt8]], perSignal: Int? = nil)
        -> [NextItemCandidates]
    {
        precondition(histories.count == skips.count, "one skip mask per history")
        let als = self.als.scores(histories.map { h in h.positives.movies.map { ($0, 1) } })
        let sasrec = self.sasrec?.scores(histories)
        let ease = easeScores(histories)
        return histories.indices.map { i in
            candidates(
                histories[i], skip: skips[i],
                scores: scores(histories[i], ease: ease[i], als: als[i], sasrec: sasrec?[i]), perSignal: perSignal)
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
    /// to the most popular movie and that times log(1 + history length); then the point-in-time features of
    /// `MovieTimeline.features` on the history's request day.
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
            let order = values.indices.sorted { values[$0] > values[$1] || (values[$0] == values[$1] && $0 < $1) }
            for (rank, i) in order.enumerated() {
                out[i * width + 2 * c] = values[i] / scale
                out[i * width + 2 * c + 1] = log1p(Float(rank))
            }
        }
        let top = topLogPopularity
        let activity = log1p(Float(history.count))
        for i in 0..<n {
            let p = logPopularity[Int(movies[i])] / top
            out[i * width + width - 6] = p
            out[i * width + width - 5] = p * activity
        }
        guard config.pointInTimeColumns & 0b1111 != 0 else { return out }
        let day = requestDay(history, pick: day)
        for i in 0..<n {
            let f = timeline.features(
                movies[i], day: day, window: Int32(config.recentDays), longWindow: Int32(config.longDays),
                columns: config.pointInTimeColumns)
            (out[i * width + width - 4], out[i * width + width - 3]) = (f.0, f.1)
            (out[i * width + width - 2], out[i * width + width - 1]) = (f.2, f.3)
        }
        return out
    }
}

extension NextItemSignals {
    /// The day the point-in-time columns of a request with `history` are computed as of (see `Config.asOfRequest`):
    /// `pick`'s day where given (a training list's pick) and asked for, else the timeline's end where asked for, else
    /// the day of the history's newest rating.
    func requestDay(_ history: RatingHistory, pick: Int32?) -> Int32 {
        guard config.asOfRequest == true else { return timeline.requestDay(history) }
        return min(timeline.lastDay + 1, pick ?? timeline.lastDay + 1)
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
