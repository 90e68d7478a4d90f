import Foundation
import SparrowCore
import SparrowStore
import Testing

@testable import SparrowOffline
@testable import SparrowServing

/// `sparrow export` / `sparrow import`: everything the system knows as JSON lines, and back into a data folder.
@Suite("Export and import")
struct ExchangeTests {
    static func folder(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)").path
    }

    @Test(
        "export → import → export is byte-identical; events become ratings, clicks survive, new users and movies appear"
    )
    func roundTrip() async throws {
        let data = Self.folder("exchange-data")
        try SyntheticDataset(users: 40, movies: 60, ratings: 900, seed: 5).write(to: data)
        let base = try MovieLensReader.load(directory: data)
        // A movie added while serving (`POST /api/v1/movies`) is part of what the system knows.
        let artifacts = Self.folder("exchange-artifacts")
        let added = ExchangeRecords.Movie(
            movieId: base.nextMovieId!, title: "Added Later", year: 2026, plainYear: true, genres: [base.genres[1]],
            imdbId: "0000001")
        try MovieAdditions(artifacts: artifacts).record(added)
        let catalog = try MovieAdditions(artifacts: artifacts).applied(to: base)
        #expect(catalog.movies.count == base.movies.count + 1 && catalog.movies.last?.title == "Added Later")
        #expect(!catalog.tags.isEmpty, "the fixture has tags, so they take part in the round trip")
        let log = Self.folder("exchange-log") + ".log"
        let eventLog = try EventLog(path: log)
        let movie = catalog.movies[3].id
        try await eventLog.append([
            .init(type: .rating, userId: 9999, movieId: movie, rating: 4.5, timestamp: 2_000_000_000, id: "a"),
            .init(type: .click, userId: 9999, movieId: movie, rating: nil, timestamp: 2_000_000_001, id: "b"),
            .init(type: .impression, userId: catalog.userIds[0], movieId: movie, rating: nil, timestamp: 5),
            .init(type: .rating, userId: 9999, movieId: added.movieId, rating: 5, timestamp: 2_000_000_002, id: "c"),
        ])
        let first = Self.folder("exchange-out")
        let summary = try DataExport.write(catalog: catalog, dataDirectory: data, eventLog: log, to: first)
        #expect(summary.events == 4 && summary.movies == base.movies.count + 1)
        #expect(summary.feedback == catalog.ratings.count + catalog.tags.count + 4)
        #expect(summary.users == catalog.userIds.count + 1, "the user who only posted events is a user")

        let imported = Self.folder("exchange-imported")
        let result = try DataImport.run(from: first, to: imported)
        #expect(result.ratings == catalog.ratings.count + 2 && result.events == 2 && result.tags == catalog.tags.count)
        let reloaded = try MovieLensReader.load(directory: imported)
        #expect(reloaded.movies == catalog.movies)
        #expect(reloaded.userIds.contains(9999), "the posted rating is a rating of the new data folder")

        let second = Self.folder("exchange-again")
        _ = try DataExport.write(catalog: reloaded, dataDirectory: imported, eventLog: nil, to: second)
        for name in [ExchangeRecords.movies, ExchangeRecords.users, ExchangeRecords.feedback] {
            let a = try #require(FileManager.default.contents(atPath: first + "/" + name))
            let b = try #require(FileManager.default.contents(atPath: second + "/" + name))
            #expect(a == b, "\(name) differs after the round trip")
        }
        let click = try String(contentsOfFile: second + "/" + ExchangeRecords.feedback, encoding: .utf8)
        #expect(click.contains(#"{"id":"b","movieId":\#(movie),"timestamp":2000000001,"type":"click","userId":9999}"#))
    }

    @Test("a bad line stops the import with its file, line and field, and writes nothing")
    func errors() throws {
        let movie = #"{"movieId":1,"title":"Toy Story","year":1995,"plainYear":true,"genres":["Comedy"]}"#
        let user = #"{"userId":7,"ratingCount":1}"#
        let rating = #"{"type":"rating","userId":7,"movieId":1,"rating":4,"timestamp":10}"#
        let cases: [(String, String, String)] = [
            (
                #"{"type":"rating","userId":7,"movieId":1,"rating":7,"timestamp":10}"#,
                "feedback.jsonl line 3, field 'rating': must be 0.5–5 in half stars", "a rating out of range"
            ),
            (
                #"{"type":"rating","userId":8,"movieId":1,"rating":4,"timestamp":10}"#,
                "feedback.jsonl line 3, field 'userId': 8 is not in users.jsonl", "an unknown user"
            ),
            (
                #"{"type":"rating","userId":7,"movieId":2,"rating":4,"timestamp":10}"#,
                "feedback.jsonl line 3, field 'movieId': 2 is not in movies.jsonl", "an unknown movie"
            ),
            (
                #"{"type":"rating","userId":7,"movieId":1,"rating":"4","timestamp":10}"#,
                "feedback.jsonl line 3, field 'rating': expected Float", "a string for a number"
            ),
            (#"{"type":"rating","userId":7,"#, "feedback.jsonl line 3: not valid JSON", "a cut line"),
            (
                #"{"type":"like","userId":7,"movieId":1,"timestamp":10}"#,
                #"feedback.jsonl line 3, field 'type': must be rating, tag, click or impression, got "like""#, "a type"
            ),
        ]
        for (bad, message, what) in cases {
            let source = Self.folder("exchange-bad")
            try FileManager.default.createDirectory(atPath: source, withIntermediateDirectories: true)
            try Data((movie + "\n").utf8).write(to: URL(fileURLWithPath: source + "/movies.jsonl"))
            try Data((user + "\n").utf8).write(to: URL(fileURLWithPath: source + "/users.jsonl"))
            // Line 2 is blank: line numbers count it.
            try Data((rating + "\n\n" + bad + "\n").utf8).write(to: URL(fileURLWithPath: source + "/feedback.jsonl"))
            let target = Self.folder("exchange-target")
            #expect(throws: DataError.self, "\(what)") { try DataImport.run(from: source, to: target) }
            do {
                _ = try DataImport.run(from: source, to: target)
            } catch let error as DataError {
                #expect(error.description == message, "\(what)")
            }
            #expect(!FileManager.default.fileExists(atPath: target), "\(what): nothing written")
        }
    }
}
