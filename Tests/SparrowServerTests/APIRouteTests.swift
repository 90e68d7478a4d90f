import Foundation
import Hummingbird
import HummingbirdTesting
import SparrowModels
import Testing

@testable import SparrowServer
@testable import SparrowServing
import SparrowStore

@Suite("JSON API, A/B, events, operations through a real server")
struct APIRouteTests {
    @Test("recommend with explanations, similar, movies, users, popular, latest, search")
    func api() async throws {
        let service = try ServerFixture.service()
        let catalog = ServerFixture.data.catalog
        let user = catalog.userIds[3]
        let accented = try #require(
            catalog.movies.first {
                $0.title.contains("é") || $0.title.contains("ñ") || $0.title.contains("Ü") || $0.title.contains("Å")
            })
        try await ServerFixture.app(service).test(.live) { client in
            try await client.execute(uri: "/api/v1/recommend?user=\(user)&n=8&explain=true", method: .get) { r in
                let body = try #require(r.json as? [String: Any])
                let items = try #require(body["items"] as? [[String: Any]])
                #expect(items.count == 8)
                #expect(body["model"] as? String == "ranker", "the ranker trained to pick serves by default")
                for item in items {
                    let explanation = try #require(item["explanation"] as? [String: Any])
                    #expect(
                        NextItemSignals.Signal.allCases.map(\.rawValue).contains(
                            explanation["channel"] as? String ?? ""), "a next-item signal found it")
                    if explanation["channel"] as? String == "item2item" {
                        #expect(explanation["because"] is [String: Any])
                    }
                    #expect(explanation["score"] is Double)
                }
                let recall = try #require(body["recall"] as? [String: Int])
                #expect(recall.values.reduce(0, +) > 8)
            }
            try await client.execute(uri: "/api/v1/recommend?user=\(user)&n=8&model=embedding-mlp", method: .get) { r in
                let body = try #require(r.json as? [String: Any])
                #expect(body["model"] as? String == "embedding-mlp")
                let recall = try #require(body["recall"] as? [String: Int])
                #expect(recall["two-tower"] ?? 0 > 0, "the Two-Tower channel contributes candidates")
            }
            try await client.execute(
                uri: "/api/v1/similar?movie=\(catalog.movies[5].id)&n=5&method=deepwalk", method: .get
            ) { r in
                #expect(((r.json as? [String: Any])?["movies"] as? [Any])?.count == 5)
            }
            try await client.execute(uri: "/api/v1/similar?movie=\(catalog.movies[5].id)&method=word2vec", method: .get)
            { r in
                #expect(r.status == .badRequest)
                let error = (r.json as? [String: Any])?["error"] as? String ?? ""
                #expect(error.contains("must be one of genre, deepwalk, item2vec, node2vec"), "\(error)")
            }
            // A sort key the engine does not know is refused with the choices, on both APIs.
            for uri in ["/api/v1/movies?genre=comedy&sort=best", "/getrecommendation?genre=comedy&sortby=best"] {
                try await client.execute(uri: uri, method: .get) { r in
                    #expect(r.status == .badRequest)
                    let error = (r.json as? [String: Any])?["error"] as? String ?? ""
                    #expect(error.contains("one of rating, releaseYear, popularity, id, year"), "\(uri) → \(error)")
                }
            }
            try await client.execute(uri: "/api/v1/movies?genre=comedy&sort=rating&limit=3&offset=1", method: .get) {
                r in
                let movies = try #require((r.json as? [String: Any])?["movies"] as? [[String: Any]])
                #expect(movies.count == 3)
                #expect(movies.allSatisfy { ($0["genres"] as? [String])?.contains("Comedy") == true })
            }
            let fold = accented.title.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
                .uppercased()
            try await client.execute(
                uri: "/api/v1/movies?search=\(fold.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!)",
                method: .get
            ) { r in
                let movies = try #require((r.json as? [String: Any])?["movies"] as? [[String: Any]])
                #expect(movies.contains { $0["id"] as? Int == Int(accented.id) })
            }
            try await client.execute(uri: "/api/v1/users/\(user)", method: .get) { r in
                let body = try #require(r.json as? [String: Any])
                #expect((body["history"] as? [Any])?.count == body["ratingCount"] as? Int)
                #expect(body["favouriteGenres"] is [String])
            }
            try await client.execute(uri: "/api/v1/popular?n=4", method: .get) { r in
                let movies = try #require((r.json as? [String: Any])?["movies"] as? [[String: Any]])
                let counts = movies.compactMap { $0["ratingCount"] as? Int }
                #expect(counts == counts.sorted(by: >))
            }
            try await client.execute(uri: "/api/v1/latest?n=4", method: .get) { r in
                #expect(((r.json as? [String: Any])?["movies"] as? [Any])?.count == 4)
            }
            try await client.execute(uri: "/openapi.json", method: .get) { r in
                #expect((r.json as? [String: Any])?["openapi"] as? String == "3.0.3")
            }
        }
    }

    @Test("A/B buckets are stable per user, follow the weights, and the response names the bucket")
    func abTesting() async throws {
        let experiments = ABConfig(experiments: [
            .init(
                name: "ranker", salt: "s1",
                buckets: [
                    .init(name: "control", weight: 3, model: "embedding-mlp"),
                    .init(name: "treatment", weight: 1, model: "neuralcf"),
                ])
        ])
        var counts: [String: Int] = [:]
        for id: Int32 in 1...4000 { counts[experiments.assign(userId: id)!.bucket.name, default: 0] += 1 }
        #expect(abs(Double(counts["control"]!) / 4000 - 0.75) < 0.03)
        let service = try ServerFixture.service(experiments: experiments)
        let user = ServerFixture.data.catalog.userIds[7]
        let expected = experiments.assign(userId: user)!
        try await ServerFixture.app(service).test(.live) { client in
            for _ in 0..<3 {
                try await client.execute(uri: "/api/v1/recommend?user=\(user)&n=3", method: .get) { r in
                    let body = try #require(r.json as? [String: Any])
                    #expect(body["bucket"] as? String == expected.bucket.name)
                    #expect(body["experiment"] as? String == "ranker")
                    #expect(body["model"] as? String == expected.bucket.model)
                }
            }
            // model= overrides the bucket for debugging.
            try await client.execute(uri: "/api/v1/recommend?user=\(user)&n=3&model=emb", method: .get) { r in
                #expect((r.json as? [String: Any])?["model"] as? String == "emb")
            }
        }
    }

    @Test("a posted rating is durable, answered 202, and the next request sees it")
    func events() async throws {
        let service = try ServerFixture.service()
        let catalog = ServerFixture.data.catalog
        let user = catalog.userIds[11]
        try await ServerFixture.app(service).test(.live) { client in
            let first = try await client.execute(uri: "/api/v1/recommend?user=\(user)&n=5", method: .get) { r in
                ((r.json as? [String: Any])?["items"] as? [[String: Any]] ?? []).compactMap {
                    ($0["movie"] as? [String: Any])?["id"] as? Int
                }
            }
            let top = try #require(first.first)
            let body = ByteBuffer(string: "{\"type\":\"rating\",\"userId\":\(user),\"movieId\":\(top),\"rating\":5.0}")
            try await client.execute(uri: "/api/v1/events", method: .post, body: body) { r in
                #expect(r.status == .accepted)
            }
            try await client.execute(uri: "/api/v1/recommend?user=\(user)&n=5", method: .get) { r in
                let ids = ((r.json as? [String: Any])?["items"] as? [[String: Any]] ?? []).compactMap {
                    ($0["movie"] as? [String: Any])?["id"] as? Int
                }
                #expect(!ids.contains(top), "the movie just rated must not be recommended again")
            }
            for bad in [
                "{\"userId\":1,\"movieId\":\(top),\"rating\":7}", "{\"userId\":1,\"movieId\":-5,\"rating\":4}",
                "not json", "{\"events\":[]}",
            ] {
                try await client.execute(uri: "/api/v1/events", method: .post, body: ByteBuffer(string: bad)) { r in
                    #expect(r.status == .badRequest, "\(bad)")
                }
            }
            // The error names the field and what was expected there.
            let precise = [
                "{\"userId\":\"abc\",\"movieId\":1}": "userId: expected an integer",
                "{\"events\":[{\"userId\":1,\"movieId\":1},{\"userId\":1,\"movieId\":1,\"rating\":\"x\"}]}":
                    "events[1].rating: expected a number",
                "{\"type\":\"like\",\"userId\":1,\"movieId\":1}":
                    "event 0: type must be one of rating, click, impression, got \"like\"",
                "{\"userId\":1000000000000,\"movieId\":1}":
                    "event 0: userId must be an integer in 1…2147483647, got 1000000000000",
                "{\"userId\":1,\"movieId\":\(catalog.movies[5].id),\"rating\":4,\"timestamp\":99999999999999999}":
                    "event 0: timestamp must be Unix seconds from 0 to",
            ]
            for (bad, message) in precise {
                try await client.execute(uri: "/api/v1/events", method: .post, body: ByteBuffer(string: bad)) { r in
                    #expect(r.status == .badRequest)
                    let error = (r.json as? [String: Any])?["error"] as? String ?? ""
                    #expect(error.contains(message), "\(bad) → \(error)")
                }
            }
            // A body over the limit is refused with the same JSON error body as every other error.
            let huge = "{\"events\":[" + String(repeating: "{\"userId\":1,\"movieId\":1},", count: 60_000) + "]}"
            try await client.execute(uri: "/api/v1/events", method: .post, body: ByteBuffer(string: huge)) { r in
                #expect(r.status == .contentTooLarge)
                #expect((r.json as? [String: Any])?["error"] as? String == "the body is over 1 MiB")
            }
            // A brand-new user gets popular movies, then personal ones after a rating.
            try await client.execute(uri: "/api/v1/recommend?user=999001&n=5", method: .get) { r in
                #expect((r.json as? [String: Any])?["model"] as? String == "popularity")
            }
            try await client.execute(
                uri: "/api/v1/events", method: .post,
                body: ByteBuffer(string: "{\"events\":[{\"userId\":999001,\"movieId\":\(top),\"rating\":4.5}]}")
            ) { r in
                #expect(r.status == .accepted)
            }
            try await client.execute(uri: "/api/v1/recommend?user=999001&n=5", method: .get) { r in
                #expect((r.json as? [String: Any])?["model"] as? String == "ranker")
            }
        }
        let logged = EventLog.read(path: (service.ingest as! LocalEventIngest).log.path)
        #expect(logged.count == 2)
    }

    @Test("metrics and health")
    func operations() async throws {
        let service = try ServerFixture.service()
        try await ServerFixture.app(service).test(.live) { client in
            try await client.execute(uri: "/getmovie?id=\(ServerFixture.data.catalog.movies[0].id)", method: .get) {
                _ in
            }
            try await client.execute(
                uri: "/api/v1/recommend?user=\(ServerFixture.data.catalog.userIds[0])", method: .get
            ) { _ in }
            try await client.execute(uri: "/health/live", method: .get) { r in #expect(r.status == .ok) }
            try await client.execute(uri: "/health/ready", method: .get) { r in #expect(r.status == .ok) }
            try await client.execute(uri: "/metrics", method: .get) { r in
                #expect(r.text.contains("sparrow_http_requests_total{route=\"/getmovie\",status=\"200\"} 1"))
                #expect(r.text.contains("sparrow_http_request_duration_seconds_bucket{route=\"/api/v1/recommend\""))
                #expect(r.text.contains("sparrow_model_inference_seconds_count{model=\"ranker\"} 1"))
                #expect(r.text.contains("sparrow_recall_candidates_total{channel=\"ease\"}"))
            }
        }
    }
}
