import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import SparrowServer
@testable import SparrowServing

/// The OpenAPI document against the server it describes: every endpoint answers at its documented path and method
/// with a body its documented schema accepts, a method a path does not serve is 405 with `Allow`, and each
/// parameter's range is enforced as documented.
@Suite("The API contract through a real server")
struct ContractTests {
    /// One valid request per endpoint (operationId → path, body, expected status).
    static func samples(user: Int32, movie: Int32, model: String) -> [String: (String, String?, Int)] {
        let event = "{\"userId\":\(user),\"movieId\":\(movie),\"rating\":4.5}"
        let instances = "{\"instances\":[{\"userId\":\(user),\"movieId\":\(movie)}]}"
        return [
            "legacyGetMovie": ("/getmovie?id=\(movie)", nil, 200),
            "legacyGetUser": ("/getuser?id=\(user)", nil, 200),
            "legacyGenreMovies": ("/getrecommendation?genre=drama&size=3&sortby=releaseYear", nil, 200),
            "legacySimilarMovies": ("/getsimilarmovie?movieId=\(movie)&size=4&model=emb", nil, 200),
            "legacyRecommend": ("/getrecforyou?id=\(user)&size=5", nil, 200),
            "getMovie": ("/api/v1/movies/\(movie)", nil, 200),
            "listMovies": ("/api/v1/movies?genre=Comedy&sort=popularity&limit=3&offset=1", nil, 200),
            "similarMovies": ("/api/v1/similar?movie=\(movie)&n=3&method=genre", nil, 200),
            "popularMovies": ("/api/v1/popular?n=3", nil, 200),
            "latestMovies": ("/api/v1/latest?n=3", nil, 200),
            "listGenres": ("/api/v1/genres", nil, 200),
            "getUser": ("/api/v1/users/\(user)", nil, 200),
            "recommend": ("/api/v1/recommend?user=\(user)&n=4&explain=true", nil, 200),
            "postEvents": ("/api/v1/events", event, 202),
            "postFeedback": ("/api/v1/feedback", "{\"events\":[\(event)]}", 202),
            "modelStatus": ("/v1/models/\(model)", nil, 200),
            "predict": ("/v1/models/\(model):predict", instances, 200),
            "predictVersion": ("/v1/models/\(model)/versions/1:predict", instances, 200),
            "metrics": ("/metrics", nil, 200),
            "live": ("/health/live", nil, 200),
            "ready": ("/health/ready", nil, 200),
            "report": ("/api/v1/report", nil, 404),
            "listModels": ("/api/v1/models", nil, 200),
            "openAPI": ("/openapi.json", nil, 200),
            "reload": ("/admin/reload", nil, 401),
            "addMovie": ("/api/v1/movies", "{\"title\":\"Contract\",\"genres\":[]}", 401),
        ]
    }

    @Test("every endpoint answers at its documented path with a body its documented schema accepts")
    func conformance() async throws {
        let service = try ServerFixture.service()
        let catalog = ServerFixture.data.catalog
        let model = try #require(service.recommender.models.available.keys.sorted().first)
        let samples = Self.samples(user: catalog.userIds[2], movie: catalog.movies[4].id, model: model)
        let operations = Set(API.all.map(\.operationId))
        #expect(operations.count == API.all.count, "operation ids are unique")
        #expect(Set(samples.keys) == operations, "every endpoint has a sample request here, and only those")
        let live = Vocabulary.Live(service)
        let components = Schemas.components(live)
        try await ServerFixture.app(service).test(.live) { client in
            for endpoint in API.all {
                let (uri, body, status) = try #require(samples[endpoint.operationId])
                try await client.execute(
                    uri: uri, method: endpoint.method, body: body.map { ByteBuffer(string: $0) }
                ) { r in
                    #expect(Int(r.status.code) == status, "\(endpoint.operationId): \(r.text)")
                    let replies = endpoint.replies(requiresKeys: live.requiresKeys, quotas: live.quotas)
                    let reply = try #require(replies[Int(r.status.code)], "\(uri): undocumented status")
                    guard let schema = reply.schema else { return }
                    if reply.contentType == "application/json" {
                        let problems = schema.problems(r.json, components: components)
                        #expect(problems.isEmpty, "\(endpoint.operationId): \(problems.prefix(5))")
                    }
                }
            }
        }
    }

    @Test("a method a path does not serve is 405 with Allow; an unknown path stays 404")
    func methodNotAllowed() async throws {
        let service = try ServerFixture.service()
        try await ServerFixture.app(service).test(.live) { client in
            for (uri, method, allow) in [
                ("/api/v1/events", HTTPRequest.Method.get, "POST"), ("/getrecforyou?id=1", .delete, "GET"),
                ("/api/v1/movies/1", .put, "GET"), ("/v1/models/neuralcf:predict", .get, "POST"),
                ("/v1/models/neuralcf", .post, "GET"), ("/admin/reload", .patch, "POST"),
            ] {
                try await client.execute(uri: uri, method: method) { r in
                    #expect(r.status == .methodNotAllowed, "\(method) \(uri)")
                    #expect(r.headers[.allow] == allow, "\(method) \(uri)")
                    #expect((r.json as? [String: Any])?["error"] is String)
                }
            }
            try await client.execute(uri: "/no/such/path", method: .get) { r in #expect(r.status == .notFound) }
        }
    }

    @Test("each parameter's documented range is the enforced one")
    func ranges() async throws {
        let service = try ServerFixture.service()
        // Found by fuzzing: Foundation's `contains` trapped on this folded query; the search matches bytes now.
        #expect(service.search("Ë\u{0}", limit: 5).isEmpty)
        #expect(RecommendationService.contains(Array("abcab".utf8), Array("cab".utf8)))
        #expect(!RecommendationService.contains(Array("ab".utf8), Array("abc".utf8)))
        let live = Vocabulary.Live(service)
        let document = OpenAPIDocument.object(live)
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        let limit = try #require(
            ((paths["/api/v1/movies"]?["get"] as? [String: Any])?["parameters"] as? [[String: Any]])?.first {
                $0["name"] as? String == "limit"
            }?["schema"] as? [String: Any])
        #expect(limit["minimum"] as? Int64 == 1 && limit["maximum"] as? Int64 == 500)
        try await ServerFixture.app(service).test(.live) { client in
            for (uri, status) in [
                ("/api/v1/movies?limit=0", HTTPResponse.Status.badRequest), ("/api/v1/movies?limit=1", .ok),
                ("/api/v1/movies?limit=500", .ok), ("/api/v1/movies?limit=501", .badRequest),
                ("/api/v1/recommend?user=0", .badRequest), ("/api/v1/recommend?user=2147483647", .ok),
                ("/api/v1/recommend?user=2147483648", .badRequest),
                ("/api/v1/recommend?user=1&explain=maybe", .badRequest),
                ("/api/v1/users/2147483648", .badRequest), ("/api/v1/movies?year=1799", .badRequest),
                ("/api/v1/recommend?user=1&model=nosuch", .badRequest), ("/v1/models/nosuch", .notFound),
                ("/api/v1/movies?search=%C3%8B%00", .badRequest), ("/api/v1/movies?search=%C3%8B", .ok),
            ] {
                try await client.execute(uri: uri, method: .get) { r in #expect(r.status == status, "\(uri): \(r.text)")
                }
            }
        }
    }
}
