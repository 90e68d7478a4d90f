import Foundation

/// Writes a MovieLens-format dataset with real structure, deterministic for a seed.
///
/// Users have two or three favourite genres and a power-law activity; movies have a power-law popularity, one to
/// three genres, a hidden quality and a release year; a rating is quality + taste match + user bias + noise, rounded
/// to half stars. Each user's timestamps rise, in sessions. Some titles contain commas (so they are quoted) or carry
/// no year, and some links have no TMDb id, as in the real files.
public struct SyntheticDataset: Sendable {
    /// Number of users.
    public var users: Int
    /// Number of movies.
    public var movies: Int
    /// Exact number of ratings.
    public var ratings: Int
    /// Random seed: the same seed writes byte-identical files.
    public var seed: UInt64

    /// The 19 MovieLens genres.
    public static let genreNames = [
        "Drama", "Comedy", "Thriller", "Action", "Romance", "Adventure", "Crime", "Sci-Fi", "Horror", "Fantasy",
        "Children", "Animation", "Mystery", "Documentary", "War", "Musical", "Western", "IMAX", "Film-Noir",
    ]

    /// Creates a configuration.
    /// - Precondition: at least one user and movie; `ratings` fits in `users × movies` distinct pairs.
    public init(users: Int, movies: Int, ratings: Int, seed: UInt64) {
        self.users = users
        self.movies = movies
        self.ratings = ratings
        self.seed = seed
    }

    /// Checks the sizes, with one sentence for each problem.
    public func validate() throws(DataError) {
        guard users > 0, movies > 0, ratings >= 0 else {
            throw DataError(file: "synth", message: "users and movies must be positive and ratings non-negative")
        }
        guard users <= Int(Int32.max), movies <= 50_000_000 else {
            throw DataError(file: "synth", message: "too many users or movies")
        }
        guard Double(ratings) <= Double(users) * Double(movies) * 0.5 else {
            throw DataError(
                file: "synth",
                message: "\(ratings) ratings do not fit: at most half of users × movies (\(users * movies / 2)) pairs")
        }
    }

    /// Writes `movies.csv`, `links.csv`, `ratings.csv` and `tags.csv` into `directory` (created if needed).
    public func write(to directory: String) throws(DataError) {
        try validate()
        var rng = SeededGenerator(seed: seed)
        let catalog = SyntheticMovies(count: movies, rng: &rng)
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw DataError(file: directory, message: "cannot create the folder (\(error.localizedDescription))")
        }
        func path(_ name: String) -> String { (directory as NSString).appendingPathComponent(name) }
        try catalog.writeMovies(to: path("movies.csv"))
        try catalog.writeLinks(to: path("links.csv"))
        try SyntheticRatings(config: self, movies: catalog).write(
            ratings: path("ratings.csv"), tags: path("tags.csv"), rng: &rng)
    }
}

/// Buffered writing of a large text file.
struct BufferedFile {
    let path: String
    let handle: FileHandle
    var buffer: [UInt8] = []

    init(path: String) throws(DataError) {
        self.path = path
        guard FileManager.default.createFile(atPath: path, contents: nil),
            let handle = FileHandle(forWritingAtPath: path)
        else { throw DataError(file: path, message: "cannot create the file") }
        self.handle = handle
        buffer.reserveCapacity(1 << 22)
    }

    mutating func write(_ text: String) throws(DataError) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 22 { try flush() }
    }

    mutating func write(int value: Int64) {
        if value < 0 {
            buffer.append(0x2D)
            write(int: -value)
            return
        }
        if value >= 10 { write(int: value / 10) }
        buffer.append(UInt8(0x30 + value % 10))
    }

    mutating func byte(_ b: UInt8) { buffer.append(b) }

    mutating func flush() throws(DataError) {
        do {
            try handle.write(contentsOf: buffer)
        } catch {
            throw DataError(file: path, message: "cannot write (\(error.localizedDescription))")
        }
        buffer.removeAll(keepingCapacity: true)
    }

    mutating func close() throws(DataError) {
        try flush()
        try? handle.close()
    }
}
