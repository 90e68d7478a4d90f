import Foundation
import SparrowCore

/// A fresh temporary folder with the given files written into it.
func makeFolder(_ files: [String: String]) throws -> String {
    let dir = FileManager.default.temporaryDirectory
        .appendingPathComponent("sparrow-test-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    for (name, text) in files {
        try text.write(toFile: (dir as NSString).appendingPathComponent(name), atomically: true, encoding: .utf8)
    }
    return dir
}

/// Scans `text` and returns every record's fields decoded as strings.
func scanAll(_ text: String) throws(DataError) -> [[String]] {
    let bytes = Array(text.utf8)
    return try bytes.withUnsafeBufferPointer { (buffer) throws(DataError) -> [[String]] in
        var scanner = CSVScanner(bytes: buffer, file: "t.csv")
        var fields: [CSVField] = []
        var rows: [[String]] = []
        while try scanner.next(into: &fields) { rows.append(fields.map { scanner.string($0)! }) }
        return rows
    }
}

/// The real MovieLens folder: `SPARROW_DATA`, else the copy the repository ships (`data/ml-latest-small`), else
/// `../shared/data/ml-latest-small`.
enum RealData {
    static let directory: String? = {
        let candidates = [
            ProcessInfo.processInfo.environment["SPARROW_DATA"],
            "data/ml-latest-small",
            "../shared/data/ml-latest-small",
            "../../shared/data/ml-latest-small",
        ]
        for case let path? in candidates where FileManager.default.fileExists(atPath: path + "/ratings.csv") {
            return path
        }
        print("note: ml-latest-small not found (set SPARROW_DATA); real-data tests are skipped")
        return nil
    }()
    static var available: Bool { directory != nil }
}

/// A small movies/ratings/links fixture with the awkward cases of real files.
let fixtureMovies = #"""
    movieId,title,genres
    1,Toy Story (1995),Adventure|Animation|Children|Comedy|Fantasy
    11,"American President, The (1995)",Comedy|Drama|Romance
    27008,From Dusk Till Dawn 2: Texas Blood Money (1999) ,Comedy|Crime|Horror
    40697,Babylon 5,Sci-Fi
    143410,Hyena Road,(no genres listed)
    171749,Death Note: Desu nôto (2006–2007),(no genres listed)
    5,"""Great"" Expectations, The (1946)",Drama

    """#

let fixtureRatings = """
    userId,movieId,rating,timestamp
    1,1,4.0,964982703
    1,11,5.0,964981247
    1,27008,3.0,964982703
    2,40697,0.5,1537109082
    2,1,4.5,999999999
    3,171749,5.0,1000000000

    """

let fixtureLinks = """
    movieId,imdbId,tmdbId
    1,0114709,862
    11,0112346,9087
    40697,0105946,
    """
