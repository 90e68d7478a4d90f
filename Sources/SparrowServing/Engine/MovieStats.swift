import SparrowCore

/// What the legacy movie JSON shows about ratings: count, mean and the ten highest ratings (ties: newest first, then
/// the lower user index), kept up to date as ratings arrive and are replaced.
///
/// `top` holds the best `top.count` of the movie's current ratings in that order, up to `MovieStats.kept` of them,
/// so that a replaced rating leaving it does not leave the ten shown short; when fewer than ten remain while the movie
/// has more ratings, the owner refills it from every rating (`refill`).
public struct MovieStats: Sendable {
    /// Number of ratings.
    public internal(set) var count = 0
    /// Sum of the ratings.
    public internal(set) var sum = 0.0
    /// (user index, score, timestamp), highest score first.
    public internal(set) var top: [(user: Int32, score: Float, timestamp: Int64)] = []

    /// Ratings shown (`shown`) and kept (`kept`) in `top`.
    public static let shown = 10
    static let kept = 20

    /// Mean rating (0 without ratings).
    public var average: Double { count > 0 ? sum / Double(count) : 0 }

    /// The ten highest ratings.
    public var best: ArraySlice<(user: Int32, score: Float, timestamp: Int64)> { top.prefix(Self.shown) }

    /// Whether `a` comes before `b` in `top`: higher score, then newer, then lower user index.
    static func precedes(
        _ a: (user: Int32, score: Float, timestamp: Int64), _ b: (user: Int32, score: Float, timestamp: Int64)
    ) -> Bool {
        a.score != b.score
            ? a.score > b.score : a.timestamp != b.timestamp ? a.timestamp > b.timestamp : a.user < b.user
    }

    /// Counts one rating.
    mutating func add(user: Int32, score: Float, timestamp: Int64) {
        let complete = top.count == count
        count += 1
        sum += Double(score)
        place((user, score, timestamp), complete: complete)
    }

    /// Replaces user `user`'s rating `old` with `new` (count unchanged). Returns false when fewer than ten ratings
    /// are left in `top` while the movie has more: the caller refills it (`refill`).
    mutating func replace(user: Int32, old: Float, with new: Float, timestamp: Int64) -> Bool {
        sum += Double(new) - Double(old)
        var complete = top.count == count
        if let k = top.firstIndex(where: { $0.user == user }) {
            top.remove(at: k)
        } else {
            complete = false
        }
        place((user, new, timestamp), complete: complete)
        return top.count >= min(Self.shown, count)
    }

    /// `top` rebuilt from every current rating of the movie.
    mutating func refill(_ ratings: [(user: Int32, score: Float, timestamp: Int64)]) {
        top = Array(ratings.sorted(by: Self.precedes).prefix(Self.kept))
    }

    /// Puts a rating into `top` when it is among the best kept; `complete`: `top` held every other rating.
    private mutating func place(_ entry: (user: Int32, score: Float, timestamp: Int64), complete: Bool) {
        // The common case once `top` is full: not among them (O(1) instead of a scan).
        if let last = top.last, !Self.precedes(entry, last), !(complete && top.count < Self.kept) { return }
        let position = top.firstIndex { Self.precedes(entry, $0) } ?? top.count
        guard position < top.count || (complete && position < Self.kept) else { return }
        top.insert(entry, at: position)
        if top.count > Self.kept { top.removeLast() }
    }

    /// Bayesian average: (C·m + Σr) / (C + n) with prior mean `m` and weight `C`, so a movie with three 5-star ratings
    /// does not outrank one with three hundred 4.5s (the original sorts by the raw mean, B8).
    public func bayesian(priorMean m: Double, weight c: Double = MovieStats.priorWeight) -> Double {
        (c * m + sum) / (c + Double(count))
    }

    /// The prior's weight `C` in every Bayesian average the engine shows or sorts by: ten ratings' worth.
    public static let priorWeight = 10.0
}
