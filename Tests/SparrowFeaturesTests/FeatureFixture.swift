import Foundation
import SparrowCore
import SparrowFeatures

/// A four-movie, three-user fixture whose features are computed by hand in the tests.
///
/// Genres by frequency: Drama (3), Comedy (2), Action (1). Gamma has no year. Ties: user 1 rates two movies at
/// t=100; users 2 and 3 rate Beta in the same second (t=260).
enum FeatureFixture {
    static let movies = """
        movieId,title,genres
        1,Alpha (1990),Drama|Comedy
        2,Beta (2000),Comedy
        3,Gamma,Drama
        4,Delta (2010),Action|Drama

        """
    static let ratings = """
        userId,movieId,rating,timestamp
        1,1,4.0,100
        1,2,3.0,100
        1,3,5.0,200
        1,4,2.0,300
        2,1,5.0,150
        2,4,4.0,250
        2,2,4.5,260
        3,1,3.0,10
        3,3,1.0,20
        3,2,5.0,260

        """

    static func catalog(ratings: String = ratings) throws -> Catalog {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sparrow-ff-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try movies.write(toFile: dir + "/movies.csv", atomically: true, encoding: .utf8)
        try ratings.write(toFile: dir + "/ratings.csv", atomically: true, encoding: .utf8)
        return try MovieLensReader.load(directory: dir)
    }

    static func folder() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sparrow-ft-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// All samples of a catalog, keyed by (userId, movieId, timestamp).
    static func samples(_ catalog: Catalog) -> [String: SampleRow] {
        var out: [String: SampleRow] = [:]
        SampleGenerator(catalog: catalog).run { row in
            out["\(catalog.userIds[row.user])/\(catalog.movies[row.movie].id)/\(row.timestamp)"] = row
        }
        return out
    }
}

/// The real MovieLens folder and the original's samples, when the tests can see them.
enum RealData {
    static let directory: String? = find("ml-latest-small", file: "ratings.csv")
    static let samples: String? = find("sparrow-samples", file: "trainingSamples.csv")
    static var available: Bool { directory != nil }

    static func find(_ name: String, file: String) -> String? {
        // The repository ships ml-latest-small itself (`data/`); the original's samples only come with ../shared.
        var candidates = ["data/\(name)", "../shared/data/\(name)", "../../shared/data/\(name)"]
        if let env = ProcessInfo.processInfo.environment["SPARROW_DATA"] {
            candidates.insert(
                name == "ml-latest-small" ? env : (env as NSString).deletingLastPathComponent + "/\(name)", at: 0)
        }
        return candidates.first { FileManager.default.fileExists(atPath: $0 + "/" + file) }
    }
}
