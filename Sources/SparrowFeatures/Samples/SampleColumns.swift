/// Float columns of a sample table (NaN marks a missing value).
public enum FloatColumn: Int, CaseIterable, Sendable, Codable {
    case rating, label, releaseYear
    case movieRatingCount, movieAvgRating, movieRatingStddev
    case userRatingCount, userAvgReleaseYear, userReleaseYearStddev, userAvgRating, userRatingStddev
    /// Context: hour of day (UTC), day of week (0 = Monday), days since the movie's first rating, seconds since
    /// the user's previous rating. Not in the original's files (NaN there).
    case hourOfDay, dayOfWeek, daysSinceMovieFirstRating, secondsSinceUserPrevious

    /// The column name (the original's CSV header where it has one).
    public var name: String { String(describing: self) }
}

/// Integer columns of a sample table: raw ids (0 = missing) and genre indices into `SampleTable.genres` (-1 = missing).
public enum IntColumn: Int, CaseIterable, Sendable, Codable {
    case movieId, userId
    case movieGenre1, movieGenre2, movieGenre3
    case userRatedMovie1, userRatedMovie2, userRatedMovie3, userRatedMovie4, userRatedMovie5
    case userGenre1, userGenre2, userGenre3, userGenre4, userGenre5
    /// Older recent positives (6th to 20th most recent), for models with a longer history than the original's
    /// five; Sparrow's own samples fill them, the original's files do not have them (0 = missing).
    case userRatedMovie6, userRatedMovie7, userRatedMovie8, userRatedMovie9, userRatedMovie10
    case userRatedMovie11, userRatedMovie12, userRatedMovie13, userRatedMovie14, userRatedMovie15
    case userRatedMovie16, userRatedMovie17, userRatedMovie18, userRatedMovie19, userRatedMovie20

    /// The column name (the original's CSV header).
    public var name: String { String(describing: self) }
    /// True for genre columns, whose values index `SampleTable.genres`.
    public var isGenre: Bool {
        switch self {
        case .movieGenre1, .movieGenre2, .movieGenre3, .userGenre1, .userGenre2, .userGenre3, .userGenre4, .userGenre5:
            return true
        default: return false
        }
    }

    /// `movieGenre1…3`.
    public static let movieGenres: [IntColumn] = [.movieGenre1, .movieGenre2, .movieGenre3]
    /// `userGenre1…5`.
    public static let userGenres: [IntColumn] = [.userGenre1, .userGenre2, .userGenre3, .userGenre4, .userGenre5]
    /// `userRatedMovie1…5`, most recent first.
    public static let userRatedMovies: [IntColumn] = [
        .userRatedMovie1, .userRatedMovie2, .userRatedMovie3, .userRatedMovie4, .userRatedMovie5,
    ]
    /// `userRatedMovie1…20`, most recent first (the longest history Sparrow's samples carry).
    public static let longHistory: [IntColumn] =
        userRatedMovies + [
            .userRatedMovie6, .userRatedMovie7, .userRatedMovie8, .userRatedMovie9, .userRatedMovie10,
            .userRatedMovie11, .userRatedMovie12, .userRatedMovie13, .userRatedMovie14, .userRatedMovie15,
            .userRatedMovie16, .userRatedMovie17, .userRatedMovie18, .userRatedMovie19, .userRatedMovie20,
        ]
}

/// One column of the original's 27-column sample CSV layout.
public enum OriginalColumn: Sendable, Equatable {
    /// A float column.
    case float(FloatColumn)
    /// An integer column.
    case int(IntColumn)
    /// The 64-bit timestamp.
    case timestamp

    /// The header name.
    public var name: String {
        switch self {
        case .float(let c): return c.name
        case .int(let c): return c.name
        case .timestamp: return "timestamp"
        }
    }

    /// The original's exact column order.
    public static let layout: [OriginalColumn] = [
        .int(.movieId), .int(.userId), .float(.rating), .timestamp, .float(.label), .float(.releaseYear),
        .int(.movieGenre1), .int(.movieGenre2), .int(.movieGenre3),
        .float(.movieRatingCount), .float(.movieAvgRating), .float(.movieRatingStddev),
        .int(.userRatedMovie1), .int(.userRatedMovie2), .int(.userRatedMovie3), .int(.userRatedMovie4),
        .int(.userRatedMovie5),
        .float(.userRatingCount), .float(.userAvgReleaseYear), .float(.userReleaseYearStddev),
        .float(.userAvgRating), .float(.userRatingStddev),
        .int(.userGenre1), .int(.userGenre2), .int(.userGenre3), .int(.userGenre4), .int(.userGenre5),
    ]

    /// The opt-in context columns appended after the 27 (`--extra-columns`).
    public static let extra: [OriginalColumn] = [
        .float(.hourOfDay), .float(.dayOfWeek), .float(.daysSinceMovieFirstRating), .float(.secondsSinceUserPrevious),
    ]
}
