import SparrowCore

/// Compares our samples with the original pipeline's files, column by column, where the original's bugs cannot
/// reach: rows joined on (userId, movieId, timestamp), for users all of whose timestamps have ten digits (so
/// ordering timestamps as strings, bug B1, orders them correctly).
///
/// Every disagreement is classified by its cause, found by replaying the user's history:
/// - `timestamp tie`: the user rated several movies in the same second at or before the sample, and Spark's window
///   orders such ties arbitrarily (we order them by movie id);
/// - `genre-count tie`: the genres differ only among genres with equal counts (the original's order of equal counts
///   is a Scala hash-map order; ours is the catalog's genre order);
/// - `unknown year`: the window holds a movie without a year (the original counts it as 1990; we leave it out);
/// - `unexplained`: none of these.
public struct SampleComparison: Sendable {
    /// Causes of a disagreement, in the order they are tested.
    public enum Cause: String, CaseIterable, Sendable {
        case timestampTie = "timestamp tie"
        case genreCountTie = "genre-count tie"
        case unknownYear = "unknown year"
        case unexplained
    }

    /// Per-column agreement.
    public struct ColumnResult: Sendable {
        /// Column name.
        public var column: String
        /// Rows that agree.
        public var matched = 0
        /// Rows compared.
        public var compared = 0
        /// Disagreements by cause.
        public var causes: [Cause: Int] = [:]
        /// matched / compared.
        public var rate: Double { compared > 0 ? Double(matched) / Double(compared) : 0 }
    }

    /// Rows of the reference that found a partner among ours.
    public var joined = 0
    /// Reference rows from eligible users.
    public var eligible = 0
    /// Results per user-feature column.
    public var columns: [ColumnResult] = []

    struct Key: Hashable {
        var user: Int32
        var movie: Int32
        var time: Int64
    }

    /// Compares `ours` (generated from `catalog`) with `reference`.
    public init(ours: SampleTable, reference: SampleTable, catalog: Catalog) {
        var oursIndex: [Key: Int] = [:]
        for i in 0..<ours.count {
            oursIndex[Key(user: ours[.userId][i], movie: ours[.movieId][i], time: ours.timestamps[i])] = i
        }
        var referenceIndex: [Key: Int] = [:]
        for j in 0..<reference.count {
            referenceIndex[
                Key(user: reference[.userId][j], movie: reference[.movieId][j], time: reference.timestamps[j])] = j
        }
        let floatColumns: [FloatColumn] = [
            .userRatingCount, .userAvgReleaseYear, .userReleaseYearStddev, .userAvgRating, .userRatingStddev,
        ]
        var results: [String: ColumnResult] = [:]
        func record(_ name: String, _ ok: Bool, _ cause: @autoclosure () -> Cause) {
            var r = results[name] ?? ColumnResult(column: name)
            r.compared += 1
            if ok { r.matched += 1 } else { r.causes[cause(), default: 0] += 1 }
            results[name] = r
        }
        func genreName(_ table: SampleTable, _ column: IntColumn, _ row: Int) -> String {
            table[column][row] >= 0 ? table.genres[Int(table[column][row])] : ""
        }
        for u in 0..<catalog.userIds.count {
            let rows = catalog.ratingsOfUser(u)
            guard rows.allSatisfy({ catalog.ratings.timestamp[Int($0)] >= 1_000_000_000 }) else { continue }
            let userId = catalog.userIds[u]
            var state = UserFeatureState(genreCount: catalog.genres.count)
            var recentTimes: [Int64] = []  // the last 101 timestamps, to spot ties in and at the window's edge
            var timeCounts: [Int64: Int] = [:]
            for row in rows { timeCounts[catalog.ratings.timestamp[Int(row)], default: 0] += 1 }
            for row in rows {
                let r = Int(row)
                let m = Int(catalog.ratings.movie[r])
                let t = catalog.ratings.timestamp[r]
                let key = Key(user: userId, movie: catalog.movies[m].id, time: t)
                if let j = referenceIndex[key] {
                    eligible += 1
                    if let i = oursIndex[key] {
                        joined += 1
                        let tie = timeCounts[t]! > 1 || recentTimes.contains { timeCounts[$0]! > 1 }
                        let unknownYear = state.windowHasUnknownYear
                        for c in floatColumns {
                            let a = ours[c][i].isNaN ? 0 : ours[c][i]
                            let b = reference[c][j].isNaN ? 0 : reference[c][j]
                            let ok = abs(a - b) <= (c == .userRatingCount || c == .userAvgReleaseYear ? 0 : 0.0051)
                            record(c.name, ok, tie ? .timestampTie : unknownYear ? .unknownYear : .unexplained)
                        }
                        for c in IntColumn.userRatedMovies {
                            record(c.name, ours[c][i] == reference[c][j], tie ? .timestampTie : .unexplained)
                        }
                        let counts = state.positiveGenreCounts
                        func count(_ name: String) -> Int32 {
                            guard !name.isEmpty, let g = catalog.genreIndex(name) else { return 0 }
                            return counts[Int(g)]
                        }
                        let a = IntColumn.userGenres.map { genreName(ours, $0, i) }
                        let b = IntColumn.userGenres.map { genreName(reference, $0, j) }
                        let sameCounts = zip(a, b).allSatisfy { count($0) == count($1) }
                        for (k, c) in IntColumn.userGenres.enumerated() {
                            record(
                                c.name, a[k] == b[k], tie ? .timestampTie : sameCounts ? .genreCountTie : .unexplained)
                        }
                    }
                }
                state.add(
                    movieIndex: Int32(m), movie: catalog.movies[m], rating: catalog.ratings.rating[r], timestamp: t)
                recentTimes.append(t)
                if recentTimes.count > UserFeatureState.windowSize + 1 { recentTimes.removeFirst() }
            }
        }
        let order = floatColumns.map(\.name) + IntColumn.userRatedMovies.map(\.name) + IntColumn.userGenres.map(\.name)
        columns = order.compactMap { results[$0] }
    }

    /// A readable table.
    public var report: String {
        var lines = [
            "joined \(joined) of \(eligible) reference rows from users whose timestamps all have 10 digits",
            "  column                    match rate            mismatches by cause",
        ]
        for c in columns {
            let causes = Cause.allCases.compactMap { cause in c.causes[cause].map { "\(cause.rawValue) \($0)" } }
            lines.append(
                "  \(c.column.padding(toLength: 24, withPad: " ", startingAt: 0))  "
                    + "\(c.matched)/\(c.compared) = \(String(format: "%.4f", c.rate))  "
                    + (causes.isEmpty ? "" : causes.joined(separator: ", ")))
        }
        return lines.joined(separator: "\n")
    }
}
