import Foundation
import SparrowCore

/// Movies added or updated while serving (`POST /api/v1/movies`), kept beside the event log as
/// `ARTIFACTS/movies-added.jsonl` — one `movies.jsonl` record a line, in the order they were first added — so that a
/// restart, a retraining and an export see the same catalogue as the server that accepted them.
///
/// The file is the durable record: it is rewritten atomically (temporary, fsync, rename, directory fsync) before a
/// change is applied in memory or acknowledged. New movies are appended to the catalogue in file order, so their
/// dense indices are the same on every load.
public struct MovieAdditions: Sendable {
    /// The file name inside the artifacts folder.
    public static let fileName = "movies-added.jsonl"
    /// The file.
    public let path: String

    /// The additions of an artifacts folder.
    public init(artifacts: String) { path = (artifacts as NSString).appendingPathComponent(Self.fileName) }

    /// The records, oldest addition first (none when there is no file); a malformed line is a `DataError` with the
    /// file, line and field.
    public func records() throws -> [ExchangeRecords.Movie] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        return try ExchangeRecords.read(ExchangeRecords.Movie.self, from: path, name: Self.fileName).map(\.record)
    }

    /// `catalog` with every recorded movie added or updated, in file order.
    public func applied(to catalog: Catalog) throws -> Catalog {
        guard FileManager.default.fileExists(atPath: path) else { return catalog }
        var out = catalog
        for (line, record) in try ExchangeRecords.read(ExchangeRecords.Movie.self, from: path, name: Self.fileName) {
            do {
                out = try out.upserting(record.movie(in: out)).catalog
            } catch let error as MovieRecordError {
                throw DataError(file: Self.fileName, line: line, field: error.field, message: error.message)
            } catch {
                throw DataError(file: Self.fileName, line: line, field: "movieId", message: "\(error)")
            }
        }
        return out
    }

    /// Records `record`: it replaces the line of the same id, or is appended. Durable when this returns.
    public func record(_ record: ExchangeRecords.Movie) throws {
        var all = try records()
        if let i = all.firstIndex(where: { $0.movieId == record.movieId }) {
            all[i] = record
        } else {
            all.append(record)
        }
        var data = Data()
        for r in all {
            data.append(try ExchangeRecords.encoder.encode(r))
            data.append(0x0A)
        }
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try AtomicFile.write(data, to: path)
    }
}

/// A movie record that does not fit the catalogue; `field` names the offending field.
public struct MovieRecordError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The field at fault.
    public var field: String
    /// What is wrong.
    public var message: String

    /// Creates an error.
    public init(field: String, _ message: String) {
        self.field = field
        self.message = message
    }

    /// `field 'f': message`.
    public var description: String { "field '\(field)': \(message)" }
}

extension ExchangeRecords.Movie {
    /// The catalogue's movie for this record: genre names must be the catalogue's (its taxonomy is fixed — the
    /// models were trained on it), the title non-empty, the year and links plausible.
    ///
    /// The title is read as the MovieLens reader reads `movies.csv` (`MovieTitle`): a trailing year group such as
    /// `(2026)` is the release year and leaves the title, so the movie exports, imports and exports again the same.
    /// A year given beside such a title must agree with it.
    public func movie(in catalog: Catalog) throws(MovieRecordError) -> Movie {
        // 1–500 characters (Unicode scalars, as the API's schema counts them); spaces around it are dropped unless
        // that leaves nothing.
        guard (1...500).contains(title.unicodeScalars.count) else {
            throw MovieRecordError(field: "title", "must be 1–500 characters")
        }
        let stripped = title.trimmingCharacters(in: .whitespaces)
        var trimmed = stripped.isEmpty ? title : stripped
        var (year, plainYear) = (self.year, self.plainYear)
        let parsed = MovieTitle(parsing: trimmed)
        if let titleYear = parsed.year {
            if let year, year != titleYear {
                throw MovieRecordError(field: "year", "\(year) differs from the year in the title (\(titleYear))")
            }
            (trimmed, year, plainYear) = (parsed.name, titleYear, parsed.hasPlainYear)
        }
        if let year, !(1870...2200).contains(year) {
            throw MovieRecordError(field: "year", "\(year) is not a plausible release year (1870–2200)")
        }
        var indices: [Int16] = []
        for name in genres {
            guard let g = catalog.genreIndex(name) else {
                throw MovieRecordError(
                    field: "genres", "unknown genre '\(name)'; known: \(catalog.genres.joined(separator: ", "))")
            }
            if !indices.contains(g) { indices.append(g) }
        }
        if let imdbId, imdbId.isEmpty || imdbId.count > 20 || !imdbId.allSatisfy(\.isASCIIDigit) {
            throw MovieRecordError(field: "imdbId", "must be 1–20 digits, e.g. 0114709")
        }
        if let tmdbId, tmdbId <= 0 { throw MovieRecordError(field: "tmdbId", "must be positive") }
        return Movie(
            id: movieId, title: trimmed, year: year, genres: indices, imdbId: imdbId, tmdbId: tmdbId,
            hasPlainYear: year != nil && plainYear)
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
