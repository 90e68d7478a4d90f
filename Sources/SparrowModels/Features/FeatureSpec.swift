import SparrowFeatures

/// How samples become model inputs: fitted numeric transforms, vocabularies of ids and genres, and the hashed cross.
///
/// Fitted on training data only, saved inside every model artifact, and applied unchanged at serving time — the
/// same encoder runs offline and online, so there is no training/serving skew.
public struct FeatureSpec: Sendable, Codable, Equatable {
    /// A numeric input and its fitted transform.
    public struct Numeric: Sendable, Codable, Equatable {
        /// The sample column.
        public var column: FloatColumn
        /// The transform fitted on training data.
        public var transform: NumericTransform
    }

    /// Numeric inputs, in order.
    public var numeric: [Numeric]
    /// Genre names; row g + 1 of a genre table is `genres[g]`, row 0 is unknown/missing.
    public var genres: [String]
    /// Genre columns fed to the models (userGenre1…5, movieGenre1…3 as in the original).
    public var genreColumns: [IntColumn]
    /// Movie ids seen in training.
    public var movies: Vocabulary
    /// User ids seen in training.
    public var users: Vocabulary
    /// The wide cross movieId × userRatedMovie1.
    public var cross: HashedCross
    /// Recent positive movies the sequence models read (5 as the original; up to 20 from Sparrow's samples).
    public var historyLength: Int
    /// Quantile buckets of each numeric input (10 buckets + missing), for models that embed numerics as fields.
    public var buckets: [Bucketizer]

    /// The seven numeric features of the original models.
    public static let originalNumeric: [FloatColumn] = [
        .releaseYear, .movieRatingCount, .movieAvgRating, .movieRatingStddev, .userRatingCount, .userAvgRating,
        .userRatingStddev,
    ]

    /// Fits the spec on a training table.
    public init(
        fitting train: SampleTable, numeric columns: [FloatColumn] = FeatureSpec.originalNumeric,
        crossBuckets: Int = 10_000,
        historyLength: Int = 5
    ) {
        precondition((1...IntColumn.longHistory.count).contains(historyLength), "historyLength must be 1…20")
        self.historyLength = historyLength
        numeric = columns.map { c in
            let values = train[c]
            switch c {
            case .movieRatingCount, .userRatingCount, .secondsSinceUserPrevious, .daysSinceMovieFirstRating:
                return Numeric(column: c, transform: .fitLog1pStandardize(values))
            default:
                return Numeric(column: c, transform: .fitStandardize(values))
            }
        }
        genres = train.genres
        genreColumns = IntColumn.userGenres + IntColumn.movieGenres
        movies = Vocabulary(
            train[.movieId] + IntColumn.longHistory.prefix(historyLength).flatMap { train[$0] }, missing: 0)
        users = Vocabulary(train[.userId], missing: 0)
        cross = HashedCross(buckets: crossBuckets)
        buckets = columns.map { Bucketizer(quantilesOf: train[$0], buckets: 10) }
    }

    /// Sizes of the categorical fields shared by DeepFM, FM and LR, in order: movie id, user id, each genre
    /// column, each bucketised numeric.
    public var fieldSizes: [Int] {
        [movies.size, users.size] + genreColumns.map { _ in genreTableSize } + buckets.map(\.bucketCount)
    }

    /// Where each field starts in one table holding all fields.
    public var fieldOffsets: [Int] {
        var offsets: [Int] = []
        var total = 0
        for size in fieldSizes {
            offsets.append(total)
            total += size
        }
        return offsets
    }

    enum CodingKeys: String, CodingKey {
        case numeric, genres, genreColumns, movies, users, cross, historyLength, buckets
    }

    /// Decodes a saved spec; `historyLength` defaults to 5 for artifacts saved before it existed.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        numeric = try c.decode([Numeric].self, forKey: .numeric)
        genres = try c.decode([String].self, forKey: .genres)
        genreColumns = try c.decode([IntColumn].self, forKey: .genreColumns)
        movies = try c.decode(Vocabulary.self, forKey: .movies)
        users = try c.decode(Vocabulary.self, forKey: .users)
        cross = try c.decode(HashedCross.self, forKey: .cross)
        historyLength = try c.decodeIfPresent(Int.self, forKey: .historyLength) ?? 5
        buckets = try c.decode([Bucketizer].self, forKey: .buckets)
    }

    /// Rows of a genre table: the genres plus the unknown row.
    public var genreTableSize: Int { genres.count + 1 }
}
