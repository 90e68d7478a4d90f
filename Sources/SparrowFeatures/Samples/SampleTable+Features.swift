import SparrowCore

extension SampleTable {
    /// Appends a generated sample, encoding it with the catalog's ids and genre vocabulary.
    ///
    /// - Precondition: the table's `genres` are the catalog's.
    /// - Parameter userId: the raw user id, when the user is not (yet) in the catalog (a new user at serving time).
    public mutating func append(
        _ row: SampleRow, catalog: Catalog, positiveThreshold: Float = likedThreshold, userId: Int32? = nil
    ) {
        let mf = row.movieFeatures
        let uf = row.userFeatures
        let context = ContextFeatures(
            timestamp: row.timestamp, movieFirstRating: mf.firstRatingTime, userPreviousRating: uf.lastRatingTime)
        func opt(_ x: Double?) -> Float { x.map(SampleCSV.twoDecimals) ?? .nan }
        append(
            timestamp: row.timestamp,
            float: { c in
                switch c {
                case .rating: return row.rating
                case .label: return row.rating >= positiveThreshold ? 1 : 0
                case .releaseYear: return mf.releaseYear.map(Float.init) ?? .nan
                case .movieRatingCount: return Float(mf.ratingCount)
                case .movieAvgRating: return opt(mf.averageRating)
                case .movieRatingStddev: return opt(mf.ratingStddev)
                case .userRatingCount: return Float(uf.ratingCount)
                case .userAvgReleaseYear: return uf.averageReleaseYear.map(Float.init) ?? .nan
                case .userReleaseYearStddev: return opt(uf.releaseYearStddev)
                case .userAvgRating: return opt(uf.averageRating)
                case .userRatingStddev: return opt(uf.ratingStddev)
                case .hourOfDay: return Float(context.hourOfDay)
                case .dayOfWeek: return Float(context.dayOfWeek)
                case .daysSinceMovieFirstRating: return opt(context.daysSinceMovieFirstRating)
                case .secondsSinceUserPrevious: return context.secondsSinceUserPrevious.map(Float.init) ?? .nan
                }
            },
            int: { c in
                switch c {
                case .movieId: return catalog.movies[row.movie].id
                case .userId: return userId ?? catalog.userIds[row.user]
                case .movieGenre1, .movieGenre2, .movieGenre3:
                    let k = c.rawValue - IntColumn.movieGenre1.rawValue
                    return k < mf.genres.count ? Int32(mf.genres[k]) : -1
                case .userGenre1, .userGenre2, .userGenre3, .userGenre4, .userGenre5:
                    let k = c.rawValue - IntColumn.userGenre1.rawValue
                    return k < uf.topGenres.count ? Int32(uf.topGenres[k]) : -1
                default:
                    let k = IntColumn.longHistory.firstIndex(of: c)!
                    return k < uf.recentPositives.count ? catalog.movies[Int(uf.recentPositives[k])].id : 0
                }
            })
    }
}

/// Request-time context of a sample.
public struct ContextFeatures: Sendable, Equatable {
    /// Hour of day, UTC (0…23).
    public var hourOfDay: Int
    /// Day of week, 0 = Monday … 6 = Sunday (UTC).
    public var dayOfWeek: Int
    /// Days since the movie's first rating; `nil` for a movie never rated before.
    public var daysSinceMovieFirstRating: Double?
    /// Seconds since the user's previous rating; `nil` before the first.
    public var secondsSinceUserPrevious: Int64?

    /// Computes the context of a request at `timestamp`.
    public init(timestamp: Int64, movieFirstRating: Int64?, userPreviousRating: Int64?) {
        let secondsOfDay = ((timestamp % Seconds.day) + Seconds.day) % Seconds.day
        hourOfDay = Int(secondsOfDay / Seconds.hour)
        let days = (timestamp - secondsOfDay) / Seconds.day
        dayOfWeek = Int(((days + 3) % 7 + 7) % 7)  // 1970-01-01 was a Thursday
        daysSinceMovieFirstRating = movieFirstRating.map { Double(timestamp - $0) / Double(Seconds.day) }
        secondsSinceUserPrevious = userPreviousRating.map { timestamp - $0 }
    }
}
