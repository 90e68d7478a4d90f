import Foundation

/// How strictly `MovieLensReader` treats malformed rows.
public struct LoadOptions: Sendable {
    /// Skip malformed rows (and report them) instead of failing on the first one.
    public var lenient: Bool

    /// Creates options; strict by default.
    public init(lenient: Bool = false) { self.lenient = lenient }
}

/// Reads a MovieLens folder in the ml-latest / ml-25m layout into a `Catalog`.
///
/// `movies.csv` and `ratings.csv` are required; `links.csv` and `tags.csv` are read when present. In strict mode the
/// first malformed row stops loading with a `DataError` naming the file, line and field; in lenient mode such rows are
/// skipped and counted in `Catalog.skipped`.
public enum MovieLensReader {
    /// Loads the dataset in `directory`.
    public static func load(directory: String, options: LoadOptions = LoadOptions()) throws(DataError) -> Catalog {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else {
            throw DataError(
                file: directory,
                message: "the data folder does not exist; run `sparrow data download --to DIR` or point --data "
                    + "(or SPARROW_DATA) at a MovieLens folder with movies.csv and ratings.csv")
        }
        guard isDirectory.boolValue else {
            throw DataError(file: directory, message: "is a file, expected a MovieLens folder")
        }
        func path(_ name: String) -> String { (directory as NSString).appendingPathComponent(name) }
        for required in ["movies.csv", "ratings.csv"] where !FileManager.default.fileExists(atPath: path(required)) {
            throw DataError(
                file: path(required),
                message: "is missing; a MovieLens folder needs movies.csv and ratings.csv")
        }
        var sink = RowSink(lenient: options.lenient)
        var parsedMovies = try readMovies(path: path("movies.csv"), sink: &sink)
        if FileManager.default.fileExists(atPath: path("links.csv")) {
            try readLinks(path: path("links.csv"), into: &parsedMovies, sink: &sink)
        }
        let movieIndex = IdIndex(parsedMovies.movies.map(\.id))
        var raw = try readRatings(path: path("ratings.csv"), movieIndex: movieIndex, sink: &sink)
        var rawTags: [Tag] = []
        if FileManager.default.fileExists(atPath: path("tags.csv")) {
            rawTags = try readTags(path: path("tags.csv"), movieIndex: movieIndex, sink: &sink)
        }
        // Dense user indices: sorted unique raw ids of everyone who rated or tagged.
        var seen = Set<Int32>(minimumCapacity: 1024)
        var userIds: [Int32] = []
        for id in raw.user where seen.insert(id).inserted { userIds.append(id) }
        for tag in rawTags where seen.insert(tag.user).inserted { userIds.append(tag.user) }
        userIds.sort()
        let userIndex = IdIndex(userIds)
        raw.user.withUnsafeMutableBufferPointer { users in
            for i in users.indices { users[i] = Int32(userIndex[users[i]]!) }
        }
        for i in rawTags.indices { rawTags[i].user = Int32(userIndex[rawTags[i].user]!) }
        let catalog = Catalog(
            movies: parsedMovies.movies, genres: parsedMovies.genres, userIds: userIds, ratings: raw, tags: rawTags,
            skipped: sink.report)
        return try oneRatingPerMovie(catalog, path: path("ratings.csv"), sink: &sink)
    }

    /// Checks the header row of a file against the expected column names.
    static func checkHeader(
        _ scanner: inout CSVScanner, _ fields: inout [CSVField], expected: [String], sink: inout RowSink
    ) throws(DataError) {
        guard try scanner.next(into: &fields) else {
            throw DataError(
                file: scanner.file, message: "is empty; expected a header line \(expected.joined(separator: ","))")
        }
        let names = fields.map { scanner.string($0) ?? "" }
        guard names == expected else {
            throw DataError(
                file: scanner.file, line: scanner.line,
                message: "unexpected header \"\(names.joined(separator: ","))\"; expected "
                    + "\"\(expected.joined(separator: ","))\"")
        }
    }
}

/// Applies strict or lenient handling to one malformed row.
struct RowSink {
    let lenient: Bool
    var report = SkipReport()

    /// In strict mode throws `error`; in lenient mode records it so the caller can skip the row.
    mutating func reject(_ error: DataError) throws(DataError) {
        guard lenient else { throw error }
        report.record(error)
    }

    /// Field `index` as a positive 32-bit id; in lenient mode nil (the row is skipped), in strict mode an error naming
    /// the file, line and column.
    mutating func positiveId(_ fields: [CSVField], _ index: Int, name: String, scanner: CSVScanner) throws(DataError)
        -> Int32?
    {
        guard let v = scanner.int64(fields[index]), v > 0, v <= Int64(Int32.max) else {
            try reject(
                DataError(
                    file: scanner.file, line: scanner.line, field: name,
                    message: "\"\(scanner.preview(fields[index]))\" is not a positive integer id"))
            return nil
        }
        return Int32(v)
    }

    /// Checks a record's field count.
    mutating func checkFieldCount(
        _ fields: [CSVField], _ expected: Int, scanner: CSVScanner
    ) throws(DataError) -> Bool {
        guard fields.count == expected else {
            try reject(
                DataError(
                    file: scanner.file, line: scanner.line,
                    message: "expected \(expected) fields, found \(fields.count)"))
            return false
        }
        return true
    }
}
