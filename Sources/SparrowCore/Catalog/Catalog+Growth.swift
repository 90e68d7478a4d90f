extension Catalog {
    /// Why a movie cannot join the catalogue.
    public enum GrowthError: Error, Equatable, Sendable, CustomStringConvertible {
        /// A new id must be larger than every id in the catalogue (dense indices are append-only).
        case idNotAbove(id: Int32, largest: Int32)
        /// Ids are positive.
        case invalidId(Int32)

        /// One sentence for a person.
        public var description: String {
            switch self {
            case .idNotAbove(let id, let largest) where largest == .max:
                "movieId \(id) is new but the catalogue's largest id is already \(largest): no id is left above it"
            case .idNotAbove(let id, let largest):
                "movieId \(id) is new but not above the catalogue's largest id \(largest); omit movieId to get "
                    + "\(largest + 1)"
            case .invalidId(let id): "movieId \(id) must be positive"
            }
        }
    }

    /// The id a new movie gets when none is given: one above the largest (nil when the largest is `Int32.max`).
    public var nextMovieId: Int32? {
        let largest = movies.last?.id ?? 0
        return largest == .max ? nil : largest + 1
    }

    /// A copy with `movie` in it: a movie with a known id replaces the old one at the same index; a new id is
    /// appended (index = the old count), so every index handed out before stays valid — the serving side and every
    /// trained model keep addressing the same movies. Ratings, users and tags are shared, not copied.
    ///
    /// - Precondition: `movie.genres` index `genres`.
    /// - Complexity: O(movies) (the id index is rebuilt).
    public func upserting(_ movie: Movie) throws(GrowthError) -> (catalog: Catalog, index: Int, added: Bool) {
        precondition(movie.genres.allSatisfy { $0 >= 0 && Int($0) < genres.count }, "genre index out of range")
        let (index, added) = try place(of: movie.id)
        var list = movies
        if added { list.append(movie) } else { list[index] = movie }
        let grown = Catalog(
            movies: list, movieIndexById: added ? IdIndex(list.map(\.id)) : movieIndexById, sharing: self)
        return (grown, index, added)
    }

    /// Where a movie with id `id` would go — its index, and whether it would be new — or why it cannot join.
    /// - Complexity: O(1).
    public func place(of id: Int32) throws(GrowthError) -> (index: Int, added: Bool) {
        guard id > 0 else { throw .invalidId(id) }
        if let m = movieIndex(id: id) { return (m, false) }
        let largest = movies.last?.id ?? 0
        guard id > largest else { throw .idNotAbove(id: id, largest: largest) }
        return (movies.count, true)
    }

    /// `other` with another movie list (same ids but for appended ones) and its index.
    init(movies: [Movie], movieIndexById: IdIndex, sharing other: Catalog) {
        self.movies = movies
        self.movieIndexById = movieIndexById
        genres = other.genres
        userIds = other.userIds
        ratings = other.ratings
        tags = other.tags
        skipped = other.skipped
        userIndexById = other.userIndexById
        genreIndexByName = other.genreIndexByName
        userRatingStart = other.userRatingStart
        userRatingOrder = other.userRatingOrder
    }
}
