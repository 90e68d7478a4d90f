import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import SparrowServer
@testable import SparrowServing

@Suite("The original's endpoints through a real server")
struct LegacyRouteTests {
    @Test("every endpoint's JSON shape")
    func shapes() async throws {
        let service = try ServerFixture.service()
        let catalog = ServerFixture.data.catalog
        let movieId = catalog.movies[0].id
        let userId = catalog.userIds[0]
        try await ServerFixture.app(service).test(.live) { client in
            try await client.execute(uri: "/getmovie?id=\(movieId)", method: .get) { r in
                #expect(r.status == .ok)
                #expect(r.headers[.accessControlAllowOrigin] == "*")
                let m = try #require(r.json as? [String: Any])
                #expect(
                    Set(m.keys) == [
                        "movieId", "title", "releaseYear", "imdbId", "tmdbId", "genres", "ratingNumber",
                        "averageRating", "topRatings",
                    ])
                let top = try #require(m["topRatings"] as? [[String: Any]])
                if let first = top.first {
                    let rating = try #require(first["rating"] as? [String: Any])
                    #expect(Set(rating.keys) == ["movieId", "userId", "score", "timestamp"])
                }
            }
            try await client.execute(uri: "/getuser?id=\(userId)", method: .get) { r in
                let u = try #require(r.json as? [String: Any])
                #expect(
                    Set(u.keys) == [
                        "userId", "averageRating", "highestRating", "lowestRating", "ratingCount", "ratings",
                    ])
                #expect((u["ratings"] as? [Any])?.count == u["ratingCount"] as? Int)
            }
            try await client.execute(uri: "/getrecommendation?genre=drama&size=5&sortby=rating", method: .get) { r in
                #expect((r.json as? [[String: Any]])?.count == 5)
            }
            try await client.execute(uri: "/getsimilarmovie?movieId=\(movieId)&size=4&model=emb", method: .get) { r in
                #expect((r.json as? [[String: Any]])?.count == 4)
            }
            try await client.execute(uri: "/getrecforyou?id=\(userId)&size=7&model=emb", method: .get) { r in
                #expect((r.json as? [[String: Any]])?.count == 7)
            }
            try await client.execute(uri: "/getrecforyou?id=\(userId)&size=7&model=nerualcf", method: .get) { r in
                #expect(r.status == .ok)
            }
        }
    }

    @Test("bad and missing parameters are 400, unknown ids 404, always with a JSON error")
    func errors() async throws {
        let service = try ServerFixture.service()
        try await ServerFixture.app(service).test(.live) { client in
            for (uri, status) in [
                ("/getmovie", HTTPResponse.Status.badRequest), ("/getmovie?id=x", .badRequest),
                ("/getmovie?id=999999", .notFound),
                ("/getuser?id=987654", .notFound), ("/getrecommendation", .badRequest),
                ("/getrecommendation?genre=Nope", .badRequest), ("/getmovie?id=0", .badRequest),
                ("/getmovie?id=99999999999", .badRequest),
                ("/getrecforyou?id=1&size=0", .badRequest), ("/getrecforyou?id=1&model=nosuch", .badRequest),
                ("/getsimilarmovie?size=3", .badRequest),
            ] {
                try await client.execute(uri: uri, method: .get) { r in
                    #expect(r.status == status, "\(uri)")
                    #expect((r.json as? [String: Any])?["error"] is String, "\(uri): \(r.text)")
                }
            }
        }
    }

    @Test("watched movies are never recommended")
    func neverWatched() async throws {
        let service = try ServerFixture.service()
        let catalog = ServerFixture.data.catalog
        try await ServerFixture.app(service).test(.live) { client in
            for u in stride(from: 0, to: catalog.userIds.count, by: 15) {
                let rated = Set(catalog.ratingsOfUser(u).map { catalog.movies[Int(catalog.ratings.movie[Int($0)])].id })
                for model in ["embedding-mlp", "emb", "neuralcf"] {
                    try await client.execute(
                        uri: "/getrecforyou?id=\(catalog.userIds[u])&size=50&model=\(model)", method: .get
                    ) { r in
                        let ids = ((r.json as? [[String: Any]]) ?? []).compactMap {
                            ($0["movieId"] as? Int).map(Int32.init)
                        }
                        #expect(ids.count == 50)
                        #expect(
                            rated.isDisjoint(with: ids), "user \(catalog.userIds[u]) got a watched movie from \(model)")
                    }
                }
            }
        }
    }
}
