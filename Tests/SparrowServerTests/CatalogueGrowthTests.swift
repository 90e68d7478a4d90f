import Foundation
import Hummingbird
import HummingbirdTesting
import SparrowCore
import SparrowModels
import SparrowStore
import SparrowTestSupport
import Testing

@testable import SparrowServer
@testable import SparrowServing

/// `POST /api/v1/movies`: a movie joins the catalogue while serving, everywhere at once, durably.
@Suite("A catalogue that grows", .serialized)
struct CatalogueGrowthTests {
    static let auth: HTTPFields = [.authorization: "Bearer secret", .contentType: "application/json"]

    static func post(_ client: some TestClientProtocol, _ body: String, headers: HTTPFields = auth) async throws
        -> (status: HTTPResponse.Status, json: [String: Any])
    {
        try await client.execute(uri: "/api/v1/movies", method: .post, headers: headers, body: ByteBuffer(string: body))
        { r in (r.status, r.json as? [String: Any] ?? [:]) }
    }

    static func ids(_ client: some TestClientProtocol, _ uri: String, key: String = "movies") async throws -> [Int] {
        try await client.execute(uri: uri, method: .get) { r in
            #expect(r.status == .ok, "\(uri)")
            let list = (r.json as? [String: Any])?[key] as? [[String: Any]] ?? []
            return list.compactMap { ($0["id"] as? Int) ?? (($0["movie"] as? [String: Any])?["id"] as? Int) }
        }
    }

    @Test("a posted movie is searchable, listed, fresh, similar by genre, rateable, updatable, and survives a restart")
    func postedMovie() async throws {
        let folder = try ServerFixture.copyOfArtifacts()
        let log = folder + "/events.log"
        let service = try ServerFixture.service(artifacts: folder, adminToken: "secret", eventLog: log)
        let catalog = ServerFixture.data.catalog
        let genres = Array(catalog.genres.prefix(2))
        let expectedId = Int(catalog.nextMovieId!)
        let body = #"{"title": "Zebra Quantum Heist", "year": 2026, "genres": ["\#(genres[0])", "\#(genres[1])"]}"#
        let user = catalog.userIds[3]
        try await ServerFixture.app(service).test(.live) { client in
            #expect(try await Self.post(client, body, headers: [:]).status == .unauthorized)
            let created = try await Self.post(client, body)
            #expect(created.status == .created, "\(created.json)")
            #expect(created.json["id"] as? Int == expectedId && created.json["ratingCount"] as? Int == 0)
            #expect(created.json["genres"] as? [String] == genres && created.json["year"] as? Int == 2026)

            #expect(try await Self.ids(client, "/api/v1/movies?search=quantum%20heist") == [expectedId])
            #expect(try await Self.ids(client, "/api/v1/movies?genre=\(genres[1])&limit=500").contains(expectedId))
            #expect(try await Self.ids(client, "/api/v1/latest?n=5").first == expectedId, "the newest release")
            let similar = try await Self.ids(client, "/api/v1/similar?movie=\(expectedId)&n=10")
            #expect(similar.count == 10 && !similar.contains(expectedId))
            for id in similar {
                let m = service.recommender.catalog.movie(id: Int32(id))!
                #expect(!Set(m.genres.map { catalog.genres[Int($0)] }).isDisjoint(with: genres), "shares a genre")
            }
            // The fresh and genre channels offer it to a user at once.
            let r = service.recommender
            let candidates = r.recall(userId: user)
            let offered = candidates.filter { Int(r.catalog.movies[Int($0.movie)].id) == expectedId }
            #expect(!offered.isEmpty, "recalled (by the fresh channel, or the Two-Tower's content features before it)")
            #expect(r.fresh.first == Int32(catalog.movies.count), "the fresh channel's first movie")

            // Rated like any movie.
            let event = #"{"userId": \#(user), "movieId": \#(expectedId), "rating": 4.5, "id": "new-movie-1"}"#
            try await client.execute(uri: "/api/v1/events", method: .post, body: ByteBuffer(string: event)) { r in
                #expect(r.status == .accepted)
            }
            try await client.execute(uri: "/api/v1/movies/\(expectedId)", method: .get) { r in
                #expect((r.json as? [String: Any])?["ratingCount"] as? Int == 1)
            }
            try await client.execute(uri: "/getmovie?id=\(expectedId)", method: .get) { r in
                #expect((r.json as? [String: Any])?["title"] as? String == "Zebra Quantum Heist")  // now cached
            }
            // Updated by id: 200, the same movie, the search follows the new title.
            let update =
                #"{"movieId": \#(expectedId), "title": "Zebra Quantum Heist: Director's Cut", "year": 2026, "genres": ["\#(genres[1])"]}"#
            let updated = try await Self.post(client, update)
            #expect(updated.status == .ok && updated.json["ratingCount"] as? Int == 1, "\(updated.json)")
            try await client.execute(uri: "/getmovie?id=\(expectedId)", method: .get) { r in
                #expect((r.json as? [String: Any])?["title"] as? String == "Zebra Quantum Heist: Director's Cut")
            }
            #expect(try await Self.ids(client, "/api/v1/movies?search=director's%20cut") == [expectedId])

            // Refusals name the field; nothing is recorded.
            let unknownGenre = try await Self.post(client, #"{"title": "X", "genres": ["Polka"]}"#)
            #expect(unknownGenre.status == .badRequest)
            #expect((unknownGenre.json["error"] as? String)?.hasPrefix("genres: unknown genre 'Polka'") == true)
            #expect(try await Self.post(client, #"{"movieId": 0, "title": "X", "genres": []}"#).status == .badRequest)
            #expect(try await Self.post(client, #"{"title": "X", "genres": [], "year": null}"#).status == .badRequest)
            #expect(try await Self.post(client, #"{"title": "X", "genres": [], "rating": 5}"#).status == .badRequest)
            #expect(try await Self.post(client, #"{"title": "", "genres": []}"#).status == .badRequest)
            #expect(try await Self.post(client, #"{"title": "X", "genres": [], "year": 1200}"#).status == .badRequest)
        }
        #expect(try MovieAdditions(artifacts: folder).records().map(\.movieId) == [Int32(expectedId)])

        // A restart: the same catalogue (the same index), the logged rating replayed onto it.
        let restarted = try ServerFixture.service(artifacts: folder, adminToken: "secret", eventLog: log)
        let m = try #require(restarted.recommender.catalog.movieIndex(id: Int32(expectedId)))
        #expect(m == catalog.movies.count)
        #expect(restarted.recommender.catalog.movies[m].title == "Zebra Quantum Heist: Director's Cut")
        #expect(restarted.recommender.stats(movie: m).count == 1)
        #expect(restarted.search("quantum", limit: 5) == [Int32(m)])
        #expect(restarted.recommender.fresh.first == Int32(m), "fresh without waiting for ratings")
    }

    @Test("a title with its year, as MovieLens writes them, is read as MovieLens titles are; a differing year is a 400")
    func titleWithYear() async throws {
        let folder = try ServerFixture.copyOfArtifacts()
        let service = try ServerFixture.service(artifacts: folder, adminToken: "secret")
        let genre = ServerFixture.data.catalog.genres[0]
        try await ServerFixture.app(service).test(.live) { client in
            let created = try await Self.post(client, #"{"title": "Bar Test Movie (2026)", "genres": ["\#(genre)"]}"#)
            #expect(created.status == .created, "\(created.json)")
            #expect(created.json["title"] as? String == "Bar Test Movie" && created.json["year"] as? Int == 2026)
            let conflict = try await Self.post(client, #"{"title": "Foo (2026)", "year": 2025, "genres": []}"#)
            #expect(conflict.status == .badRequest)
            #expect(conflict.json["error"] as? String == "year: 2025 differs from the year in the title (2026)")
        }
        let record = try #require(try MovieAdditions(artifacts: folder).records().last)
        let movie = try record.movie(in: service.recommender.catalog)
        #expect(movie.title == "Bar Test Movie" && movie.year == 2026 && movie.hasPlainYear)
    }

    @Test("a new id below the largest is a conflict; a server without an artifacts folder cannot change its catalogue")
    func refusals() async throws {
        let folder = try ServerFixture.copyOfArtifacts()
        let service = try ServerFixture.service(artifacts: folder, adminToken: "secret")
        let catalog = ServerFixture.data.catalog
        let gap = (1...).first { catalog.movieIndex(id: Int32($0)) == nil }!
        #expect(gap < Int(catalog.nextMovieId!))
        try await ServerFixture.app(service).test(.live) { client in
            let conflict = try await Self.post(client, #"{"movieId": \#(gap), "title": "X", "genres": []}"#)
            #expect(conflict.status == .conflict, "\(conflict.json)")
            #expect((conflict.json["error"] as? String)?.contains("omit movieId") == true)
            // The largest possible id taken: a new movie without an id has none left.
            #expect(
                try await Self.post(client, #"{"movieId": 2147483647, "title": "Last", "genres": []}"#).status
                    == .created)
            let full = try await Self.post(client, #"{"title": "One Too Many", "genres": []}"#)
            #expect(
                full.status == .conflict && (full.json["error"] as? String)?.contains("no movie id is left") == true)
        }
        let fixed = try ServerFixture.service(adminToken: "secret")
        try await ServerFixture.app(fixed).test(.live) { client in
            let status = try await Self.post(client, #"{"title": "X", "genres": []}"#).status
            #expect(status == .forbidden)
        }
        #expect(try MovieAdditions(artifacts: folder).records().map(\.movieId) == [Int32.max])
    }

    @Test("a bad line of movies-added.jsonl names the file, the line and the field")
    func badAdditionsFile() throws {
        let folder = try ServerFixture.copyOfArtifacts()
        let additions = MovieAdditions(artifacts: folder)
        let id = ServerFixture.data.catalog.nextMovieId!
        try """
        {"movieId": \(id), "title": "Fine", "plainYear": false, "genres": []}

        {"movieId": \(id + 1), "title": "Bad", "plainYear": false, "genres": ["Polka"]}
        """.write(toFile: additions.path, atomically: true, encoding: .utf8)
        #expect(throws: DataError.self) { try additions.applied(to: ServerFixture.data.catalog) }
        do {
            _ = try additions.applied(to: ServerFixture.data.catalog)
        } catch {
            #expect(
                "\(error)".hasPrefix("movies-added.jsonl line 3, field 'genres': unknown genre 'Polka'"), "\(error)")
        }
    }
}
