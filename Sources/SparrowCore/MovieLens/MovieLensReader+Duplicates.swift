extension MovieLensReader {
    /// Ratings of `catalog` that another rating of the same user and movie supersedes (one rating per user and movie:
    /// the newest wins, the later row on a tie), each with the row that wins, in file order of the superseded row.
    /// - Complexity: O(ratings), with one bit per movie for the user being checked.
    static func supersededRatings(_ catalog: Catalog) -> [(row: Int, winner: Int)] {
        var marks = [UInt64](repeating: 0, count: catalog.movies.count / 64 + 1)
        var winner = [Int32](repeating: -1, count: catalog.movies.count)
        var found: [(row: Int, winner: Int)] = []
        let movies = catalog.ratings.movie
        for u in 0..<catalog.userIds.count {
            let rows = catalog.ratingsOfUser(u)
            // Newest first (time order is timestamp, then movie, then row): the first row of a movie wins.
            for row in rows.reversed() {
                let m = Int(movies[Int(row)])
                if marks[m >> 6] & (1 << UInt64(m & 63)) != 0 {
                    found.append((Int(row), Int(winner[m])))
                } else {
                    marks[m >> 6] |= 1 << UInt64(m & 63)
                    winner[m] = row
                }
            }
            for row in rows { marks[Int(movies[Int(row)]) >> 6] = 0 }
        }
        return found.sorted { $0.row < $1.row }
    }

    /// The line of each data row of `ratings.csv` in `rows` (strict mode: every record is a row).
    static func lines(ofRows rows: Set<Int>, path: String) throws(DataError) -> [Int: Int] {
        let file = try MappedFile(path: path)
        var scanner = CSVScanner(bytes: file.bytes, file: path)
        var fields: [CSVField] = []
        var lines: [Int: Int] = [:]
        _ = try scanner.next(into: &fields)  // the header
        var row = 0
        while lines.count < rows.count, try scanner.next(into: &fields) {
            if rows.contains(row) { lines[row] = scanner.line }
            row += 1
        }
        return lines
    }

    /// The catalogue with one rating per user and movie: in strict mode a second rating is an error naming both
    /// lines; in lenient mode the superseded ones are skipped and counted.
    static func oneRatingPerMovie(_ catalog: Catalog, path: String, sink: inout RowSink) throws(DataError) -> Catalog {
        let superseded = supersededRatings(catalog)
        guard let first = superseded.first else { return catalog }
        let r = catalog.ratings
        func describe(_ row: Int) -> String {
            "user \(catalog.userIds[Int(r.user[row])]) rated movie \(catalog.movies[Int(r.movie[row])].id) again"
        }
        if !sink.lenient {
            let lines = try lines(ofRows: [first.row, first.winner], path: path)
            let (a, b) = (lines[first.row] ?? 0, lines[first.winner] ?? 0)
            throw DataError(
                file: path, line: max(a, b), field: "movieId",
                message: "\(describe(first.row)) (lines \(min(a, b)) and \(max(a, b))): one rating per user and movie")
        }
        let dropped = Set(superseded.map(\.row))
        for s in superseded {
            let pair = "user \(catalog.userIds[Int(r.user[s.row])]), movie \(catalog.movies[Int(r.movie[s.row])].id)"
            try sink.reject(
                DataError(file: path, field: "movieId", message: "\"\(pair)\" rated twice: the newest rating is kept"))
        }
        var table = RatingTable()
        table.reserve(r.count - dropped.count)
        for i in 0..<r.count where !dropped.contains(i) {
            table.append(user: r.user[i], movie: r.movie[i], rating: r.rating[i], timestamp: r.timestamp[i])
        }
        return Catalog(
            movies: catalog.movies, genres: catalog.genres, userIds: catalog.userIds, ratings: table,
            tags: catalog.tags, skipped: sink.report)
    }
}
