/// A movie of the catalog.
public struct Movie: Sendable, Equatable {
    /// The MovieLens `movieId`.
    public var id: Int32
    /// The title without its release year, e.g. `American President, The`.
    public var title: String
    /// The release year parsed from the title, or `nil` when the title carries none (never a made-up default).
    public var year: Int?
    /// False when the title does not end in a plain `(YYYY)` (no year, or a range such as `(2006–2007)`).
    public var hasPlainYear: Bool
    /// Genre indices into `Catalog.genres`, in the file's order (so `genres[0]` is the original's `movieGenre1`).
    public var genres: [Int16]
    /// The IMDb id with its leading zeros (`0114709`), from `links.csv`.
    public var imdbId: String?
    /// The TMDb id, from `links.csv`; `nil` where the file leaves it empty.
    public var tmdbId: Int32?

    /// Creates a movie.
    public init(
        id: Int32, title: String, year: Int?, genres: [Int16], imdbId: String? = nil, tmdbId: Int32? = nil,
        hasPlainYear: Bool? = nil
    ) {
        self.hasPlainYear = hasPlainYear ?? (year != nil)
        self.id = id
        self.title = title
        self.year = year
        self.genres = genres
        self.imdbId = imdbId
        self.tmdbId = tmdbId
    }
}
