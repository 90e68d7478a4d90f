import Foundation
import Hummingbird
import SparrowServing
import SparrowCore
import SparrowStore

/// The clean JSON API, version 1 (described at `/openapi.json`).
struct APIRoutes: Sendable {
    let service: RecommendationService

    struct MovieSummary: Codable, Equatable {
        var id: Int32
        var title: String
        var year: Int?
        var genres: [String]
        var ratingCount: Int
        var averageRating: Double
        var bayesianRating: Double
        var imdb: String?
        var tmdb: String?
    }

    struct Explanation: Codable, Equatable {
        var channel: String
        var because: MovieSummary?
        var genre: String?
        var score: Float
        var probability: Float?
    }

    struct Item: Codable, Equatable {
        var movie: MovieSummary
        var score: Float
        var explanation: Explanation?
    }

    struct RecommendResponse: Codable, Equatable {
        var user: Int32
        var model: String
        var experiment: String?
        var bucket: String?
        var items: [Item]
        var recall: [String: Int]
    }

    func summary(_ m: Int) -> MovieSummary {
        let r = service.recommender
        let movie = r.catalog.movies[m]
        let stats = r.stats(movie: m)
        return MovieSummary(
            id: movie.id, title: movie.title, year: movie.year, genres: movie.genres.map { r.catalog.genres[Int($0)] },
            ratingCount: stats.count, averageRating: (stats.average * 1000).rounded() / 1000,
            bayesianRating: (stats.bayesian(priorMean: r.priorMean, weight: 10) * 1000).rounded() / 1000,
            imdb: movie.imdbId.map { "https://www.imdb.com/title/tt\($0)/" },
            tmdb: movie.tmdbId.map { "https://www.themoviedb.org/movie/\($0)" })
    }

    func movieIndex(_ text: String?) throws -> Int {
        guard let text else { throw APIError.badRequest("missing movie id") }
        guard let id = Int32(text) else { throw APIError.badRequest("movie id must be an integer, got \"\(text)\"") }
        guard let m = service.recommender.catalog.movieIndex(id: id) else {
            throw APIError.notFound("unknown movie \(id)")
        }
        return m
    }

    func register(on router: Router<BasicRequestContext>) {
        let api = router.group("api/v1")
        api.get("movies/:id") { _, context in
            try JSON.response(summary(try movieIndex(context.parameters.get("id"))))
        }
        api.get("movies") { request, _ in
            let q = request.uri.queryParameters
            let limit = try request.optionalInt("limit", default: 20, range: 1...500)
            let offset = try request.optionalInt("offset", default: 0, range: 0...1_000_000)
            if let text = q.get("search") {
                return try JSON.response([
                    "movies": service.search(text, limit: limit + offset).dropFirst(offset).map { summary(Int($0)) }
                ])
            }
            var genre: Int16?
            if let name = q.get("genre") {
                guard let g = service.genreIndex(name) else { throw APIError.notFound("unknown genre \"\(name)\"") }
                genre = g
            }
            let sort = q.get("sort") ?? "rating"
            guard ["rating", "releaseYear", "year", "popularity", "id"].contains(sort) else {
                throw APIError.badRequest("sort must be rating, year, popularity or id")
            }
            var list = service.recommender.movies(
                genre: genre, sortBy: sort == "year" ? "releaseYear" : sort, offset: 0, limit: Int.max)
            if let yearText = q.get("year") {
                guard let year = Int(yearText) else { throw APIError.badRequest("year must be an integer") }
                list = list.filter { service.recommender.catalog.movies[Int($0)].year == year }
            }
            return try JSON.response(["movies": list.dropFirst(offset).prefix(limit).map { summary(Int($0)) }])
        }
        api.get("users/:id") { _, context in
            guard let text = context.parameters.get("id"), let id = Int32(text) else {
                throw APIError.badRequest("user id must be an integer")
            }
            let r = service.recommender
            guard let u = r.userIndex(id: id) else { throw APIError.notFound("unknown user \(id)") }
            let history = r.ratings(user: u)
            let features = r.snapshot(user: u).features.features()
            struct HistoryItem: Encodable {
                var movie: MovieSummary
                var rating: Float
                var timestamp: Int64
            }
            struct UserResponse: Encodable {
                var id: Int32
                var ratingCount: Int
                var averageRating: Double
                var favouriteGenres: [String]
                var history: [HistoryItem]
            }
            let scores = history.map(\.score)
            return try JSON.response(
                UserResponse(
                    id: id, ratingCount: scores.count,
                    averageRating: scores.isEmpty
                        ? 0 : (Double(scores.reduce(0, +)) / Double(scores.count) * 1000).rounded() / 1000,
                    favouriteGenres: features.topGenres.map { r.catalog.genres[Int($0)] },
                    history: history.reversed().map {
                        HistoryItem(movie: summary(Int($0.movie)), rating: $0.score, timestamp: $0.timestamp)
                    }))
        }
        api.get("recommend") { request, _ in
            let user = try request.requiredInt("user")
            let n = try request.optionalInt("n", default: 10, range: 1...200)
            let explain = request.uri.queryParameters.get("explain") == "true"
            let answer = try service.recommend(
                userId: Int32(clamping: user), n: n, model: request.uri.queryParameters.get("model"))
            let r = service.recommender
            let items = answer.recommendation.items.map { c -> Item in
                var because: MovieSummary?
                var genre: String?
                if c.channel == "item2item", let s = c.source { because = summary(Int(s)) }
                if c.channel == "genre", let s = c.source { genre = r.catalog.genres[Int(s)] }
                return Item(
                    movie: summary(Int(c.movie)), score: c.score,
                    explanation: explain
                        ? Explanation(
                            channel: c.channel, because: because, genre: genre, score: c.score,
                            probability: c.probability) : nil)
            }
            return try JSON.response(
                RecommendResponse(
                    user: Int32(clamping: user), model: answer.recommendation.model, experiment: answer.experiment,
                    bucket: answer.bucket, items: items, recall: answer.recommendation.recallSizes))
        }
        api.get("similar") { request, _ in
            let m = try movieIndex(request.uri.queryParameters.get("movie"))
            let n = try request.optionalInt("n", default: 10, range: 1...200)
            let method = request.uri.queryParameters.get("method") ?? "item2vec"
            guard method == "genre" || service.recommender.movieVectors[method] != nil else {
                let known = (["genre"] + service.recommender.movieVectors.keys.sorted()).joined(separator: ", ")
                throw APIError.badRequest("unknown method \"\(method)\"; available: \(known)")
            }
            struct Similar: Encodable {
                var movie: MovieSummary
                var score: Float
            }
            return try JSON.response([
                "movies": service.recommender.similar(movie: m, n: n, method: method).map {
                    Similar(movie: summary(Int($0.movie)), score: $0.score)
                }
            ])
        }
        api.get("popular") { request, _ in
            let n = try request.optionalInt("n", default: 20, range: 1...500)
            return try JSON.response([
                "movies": service.recommender.movies(genre: nil, sortBy: "popularity", offset: 0, limit: n).map {
                    summary(Int($0))
                }
            ])
        }
        api.get("latest") { request, _ in
            let n = try request.optionalInt("n", default: 20, range: 1...500)
            return try JSON.response(["movies": service.recommender.fresh.prefix(n).map { summary(Int($0)) }])
        }
        api.get("genres") { _, _ in try JSON.response(["genres": service.recommender.catalog.genres]) }
        api.post("events") { request, context in try await postEvents(request, context) }
        api.post("feedback") { request, context in try await postEvents(request, context) }
    }

    /// Validates, durably logs, then applies events; 202 only after the log is on disk.
    func postEvents(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: 1 << 20)
        struct Incoming: Decodable {
            var type: String?
            var userId: Int32?
            var movieId: Int32?
            var rating: Float?
            var timestamp: Int64?
            var id: String?
            var eventId: String?
        }
        struct Batch: Decodable { var events: [Incoming] }
        let data = Data(buffer: body)
        let incoming: [Incoming]
        if let batch = try? JSONDecoder().decode(Batch.self, from: data) {
            incoming = batch.events
        } else if let one = try? JSONDecoder().decode(Incoming.self, from: data) {
            incoming = [one]
        } else {
            throw APIError.badRequest("body must be an event object or {\"events\": [...]}")
        }
        guard !incoming.isEmpty else { throw APIError.badRequest("no events") }
        let now = Int64(Date().timeIntervalSince1970)
        var events: [EventLog.Event] = []
        for (k, e) in incoming.enumerated() {
            let type = e.type ?? "rating"
            guard ["rating", "click", "impression"].contains(type) else {
                throw APIError.badRequest("event \(k): type must be rating, click or impression")
            }
            guard let user = e.userId, user > 0 else {
                throw APIError.badRequest("event \(k): missing or invalid userId")
            }
            guard let movie = e.movieId else { throw APIError.badRequest("event \(k): missing movieId") }
            guard service.recommender.catalog.movieIndex(id: movie) != nil else {
                throw APIError.badRequest("event \(k): unknown movie \(movie)")
            }
            if type == "rating" {
                guard let r = e.rating, r >= 0.5, r <= 5, (r * 2).rounded() == r * 2 else {
                    throw APIError.badRequest("event \(k): rating must be 0.5–5.0 in half stars")
                }
            }
            let key = e.id ?? e.eventId
            if let key, key.isEmpty || key.utf8.count > 128 {
                throw APIError.badRequest("event \(k): id must be 1–128 characters")
            }
            if type != "rating", e.rating != nil {
                throw APIError.badRequest("event \(k): only rating events carry a rating")
            }
            events.append(
                EventLog.Event(
                    type: type, userId: user, movieId: movie, rating: e.rating, timestamp: e.timestamp ?? now, id: key))
        }
        try await service.ingest.submit(events)
        service.metrics.events(events.count)
        return try JSON.response(["accepted": events.count], status: .accepted)
    }
}
