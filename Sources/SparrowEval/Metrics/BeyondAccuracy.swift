import SparrowCore

/// What a catalogue says about a recommended movie beyond whether it was the right one: its genres and how popular
/// it was in the training data. `RankingMetrics.Accumulator` reads it for three list metrics:
/// - intra-list diversity: the mean, over pairs of a list's movies, of the Jaccard distance of their genre sets
///   (1 − |A ∩ B| / |A ∪ B|; two movies without genres are at distance 0), averaged over lists of two or more;
/// - popularity percentile: each recommended movie's mid-rank percentile among the catalogue's movies by training
///   interactions — (movies with fewer + half of the other movies with as many) / movies — averaged over slots;
/// - long-tail share: the share of recommended slots holding a movie outside the most-interacted 20 % of the
///   catalogue (⌈0.2 · movies⌉ movies, by interactions, ties to the lower index).
public struct BeyondAccuracy: Sendable {
    /// Each movie's genres as a bit set.
    let genres: [UInt64]
    /// Each movie's popularity percentile (0…1).
    let percentile: [Double]
    /// Whether each movie is in the most-interacted 20 %.
    let head: [Bool]

    /// The context for a catalogue with `genres` (one bit set per movie) and `interactions` (training interactions
    /// per movie).
    /// - Complexity: O(n log n) for n movies.
    public init(genres: [UInt64], interactions: [Int]) {
        precondition(genres.count == interactions.count, "BeyondAccuracy: one genre set per movie")
        self.genres = genres
        let n = interactions.count
        let order = (0..<n).sorted {
            interactions[$0] != interactions[$1] ? interactions[$0] < interactions[$1] : $0 < $1
        }
        var percentile = [Double](repeating: 0, count: n)
        var start = 0
        while start < n {
            var end = start
            while end < n && interactions[order[end]] == interactions[order[start]] { end += 1 }
            // `start` movies have fewer; `end − start − 1` others have as many.
            let value = (Double(start) + 0.5 * Double(end - start - 1)) / Double(n)
            for k in start..<end { percentile[order[k]] = value }
            start = end
        }
        self.percentile = percentile
        var head = [Bool](repeating: false, count: n)
        let headSize = Int((0.2 * Double(n)).rounded(.up))
        let descending = (0..<n).sorted {
            interactions[$0] != interactions[$1] ? interactions[$0] > interactions[$1] : $0 < $1
        }
        for m in descending.prefix(headSize) { head[m] = true }
        self.head = head
    }

    /// The context for `catalog`'s movies and their training interactions.
    public init(catalog: Catalog, interactions: [Int]) {
        self.init(
            genres: catalog.movies.map { $0.genres.reduce(0) { $0 | (1 << UInt64($1)) } }, interactions: interactions)
    }

    /// The Jaccard distance of two movies' genre sets.
    func distance(_ a: Int32, _ b: Int32) -> Double {
        let (x, y) = (genres[Int(a)], genres[Int(b)])
        let union = (x | y).nonzeroBitCount
        return union == 0 ? 0 : 1 - Double((x & y).nonzeroBitCount) / Double(union)
    }

    /// A list's mean pairwise distance, nil for fewer than two movies.
    func diversity(_ list: ArraySlice<Int32>) -> Double? {
        guard list.count >= 2 else { return nil }
        let items = Array(list)
        var sum = 0.0
        for i in 0..<items.count { for j in (i + 1)..<items.count { sum += distance(items[i], items[j]) } }
        return sum / Double(items.count * (items.count - 1) / 2)
    }
}
