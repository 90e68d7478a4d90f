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
        guard movie.id > 0 else { throw .invalidId(movie.id) }
        precondition(movie.genres.allSatisfy { $0 >= 0 && Int($0) < genres.count }, "genre index out of range")
        var list = movies
        let index: Int
        let added: Bool
        if let m = movieIndex(id: movie.id) {
            list[m] = movie
            (index, added) = (m, false)
        } else {
            let largest = movies.last?.id ?? 0
            guard movie.id > largest else { throw .idNotAbove(id: movie.id, largest: largest) }
            list.append(movie)
            (index, added) = (list.count - 1, true)
        }
        let grown = Catalog(
            movies: list, movieIndexById: added ? IdIndex(list.map(\.id)) : movieIndexById, sharing: self)
        return (grown, index, added)
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
