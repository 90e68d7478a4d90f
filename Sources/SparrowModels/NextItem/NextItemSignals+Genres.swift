import Foundation

/// The genre signal (popularity within the user's genres) and the genre-lift columns, on genre bit sets (bit g =
/// genre g of the catalog; see `NextItemSignals.genres`).
extension NextItemSignals {
    /// The pseudo-ratings that pull a genre's lift toward 1: a user with few ratings is not yet told apart from
    /// everyone (the value matters little: `docs/next-item-ranker.md`).
    public static let genreLiftPrior: Float = 5

    /// Calls `body` with each genre set in `mask`, lowest first.
    /// - Complexity: O(genres set).
    @inline(__always)
    static func eachGenre(_ mask: UInt64, _ body: (Int) -> Void) {
        var bits = mask
        while bits != 0 {
            body(bits.trailingZeroBitCount)
            bits &= bits - 1
        }
    }

    /// How many of `movies` carry each genre (64 entries, one per genre bit).
    /// - Complexity: O(movies).
    func genreCounts(_ movies: some Sequence<Int32>) -> [Float] {
        var counts = [Float](repeating: 0, count: 64)
        for m in movies { Self.eachGenre(genres[Int(m)]) { counts[$0] += 1 } }
        return counts
    }

    /// Popularity within the user's genres: log(1 + ratings) × the mean share of the user's liked movies (all rated
    /// ones while none is liked) among each of the movie's genres — what a user who picks by genre and by fame picks.
    public func genreScores(_ history: RatingHistory) -> [Float] {
        let liked = history.liked.contains(true)
        let chosen = zip(history.movies, history.liked).filter { $0.1 || !liked }.map(\.0)
        guard !chosen.isEmpty else { return [Float](repeating: 0, count: genres.count) }
        let share = genreCounts(chosen)
        let total = Float(chosen.count)
        // Per distinct genre set: the sum of its genres' shares and count × total (0 for a movie without genres).
        let sets = genreSets.masks.map { mask -> (sum: Float, denominator: Float) in
            let count = Float(mask.nonzeroBitCount)
            guard count > 0 else { return (0, 0) }
            var sum: Float = 0
            Self.eachGenre(mask) { sum += share[$0] }
            return (sum, count * total)
        }
        return [Float](unsafeUninitializedCapacity: genres.count) { out, initialized in
            genreSets.ofMovie.withUnsafeBufferPointer { group in
                logPopularity.withUnsafeBufferPointer { popularity in
                    for m in 0..<group.count {
                        let s = sets[Int(group[m])]
                        out[m] = s.denominator > 0 ? popularity[m] * s.sum / s.denominator : 0
                    }
                }
            }
            initialized = genres.count
        }
    }

    /// Each genre's share of every rating, from the movies' rating counts (`logPopularity` is log(1 + count)): a movie's
    /// ratings count once for each of its genres, so the shares sum to more than 1 when movies have several.
    /// - Complexity: O(movies).
    static func genreShares(genres: [UInt64], logPopularity: [Float]) -> [Float] {
        var counts = [Double](repeating: 0, count: 64)
        var total: Double = 0
        for (mask, p) in zip(genres, logPopularity) {
            let c = Double(expm1(p)).rounded()
            total += c
            eachGenre(mask) { counts[$0] += c }
        }
        return counts.map { total > 0 ? Float($0 / total) : 0 }
    }

    /// Each genre's lift in a history: (rated movies of the genre + prior × its share) / ((rated movies + prior) ×
    /// its share) — its share of the user's rated movies over its share of every rating, pulled toward 1 by
    /// `genreLiftPrior` pseudo-ratings; 1 for a genre nobody rated. Every rated movie counts, whatever the rating:
    /// rating a movie says the user chose to watch it.
    /// - Complexity: O(history + 64).
    public func genreLift(_ history: RatingHistory) -> [Float] {
        let mine = genreCounts(history.movies)
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
        let mask = genres[Int(movie)]
        guard mask != 0 else { return (1, 1) }
        var sum: Float = 0
        var top: Float = 0
        Self.eachGenre(mask) { g in
            sum += lift[g]
            top = max(top, lift[g])
        }
        return (sum / Float(mask.nonzeroBitCount), top)
    }
}
