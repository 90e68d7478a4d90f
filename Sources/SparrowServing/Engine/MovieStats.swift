import SparrowCore

/// What the legacy movie JSON shows about ratings: count, mean and the ten highest ratings (ties: newest first), kept
/// up to date as ratings arrive.
public struct MovieStats: Sendable {
    /// Number of ratings.
    public internal(set) var count = 0
    /// Sum of the ratings.
    public internal(set) var sum = 0.0
    /// (user index, score, timestamp), highest score first.
    public internal(set) var top: [(user: Int32, score: Float, timestamp: Int64)] = []

    /// Mean rating (0 without ratings).
    public var average: Double { count > 0 ? sum / Double(count) : 0 }

    /// Counts one rating.
    mutating func add(user: Int32, score: Float, timestamp: Int64) {
        count += 1
        sum += Double(score)
        // The common case once ten are kept: not among them (O(1) instead of a scan).
        if top.count == 10, let last = top.last,
            !(score > last.score || (score == last.score && timestamp > last.timestamp))
        {
            return
        }
        let position =
            top.firstIndex { score > $0.score || (score == $0.score && timestamp > $0.timestamp) } ?? top.count
        if position < 10 {
            top.insert((user, score, timestamp), at: position)
            if top.count > 10 { top.removeLast() }
        }
    }

    /// Bayesian average: (C·m + Σr) / (C + n) with prior mean `m` and weight `C`, so a movie with three 5-star ratings
    /// does not outrank one with three hundred 4.5s (the original sorts by the raw mean, B8).
    public func bayesian(priorMean m: Double, weight c: Double = MovieStats.priorWeight) -> Double {
        (c * m + sum) / (c + Double(count))
    }

    /// The prior's weight `C` in every Bayesian average the engine shows or sorts by: ten ratings' worth.
    public static let priorWeight = 10.0
}
