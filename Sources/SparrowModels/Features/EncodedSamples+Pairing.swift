import SparrowFeatures

extension FloatColumn {
    /// Whether the input depends only on the movie (`true`), only on the user and the request time (`false`), or on
    /// something else — the movie at the request time, or the label (`nil`).
    public var isMovieSide: Bool? {
        switch self {
        case .releaseYear, .movieRatingCount, .movieAvgRating, .movieRatingStddev: return true
        case .userRatingCount, .userAvgReleaseYear, .userReleaseYearStddev, .userAvgRating, .userRatingStddev,
            .hourOfDay, .dayOfWeek, .secondsSinceUserPrevious:
            return false
        case .rating, .label, .daysSinceMovieFirstRating: return nil
        }
    }
}

extension EncodedSamples {
    /// Whether `pairing` can encode samples for `spec`: every numeric input is a pure user or a pure movie input.
    public static func canPair(_ spec: FeatureSpec) -> Bool { spec.numeric.allSatisfy { $0.column.isMovieSide != nil } }

    /// One user against many movies without building a sample row per pair: sample j takes the user-side inputs
    /// from row 0 of `user` and the movie-side inputs from row `rows[j]` of `movies` (both encoded with `spec`,
    /// `movies` typically once for the whole catalog), the wide cross from `movieIds[j]` × `lastPositive`.
    ///
    /// Every value is one the plain encoder computed, so the result equals encoding the pairs one by one.
    /// - Precondition: `canPair(spec)`; `user` has a row; `movies` has fields when `user` has.
    /// - Complexity: O(rows · inputs).
    public init(
        pairing user: EncodedSamples, movies: EncodedSamples, rows: [Int], movieIds: [Int32], lastPositive: Int32,
        spec: FeatureSpec
    ) {
        precondition(
            EncodedSamples.canPair(spec) && user.count > 0 && rows.count == movieIds.count, "cannot pair these samples")
        precondition(
            user.fields.isEmpty || !movies.fields.isEmpty, "movie samples need fields when user samples have them")
        self.init(empty: user, capacity: rows.count)
        let n = rows.count
        count = n
        let movieNumeric = spec.numeric.map { $0.column.isMovieSide == true }
        let movieGenre = spec.genreColumns.map { IntColumn.movieGenres.contains($0) }
        let w = numericWidth
        let gw = genreWidth
        numeric = [Float](repeating: 0, count: n * w)
        genres = [Int32](repeating: 0, count: n * gw)
        for (j, r) in rows.enumerated() {
            for k in 0..<w { numeric[j * w + k] = movieNumeric[k] ? movies.numeric[r * w + k] : user.numeric[k] }
            for k in 0..<gw { genres[j * gw + k] = movieGenre[k] ? movies.genres[r * gw + k] : user.genres[k] }
        }
        movie = rows.map { movies.movie[$0] }
        self.user = [Int32](repeating: user.user[0], count: n)
        let h = historyLength
        history = (0..<n).flatMap { _ in user.history[0..<h] }
        historyMask = (0..<n).flatMap { _ in user.historyMask[0..<h] }
        cross = movieIds.map { spec.cross.bucket($0, lastPositive) }
        labels = [Float](repeating: 0, count: n)
        if !user.fields.isEmpty {
            // Field order: movie id, user id, genre columns, bucketised numerics.
            let fromMovie = [true, false] + movieGenre + movieNumeric
            let f = fieldCount
            fields = [Int32](repeating: 0, count: n * f)
            for (j, r) in rows.enumerated() {
                for k in 0..<f { fields[j * f + k] = fromMovie[k] ? movies.fields[r * f + k] : user.fields[k] }
            }
        }
    }

    /// Overwrites row `i` with row `j` of `other` (same spec).
    public mutating func replaceRow(_ i: Int, with other: EncodedSamples, row j: Int) {
        precondition(
            other.numericWidth == numericWidth && other.genreWidth == genreWidth && other.fieldCount == fieldCount
                && other.historyLength == historyLength, "rows of a different encoding")
        let w = numericWidth, gw = genreWidth, h = historyLength, f = fieldCount
        for k in 0..<w { numeric[i * w + k] = other.numeric[j * w + k] }
        for k in 0..<gw { genres[i * gw + k] = other.genres[j * gw + k] }
        for k in 0..<h {
            history[i * h + k] = other.history[j * h + k]
            historyMask[i * h + k] = other.historyMask[j * h + k]
        }
        if !fields.isEmpty { for k in 0..<f { fields[i * f + k] = other.fields[j * f + k] } }
        movie[i] = other.movie[j]
        user[i] = other.user[j]
        cross[i] = other.cross[j]
        labels[i] = other.labels[j]
    }
}
