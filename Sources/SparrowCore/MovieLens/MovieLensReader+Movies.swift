extension MovieLensReader {
    /// Movies as read, before ratings.
    struct ParsedMovies {
        var movies: [Movie]
        var genres: [String]
    }

    static let noGenres = "(no genres listed)"

    /// Reads `movies.csv` (`movieId,title,genres`).
    static func readMovies(path: String, sink: inout RowSink) throws(DataError) -> ParsedMovies {
        let file = try MappedFile(path: path)
        var scanner = CSVScanner(bytes: file.bytes, file: path)
        var fields: [CSVField] = []
        try checkHeader(&scanner, &fields, expected: ["movieId", "title", "genres"], sink: &sink)
        var rows: [(id: Int32, title: MovieTitle, genres: [Substring])] = []
        var seen = Set<Int32>()
        var genreCounts: [String: Int] = [:]
        while try scanner.next(into: &fields) {
            guard try sink.checkFieldCount(fields, 3, scanner: scanner) else { continue }
            guard let id = try sink.positiveId(fields, 0, name: "movieId", scanner: scanner) else { continue }
            guard let title = scanner.string(fields[1]), let genreText = scanner.string(fields[2]) else {
                try sink.reject(DataError(file: path, line: scanner.line, message: "text is not valid UTF-8"))
                continue
            }
            guard seen.insert(id).inserted else {
                try sink.reject(
                    DataError(file: path, line: scanner.line, field: "movieId", message: "movie \(id) occurs twice"))
                continue
            }
            let genres: [Substring] =
                genreText == noGenres || genreText.isEmpty ? [] : genreText.split(separator: "|")
            for g in genres { genreCounts[String(g), default: 0] += 1 }
            rows.append((id, MovieTitle(parsing: title), genres))
        }
        let vocabulary = genreCounts.sorted { MovieOrder.precedes(($0.key, $0.value), ($1.key, $1.value)) }
            .map(\.key)
        let index = Dictionary(uniqueKeysWithValues: vocabulary.enumerated().map { ($1, Int16($0)) })
        rows.sort { $0.id < $1.id }
        let movies = rows.map { row in
            Movie(
                id: row.id, title: row.title.name, year: row.title.year,
                genres: row.genres.map { index[String($0)]! }, hasPlainYear: row.title.hasPlainYear)
        }
        return ParsedMovies(movies: movies, genres: vocabulary)
    }

    /// Reads `links.csv` (`movieId,imdbId,tmdbId`) into the parsed movies; `tmdbId` may be empty.
    static func readLinks(path: String, into parsed: inout ParsedMovies, sink: inout RowSink) throws(DataError) {
        let file = try MappedFile(path: path)
        var scanner = CSVScanner(bytes: file.bytes, file: path)
        var fields: [CSVField] = []
        try checkHeader(&scanner, &fields, expected: ["movieId", "imdbId", "tmdbId"], sink: &sink)
        let index = IdIndex(parsed.movies.map(\.id))
        while try scanner.next(into: &fields) {
            guard try sink.checkFieldCount(fields, 3, scanner: scanner) else { continue }
            guard let id = try sink.positiveId(fields, 0, name: "movieId", scanner: scanner) else { continue }
            guard let m = index[id] else {
                try sink.reject(
                    DataError(
                        file: path, line: scanner.line, field: "movieId", message: "movie \(id) is not in movies.csv"))
                continue
            }
            let imdb = scanner.string(fields[1]) ?? ""
            if !imdb.isEmpty && !imdb.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
                try sink.reject(
                    DataError(
                        file: path, line: scanner.line, field: "imdbId",
                        message: "\"\(scanner.preview(fields[1]))\" is not a numeric IMDb id"))
                continue
            }
            var tmdb: Int32?
            if fields[2].count > 0 {
                guard let t = scanner.int64(fields[2]), t >= 0, t <= Int64(Int32.max) else {
                    try sink.reject(
                        DataError(
                            file: path, line: scanner.line, field: "tmdbId",
                            message: "\"\(scanner.preview(fields[2]))\" is not an integer id"))
                    continue
                }
                tmdb = Int32(t)
            }
            parsed.movies[m].imdbId = imdb.isEmpty ? nil : imdb
            parsed.movies[m].tmdbId = tmdb
        }
    }
}
