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
        "export → import → export is byte-identical, one rating per user and movie; the log it holds is not added twice"
    )
    func roundTrip() async throws {
        let data = Self.folder("exchange-data")
        try SyntheticDataset(users: 40, movies: 60, ratings: 900, seed: 5).write(to: data)
        let base = try MovieLensReader.load(directory: data)
        // A movie added while serving (`POST /api/v1/movies`) is part of what the system knows.
        let artifacts = Self.folder("exchange-artifacts")
        // Posted with its year in the title, as MovieLens writes titles: read the way movies.csv is read.
        let added = ExchangeRecords.Movie(
            movieId: base.nextMovieId!, title: "Added Later (2026)", year: nil, plainYear: false,
            genres: [base.genres[1]], imdbId: "0000001")
        try MovieAdditions(artifacts: artifacts).record(added)
        let catalog = try MovieAdditions(artifacts: artifacts).applied(to: base)
        #expect(catalog.movies.count == base.movies.count + 1)
        #expect(catalog.movies.last?.title == "Added Later" && catalog.movies.last?.year == 2026)
        #expect(catalog.movies.last?.hasPlainYear == true)
        #expect(!catalog.tags.isEmpty, "the fixture has tags, so they take part in the round trip")
        let log = Self.folder("exchange-log") + ".log"
        let eventLog = try EventLog(path: log)
        let movie = catalog.movies[3].id
        try await eventLog.append([
            .init(type: .rating, userId: 9999, movieId: movie, rating: 4.5, timestamp: 2_000_000_000, id: "a"),
            .init(type: .click, userId: 9999, movieId: movie, rating: nil, timestamp: 2_000_000_001, id: "b"),
            .init(type: .impression, userId: catalog.userIds[0], movieId: movie, rating: nil, timestamp: 5),
            .init(type: .rating, userId: 9999, movieId: added.movieId, rating: 5, timestamp: 2_000_000_002, id: "c"),
            // Re-ratings: of an event's rating, and of a rating of the data folder.
            .init(type: .rating, userId: 9999, movieId: movie, rating: 2, timestamp: 2_000_000_005, id: "d"),
            .init(
                type: .rating, userId: catalog.userIds[0], movieId: catalog.movies[Int(catalog.ratings.movie[0])].id,
                rating: 1, timestamp: 2_000_000_006, id: "e"),
        ])
        #expect(catalog.ratings.user[0] == 0)
        let first = Self.folder("exchange-out")
        let summary = try DataExport.write(catalog: catalog, dataDirectory: data, eventLog: log, to: first)
        #expect(summary.events == 6 && summary.movies == base.movies.count + 1 && summary.superseded == 2)
        #expect(summary.feedback == catalog.ratings.count + 2 + catalog.tags.count + 2)
        #expect(summary.users == catalog.userIds.count + 1, "the user who only posted events is a user")
        let lines = try String(contentsOfFile: first + "/" + ExchangeRecords.feedback, encoding: .utf8)
        #expect(
            lines.contains(#""movieId":\#(movie),"rating":2,"timestamp":2000000005,"type":"rating","userId":9999}"#))
        #expect(!lines.contains(#""rating":4.5,"timestamp":2000000000"#), "the replaced rating is not exported")

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
        // The imported folder with the log it came from: the log's events are in it already, none is added twice.
        let third = Self.folder("exchange-with-log")
        let again = try DataExport.write(catalog: reloaded, dataDirectory: imported, eventLog: log, to: third)
        #expect(again.skipped == 6 && again.events == 0)
        for name in [ExchangeRecords.movies, ExchangeRecords.users, ExchangeRecords.feedback] {
            #expect(
                FileManager.default.contents(atPath: first + "/" + name)
                    == FileManager.default.contents(atPath: third + "/" + name), "\(name)")
        }
        // Events logged after the export are added once; another log's events are all new.
        try await eventLog.append([
            .init(type: .rating, userId: 9999, movieId: movie, rating: 3, timestamp: 2_000_000_010, id: "f")
        ])
        let later = try DataExport.write(catalog: reloaded, dataDirectory: imported, eventLog: log, to: third)
        #expect(later.skipped == 6 && later.events == 1 && later.superseded == 1 && later.feedback == summary.feedback)
        let other = Self.folder("exchange-other") + ".log"
        try await EventLog(path: other).append([
            .init(type: .click, userId: 9999, movieId: movie, rating: nil, timestamp: 2_000_000_001, id: "b")
        ])
        let foreign = try DataExport.write(catalog: reloaded, dataDirectory: imported, eventLog: other, to: third)
        #expect(foreign.skipped == 0 && foreign.events == 1 && foreign.feedback == summary.feedback + 1)

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
