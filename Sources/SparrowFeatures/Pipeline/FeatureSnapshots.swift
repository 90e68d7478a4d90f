import Foundation
import SparrowCore

/// The latest per-user and per-movie features (the original's `uf:<id>` / `mf:<id>` exports), as CSV files.
///
/// Unlike the original, which exports the state *before* each user's last rating, these describe the state after
/// every rating: what a request arriving now would see.
public enum FeatureSnapshots {
    /// `userFeatures.csv` columns.
    public static let userHeader =
        "userId,userRatedMovie1,userRatedMovie2,userRatedMovie3,userRatedMovie4,userRatedMovie5,"
        + "userGenre1,userGenre2,userGenre3,userGenre4,userGenre5,userRatingCount,userAvgReleaseYear,"
        + "userReleaseYearStddev,userAvgRating,userRatingStddev,lastRatingTime"
    /// `movieFeatures.csv` columns.
    public static let movieHeader =
        "movieId,movieGenre1,movieGenre2,movieGenre3,movieRatingCount,releaseYear,movieAvgRating,"
        + "movieRatingStddev,firstRatingTime"

    /// One user's snapshot line.
    public static func userLine(_ f: UserFeatures, userId: Int32, catalog: Catalog) -> String {
        var cells = ["\(userId)"]
        for k in 0..<5 { cells.append(k < f.recentPositives.count ? "\(catalog.movies[Int(f.recentPositives[k])].id)" : "") }
        for k in 0..<5 { cells.append(k < f.topGenres.count ? catalog.genres[Int(f.topGenres[k])] : "") }
        cells.append("\(f.ratingCount)")
        cells.append(f.averageReleaseYear.map { "\($0)" } ?? "")
        cells += [f.releaseYearStddev, f.averageRating, f.ratingStddev].map(fixed2)
        cells.append(f.lastRatingTime.map { "\($0)" } ?? "")
        return cells.joined(separator: ",")
    }

    /// One movie's snapshot line.
    public static func movieLine(_ f: MovieFeatures, movieId: Int32, catalog: Catalog) -> String {
        var cells = ["\(movieId)"]
        for k in 0..<3 { cells.append(k < f.genres.count ? catalog.genres[Int(f.genres[k])] : "") }
        cells.append("\(f.ratingCount)")
        cells.append(f.releaseYear.map { "\($0)" } ?? "")
        cells += [f.averageRating, f.ratingStddev].map(fixed2)
        cells.append(f.firstRatingTime.map { "\($0)" } ?? "")
        return cells.joined(separator: ",")
    }

    static func fixed2(_ x: Double?) -> String {
        guard let x else { return "" }
        var bytes: [UInt8] = []
        SampleCSV.appendFixed(x, decimals: 2, &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Writes `userFeatures.csv` and `movieFeatures.csv` into `directory`.
    public static func write(_ state: SampleGenerator.FinalState, catalog: Catalog, to directory: String) throws(DataError) {
        var users = [userHeader]
        for (u, s) in state.users.enumerated() { users.append(userLine(s.features(), userId: catalog.userIds[u], catalog: catalog)) }
        var movies = [movieHeader]
        for (m, s) in state.movies.enumerated() {
            movies.append(movieLine(s.features(of: catalog.movies[m]), movieId: catalog.movies[m].id, catalog: catalog))
        }
        for (name, lines) in [("userFeatures.csv", users), ("movieFeatures.csv", movies)] {
            let path = (directory as NSString).appendingPathComponent(name)
            do {
                try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
            } catch {
                throw DataError(file: path, message: "cannot write (\(error.localizedDescription))")
            }
        }
    }
}
