extension MovieLensReader {
    /// Reads `ratings.csv` (`userId,movieId,rating,timestamp`). Users are still raw ids in the returned table.
    static func readRatings(path: String, movieIndex: IdIndex, sink: inout RowSink) throws(DataError) -> RatingTable {
        let file = try MappedFile(path: path)
        var scanner = CSVScanner(bytes: file.bytes, file: path)
        var fields: [CSVField] = []
        fields.reserveCapacity(8)
        try checkHeader(&scanner, &fields, expected: ["userId", "movieId", "rating", "timestamp"], sink: &sink)
        var table = RatingTable()
        table.reserve(file.bytes.count / 24 + 16)
        while try scanner.next(into: &fields) {
            guard fields.count == 4 else {
                _ = try sink.checkFieldCount(fields, 4, scanner: scanner)
                continue
            }
            guard let user = try sink.positiveId(fields, 0, name: "userId", scanner: scanner),
                let movieId = try sink.positiveId(fields, 1, name: "movieId", scanner: scanner)
            else { continue }
            guard let movie = movieIndex[movieId] else {
                try sink.reject(
                    DataError(
                        file: path, line: scanner.line, field: "movieId",
                        message: "movie \(movieId) is not in movies.csv"))
                continue
            }
            guard let rating = scanner.double(fields[2]) else {
                try sink.reject(
                    DataError(
                        file: path, line: scanner.line, field: "rating",
                        message: "\"\(scanner.preview(fields[2]))\" is not a number"))
                continue
            }
            guard rating >= 0.5 && rating <= 5.0 else {
                try sink.reject(
                    DataError(
                        file: path, line: scanner.line, field: "rating",
                        message: "\"\(scanner.preview(fields[2]))\" is outside 0.5–5.0"))
                continue
            }
            guard let timestamp = scanner.int64(fields[3]) else {
                try sink.reject(
                    DataError(
                        file: path, line: scanner.line, field: "timestamp",
                        message: "\"\(scanner.preview(fields[3]))\" is not an integer Unix time"))
                continue
            }
            table.append(user: user, movie: Int32(movie), rating: Float(rating), timestamp: timestamp)
        }
        return table
    }

    /// Reads `tags.csv` (`userId,movieId,tag,timestamp`). Users are still raw ids in the returned tags.
    static func readTags(path: String, movieIndex: IdIndex, sink: inout RowSink) throws(DataError) -> [Tag] {
        let file = try MappedFile(path: path)
        var scanner = CSVScanner(bytes: file.bytes, file: path)
        var fields: [CSVField] = []
        try checkHeader(&scanner, &fields, expected: ["userId", "movieId", "tag", "timestamp"], sink: &sink)
        var tags: [Tag] = []
        while try scanner.next(into: &fields) {
            guard try sink.checkFieldCount(fields, 4, scanner: scanner) else { continue }
            guard let user = try sink.positiveId(fields, 0, name: "userId", scanner: scanner) else { continue }
            guard let movieId = scanner.int64(fields[1]), let movie = movieIndex[Int32(clamping: movieId)] else {
                try sink.reject(
                    DataError(
                        file: path, line: scanner.line, field: "movieId",
                        message: "\"\(scanner.preview(fields[1]))\" is not a movie in movies.csv"))
                continue
            }
            guard let text = scanner.string(fields[2]) else {
                try sink.reject(
                    DataError(file: path, line: scanner.line, field: "tag", message: "text is not valid UTF-8"))
                continue
            }
            guard let timestamp = scanner.int64(fields[3]) else {
                try sink.reject(
                    DataError(
                        file: path, line: scanner.line, field: "timestamp",
                        message: "\"\(scanner.preview(fields[3]))\" is not an integer Unix time"))
                continue
            }
            tags.append(Tag(user: user, movie: Int32(movie), text: text, timestamp: timestamp))
        }
        return tags
    }
}
