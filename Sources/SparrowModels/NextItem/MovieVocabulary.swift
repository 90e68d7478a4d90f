import SparrowCore

/// The movies a next-item model ranks, when the catalogue is larger than its budget (`NextItemModel.Budget
/// .servingMovies`): the most-rated ones, as catalogue indices. The model is trained and served in its own dense
/// indices 0..<`movies.count`; histories, skip masks and results are translated at its boundary, and a movie outside
/// the vocabulary is neither an input nor a candidate. Per-user work then depends on the vocabulary, not on the
/// catalogue: ranking every user stays linear in the users however many movies the catalogue holds.
public struct MovieVocabulary: Sendable, Equatable {
    /// Each model movie's catalogue index, ascending.
    public let movies: [Int32]
    /// The catalogue's size when the model was trained (movies added since are outside the vocabulary).
    public let catalogSize: Int
    /// Catalogue index → model index, −1 outside the vocabulary.
    let position: [Int32]

    /// A vocabulary of `movies` (ascending catalogue indices below `catalogSize`).
    /// - Precondition: `movies` strictly ascending, within the catalogue.
    public init(movies: [Int32], catalogSize: Int) {
        precondition(zip(movies, movies.dropFirst()).allSatisfy { $0 < $1 }, "vocabulary movies ascend")
        precondition(movies.allSatisfy { $0 >= 0 && Int($0) < catalogSize }, "vocabulary movies in the catalogue")
        var position = [Int32](repeating: -1, count: catalogSize)
        for (i, m) in movies.enumerated() { position[Int(m)] = Int32(i) }
        self.movies = movies
        self.catalogSize = catalogSize
        self.position = position
    }

    /// The `maxMovies` movies most users rated in `data` (ties by catalogue index), nil when the catalogue has no
    /// more than that.
    /// - Complexity: O(ratings + catalogue log catalogue).
    public static func mostRated(_ data: NextItemModel.TrainingData, maxMovies: Int) -> MovieVocabulary? {
        precondition(maxMovies > 0, "a vocabulary of at least one movie")
        let size = data.genres.count
        guard size > maxMovies else { return nil }
        var users = [Int](repeating: 0, count: size)
        for h in data.histories { for m in Set(h.movies) { users[Int(m)] += 1 } }
        let kept = (0..<size).sorted { MovieOrder.precedes(($0, users[$0]), ($1, users[$1])) }
            .prefix(maxMovies).sorted()
        return MovieVocabulary(movies: kept.map(Int32.init), catalogSize: size)
    }

    /// The model index of catalogue movie `m`, nil outside the vocabulary.
    public func index(of m: Int32) -> Int32? {
        Int(m) < position.count && m >= 0 && position[Int(m)] >= 0 ? position[Int(m)] : nil
    }

    /// A history in model indices: its movies inside the vocabulary, in order.
    public func restrict(_ history: RatingHistory) -> RatingHistory {
        var out = RatingHistory()
        for i in history.movies.indices {
            if let m = index(of: history.movies[i]) {
                out.movies.append(m)
                out.timestamps.append(history.timestamps[i])
                out.liked.append(history.liked[i])
            }
        }
        return out
    }

    /// A catalogue skip mask (1 = excluded) in model indices; movies beyond the mask are not excluded.
    public func restrict(skip: [UInt8]) -> [UInt8] {
        movies.map { Int($0) < skip.count ? skip[Int($0)] : 0 }
    }

    /// Training data in model indices: every history restricted, positives recounted, the vocabulary's genres.
    public func restrict(_ data: NextItemModel.TrainingData) -> NextItemModel.TrainingData {
        let histories = data.histories.map(restrict)
        return NextItemModel.TrainingData(
            histories: histories, positives: histories.map { $0.liked.filter { $0 }.count },
            genres: movies.map { data.genres[Int($0)] })
    }
}
