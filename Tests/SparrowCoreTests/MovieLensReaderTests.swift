import Foundation
import Testing

@testable import SparrowCore

@Suite("MovieLens reader")
struct MovieLensReaderTests {
    func loadFixture(ratings: String = fixtureRatings, lenient: Bool = false) throws -> Catalog {
        let dir = try makeFolder(["movies.csv": fixtureMovies, "ratings.csv": ratings, "links.csv": fixtureLinks])
        return try MovieLensReader.load(directory: dir, options: LoadOptions(lenient: lenient))
    }

    @Test("every awkward movie row loads with the right title, year and genres")
    func movies() throws {
        let catalog = try loadFixture()
        #expect(catalog.movies.map(\.id) == [1, 5, 11, 27008, 40697, 143410, 171749])
        #expect(catalog.movie(id: 11)?.title == "American President, The")
        #expect(catalog.movie(id: 5)?.title == "\"Great\" Expectations, The")
        #expect(catalog.movie(id: 5)?.year == 1946)
        #expect(catalog.movie(id: 27008)?.year == 1999)
        #expect(catalog.movie(id: 40697)?.year == nil)
        #expect(catalog.movie(id: 171749)?.title == "Death Note: Desu nôto")
        #expect(catalog.movie(id: 171749)?.hasPlainYear == false)
        #expect(catalog.movie(id: 143410)?.genres == [])
        let toy = try #require(catalog.movie(id: 1))
        #expect(
            toy.genres.map { catalog.genres[Int($0)] } == ["Adventure", "Animation", "Children", "Comedy", "Fantasy"])
        // Vocabulary: most frequent first (Comedy 3, Drama 2), ties by name.
        #expect(Array(catalog.genres.prefix(2)) == ["Comedy", "Drama"])
        #expect(!catalog.genres.contains("(no genres listed)"))
    }

    @Test("links keep IMDb leading zeros and allow an empty TMDb id")
    func links() throws {
        let catalog = try loadFixture()
        #expect(catalog.movie(id: 1)?.imdbId == "0114709")
        #expect(catalog.movie(id: 1)?.tmdbId == 862)
        #expect(catalog.movie(id: 40697)?.imdbId == "0105946")
        #expect(catalog.movie(id: 40697)?.tmdbId == nil)
        #expect(catalog.movie(id: 27008)?.imdbId == nil)
    }

    @Test("ratings are column-wise with dense indices and 64-bit timestamps")
    func ratings() throws {
        let catalog = try loadFixture()
        #expect(catalog.userIds == [1, 2, 3])
        #expect(catalog.ratings.count == 6)
        #expect(catalog.ratings.user == [0, 0, 0, 1, 1, 2])
        #expect(catalog.ratings.movie.map { catalog.movies[Int($0)].id } == [1, 11, 27008, 40697, 1, 171749])
        #expect(catalog.ratings.rating == [4, 5, 3, 0.5, 4.5, 5])
        #expect(catalog.ratings.timestamp[3] == 1_537_109_082)
    }

    @Test("each user's ratings are in numeric time order, ties by movie")
    func userOrder() throws {
        let catalog = try loadFixture()
        // User 1: 964981247 (movie 11), then two at 964982703: movie 1 (index 0) before movie 27008 (index 3).
        #expect(Array(catalog.ratingsOfUser(0)) == [1, 0, 2])
        // User 2: 999999999 (9 digits) comes before 1537109082 (10 digits): numbers, not strings.
        #expect(Array(catalog.ratingsOfUser(1)) == [4, 3])
    }

    @Test(
        "malformed rating rows fail with file, line and field",
        arguments: [
            ("1,1,abc,964982703", 3, "rating", "\"abc\" is not a number"),
            ("1,1,5.5,964982703", 3, "rating", "\"5.5\" is outside 0.5–5.0"),
            ("1,1,0,964982703", 3, "rating", "\"0\" is outside 0.5–5.0"),
            ("1,1,4.0,soon", 3, "timestamp", "\"soon\" is not an integer Unix time"),
            ("1,999,4.0,964982703", 3, "movieId", "movie 999 is not in movies.csv"),
            ("x,1,4.0,964982703", 3, "userId", "\"x\" is not a positive integer id"),
        ])
    func badRows(row: String, line: Int, field: String, message: String) throws {
        let ratings = "userId,movieId,rating,timestamp\n1,1,4.0,1\n\(row)\n2,1,3.0,2\n"
        let dir = try makeFolder(["movies.csv": fixtureMovies, "ratings.csv": ratings])
        let expected = DataError(file: dir + "/ratings.csv", line: line, field: field, message: message)
        #expect(throws: expected) { _ = try MovieLensReader.load(directory: dir) }
    }

    @Test("wrong field counts and broken quotes are errors too")
    func structural() throws {
        let dir = try makeFolder([
            "movies.csv": fixtureMovies, "ratings.csv": "userId,movieId,rating,timestamp\n1,1,4.0\n",
        ])
        #expect(throws: DataError(file: dir + "/ratings.csv", line: 2, message: "expected 4 fields, found 3")) {
            _ = try MovieLensReader.load(directory: dir)
        }
        let broken = try makeFolder([
            "movies.csv": "movieId,title,genres\n1,\"Toy Story (1995),Comedy\n2,X (2000),Drama\n",
            "ratings.csv": "userId,movieId,rating,timestamp\n",
        ])
        let error = try #require(throws: DataError.self) { _ = try MovieLensReader.load(directory: broken) }
        #expect(error.description.contains("movies.csv line 2"))
    }

    @Test("lenient mode skips bad rows and counts them by reason")
    func lenient() throws {
        let ratings = fixtureRatings + "1,1,abc,1\n1,1,9,1\n1,1,zzz,1\n4,4242,4.0,5\n"
        let catalog = try loadFixture(ratings: ratings, lenient: true)
        #expect(catalog.ratings.count == 6)
        #expect(catalog.skipped.total == 4)
        #expect(catalog.skipped.examples.map(\.line) == [8, 9, 10, 11])
        #expect(catalog.skipped.countsByReason.values.sorted() == [1, 1, 2])
    }

    @Test("missing folders and files are one clear sentence")
    func missing() throws {
        let error = try #require(throws: DataError.self) { _ = try MovieLensReader.load(directory: "/no/such/dir") }
        #expect(error.description.hasPrefix("/no/such/dir: the data folder does not exist"))
        let dir = try makeFolder(["movies.csv": fixtureMovies])
        let e2 = try #require(throws: DataError.self) { _ = try MovieLensReader.load(directory: dir) }
        #expect(e2.description.contains("ratings.csv: is missing"))
    }

    @Test("a wrong header is reported on line 1")
    func header() throws {
        let dir = try makeFolder(["movies.csv": fixtureMovies, "ratings.csv": "user,movie,rating,ts\n"])
        let error = try #require(throws: DataError.self) { _ = try MovieLensReader.load(directory: dir) }
        #expect(error.line == 1)
    }

    @Test("tags are read when present")
    func tags() throws {
        let dir = try makeFolder([
            "movies.csv": fixtureMovies, "ratings.csv": fixtureRatings,
            "tags.csv": "userId,movieId,tag,timestamp\n1,1,pixar,1139045764\n7,11,\"funny, smart\",1139045765\n",
        ])
        let catalog = try MovieLensReader.load(directory: dir)
        #expect(catalog.tags.count == 2)
        #expect(catalog.tags[1].text == "funny, smart")
        #expect(catalog.userIds == [1, 2, 3, 7])
    }
}

@Suite("One rating per user and movie in ratings.csv")
struct DuplicateRatingTests {
    @Test("a second rating of a movie by a user: strict names both lines; lenient keeps the newest, later on a tie")
    func duplicates() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dup-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try "movieId,title,genres\n1,A (1990),Drama\n2,B (1991),Comedy\n".write(
            toFile: dir + "/movies.csv", atomically: true, encoding: .utf8)
        try """
        userId,movieId,rating,timestamp
        7,1,4.0,100
        7,2,3.0,100
        8,1,2.0,50
        7,1,1.5,90
        8,1,5.0,50

        """.write(toFile: dir + "/ratings.csv", atomically: true, encoding: .utf8)
        #expect(throws: DataError.self) { try MovieLensReader.load(directory: dir) }
        do {
            _ = try MovieLensReader.load(directory: dir)
        } catch {
            #expect(
                "\(error)".contains("line 6, field 'movieId': user 8 rated movie 1 again (lines 4 and 6)"), "\(error)")
        }
        var options = LoadOptions()
        options.lenient = true
        let catalog = try MovieLensReader.load(directory: dir, options: options)
        // User 7 keeps 4.0 (time 100 beats 90); user 8 keeps the later line's 5.0 (a tie on the time).
        #expect(catalog.ratings.rating == [4.0, 3.0, 5.0])
        #expect(catalog.skipped.total == 2)
    }
}
