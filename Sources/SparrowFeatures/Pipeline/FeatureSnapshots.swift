import Foundation
import SparrowCore

/// The latest per-user and per-movie features (the original's `uf:<id>` / `mf:<id>` exports), as CSV files.
///
/// Unlike the original, which exports the state *before* each user's last rating, these describe the state after
/// every rating: what a request arriving now would see.
public enum FeatureSnapshots {
    /// The original's `uf:<userId>` fields, in order: (name, value as text; "" when missing).
    public static func userFields(_ f: UserFeatures, catalog: Catalog) -> [(String, String)] {
        var fields: [(String, String)] = []
        for k in 0..<5 {
            fields.append(
                (
                    "userRatedMovie\(k + 1)",
                    k < f.recentPositives.count ? "\(catalog.movies[Int(f.recentPositives[k])].id)" : ""
                ))
        }
        for k in 0..<5 {
            fields.append(("userGenre\(k + 1)", k < f.topGenres.count ? catalog.genres[Int(f.topGenres[k])] : ""))
        }
        fields.append(("userRatingCount", "\(f.ratingCount)"))
        fields.append(("userAvgReleaseYear", f.averageReleaseYear.map { "\($0)" } ?? ""))
        fields.append(("userReleaseYearStddev", fixed2(f.releaseYearStddev)))
        fields.append(("userAvgRating", fixed2(f.averageRating)))
        fields.append(("userRatingStddev", fixed2(f.ratingStddev)))
        fields.append(("lastRatingTime", f.lastRatingTime.map { "\($0)" } ?? ""))
        return fields
    }

    /// The original's `mf:<movieId>` fields, in order.
    public static func movieFields(_ f: MovieFeatures, catalog: Catalog) -> [(String, String)] {
        var fields: [(String, String)] = []
        for k in 0..<3 {
            fields.append(("movieGenre\(k + 1)", k < f.genres.count ? catalog.genres[Int(f.genres[k])] : ""))
        }
        fields.append(("movieRatingCount", "\(f.ratingCount)"))
        fields.append(("releaseYear", f.releaseYear.map { "\($0)" } ?? ""))
        fields.append(("movieAvgRating", fixed2(f.averageRating)))
        fields.append(("movieRatingStddev", fixed2(f.ratingStddev)))
        fields.append(("firstRatingTime", f.firstRatingTime.map { "\($0)" } ?? ""))
        return fields
    }

    /// `userFeatures.csv` columns.
    public static var userHeader: String {
        (["userId"] + userFields(UserFeatureState(genreCount: 0).features(), catalog: emptyCatalog).map(\.0)).joined(
            separator: ",")
    }

    /// `movieFeatures.csv` columns.
    public static var movieHeader: String {
        (["movieId"]
            + movieFields(MovieFeatureState().features(releaseYear: nil, firstGenres: []), catalog: emptyCatalog).map(
                \.0))
            .joined(separator: ",")
    }

    static let emptyCatalog = Catalog(movies: [], genres: [], userIds: [], ratings: RatingTable())

    /// One user's snapshot line.
    public static func userLine(_ f: UserFeatures, userId: Int32, catalog: Catalog) -> String {
        (["\(userId)"] + userFields(f, catalog: catalog).map(\.1)).joined(separator: ",")
    }

    /// One movie's snapshot line.
    public static func movieLine(_ f: MovieFeatures, movieId: Int32, catalog: Catalog) -> String {
        (["\(movieId)"] + movieFields(f, catalog: catalog).map(\.1)).joined(separator: ",")
    }

    static func fixed2(_ x: Double?) -> String {
        guard let x else { return "" }
        var bytes: [UInt8] = []
        SampleCSV.appendFixed(x, decimals: 2, &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Writes `userFeatures.csv` and `movieFeatures.csv` into `directory`.
    public static func write(_ state: SampleGenerator.FinalState, catalog: Catalog, to directory: String)
        throws(DataError)
    {
        var users = [userHeader]
        for (u, s) in state.users.enumerated() {
            users.append(userLine(s.features(), userId: catalog.userIds[u], catalog: catalog))
        }
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
