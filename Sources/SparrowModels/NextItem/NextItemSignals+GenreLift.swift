import Foundation

extension NextItemSignals {
    /// The pseudo-ratings that pull a genre's lift toward 1: a user with few ratings is not yet told apart from
    /// everyone (validation: 2, 5 and 15 gave the same synthetic means to ±0.0003).
    public static let genreLiftPrior: Float = 5

    /// Each genre's share of every rating, from the movies' rating counts (`logPopularity` is log(1 + count)): a movie's
    /// ratings count once for each of its genres, so the shares sum to more than 1 when movies have several.
    /// - Complexity: O(movies).
    static func genreShares(genres: [UInt64], logPopularity: [Float]) -> [Float] {
        var counts = [Double](repeating: 0, count: 64)
        var total: Double = 0
        for (mask, p) in zip(genres, logPopularity) {
            let c = Double(expm1(p)).rounded()
            total += c
            var bits = mask
            while bits != 0 {
                counts[bits.trailingZeroBitCount] += c
                bits &= bits - 1
            }
        }
        return counts.map { total > 0 ? Float($0 / total) : 0 }
    }

    /// Each genre's lift in a history: (rated movies of the genre + prior × its share) / ((rated movies + prior) ×
    /// its share) — its share of the user's rated movies over its share of every rating, pulled toward 1 by
    /// `genreLiftPrior` pseudo-ratings; 1 for a genre nobody rated. Every rated movie counts, whatever the rating:
    /// rating a movie says the user chose to watch it.
    /// - Complexity: O(history + 64).
    public func genreLift(_ history: RatingHistory) -> [Float] {
        var mine = [Float](repeating: 0, count: 64)
        for m in history.movies where Int(m) < genres.count {
            var bits = genres[Int(m)]
            while bits != 0 {
                mine[bits.trailingZeroBitCount] += 1
                bits &= bits - 1
            }
        }
        let n = Float(history.count)
        let prior = Self.genreLiftPrior
        return (0..<64).map { g in
            let share = genreShares[g]
            return share > 0 ? (mine[g] + prior * share) / ((n + prior) * share) : 1
        }
    }

    /// The mean and the largest of `lift` (from `genreLift(_:)`) over `movie`'s genres; (1, 1) for a movie without.
    public func genreLift(of movie: Int32, _ lift: [Float]) -> (mean: Float, top: Float) {
        precondition(lift.count == 64, "one lift per genre bit")
        var bits = genres[Int(movie)]
        guard bits != 0 else { return (1, 1) }
        var sum: Float = 0
        var top: Float = 0
        let count = Float(bits.nonzeroBitCount)
        while bits != 0 {
            let l = lift[bits.trailingZeroBitCount]
            sum += l
            top = max(top, l)
            bits &= bits - 1
        }
        return (sum / count, top)
    }
}
