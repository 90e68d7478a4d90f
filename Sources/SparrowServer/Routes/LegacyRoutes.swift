import Foundation
import Hummingbird
import SparrowCore

/// The original's five GET endpoints, same paths, parameters and JSON shapes — with real status codes and JSON
/// error bodies instead of 200 and an empty body, and every movie loadable (B2).
struct LegacyRoutes: Sendable {
    let service: RecommendationService

    struct Rating: Encodable {
        var movieId: Int32
        var userId: Int32
        var score: Float
        var timestamp: Int64
    }

    struct Wrapped: Encodable { var rating: Rating }

    struct Movie: Encodable {
        var movieId: Int32
        var title: String
        var releaseYear: Int
        var imdbId: String?
        var tmdbId: String?
        var genres: [String]
        var ratingNumber: Int
        var averageRating: Double
        var topRatings: [Wrapped]
    }

    struct User: Encodable {
        var userId: Int32
        var averageRating: Double
        var highestRating: Float
        var lowestRating: Float
        var ratingCount: Int
        var ratings: [Wrapped]
    }

    func movie(_ m: Int) -> Movie {
        let r = service.recommender
        let movie = r.catalog.movies[m]
        let stats = r.stats(movie: m)
        return Movie(
            movieId: movie.id, title: movie.title, releaseYear: movie.year ?? 0, imdbId: movie.imdbId,
            tmdbId: movie.tmdbId.map(String.init), genres: movie.genres.map { r.catalog.genres[Int($0)] },
            ratingNumber: stats.count, averageRating: stats.average,
            topRatings: stats.top.map { Wrapped(rating: Rating(movieId: movie.id, userId: r.userId(Int($0.user)), score: $0.score, timestamp: $0.timestamp)) })
    }

    func register(on router: Router<BasicRequestContext>) {
        router.get("getmovie") { request, _ in
            let id = try request.requiredInt("id")
            guard let m = service.recommender.catalog.movieIndex(id: Int32(clamping: id)) else { throw APIError.notFound("unknown movie \(id)") }
            return try JSON.response(movie(m))
        }
        router.get("getuser") { request, _ in
            let id = try request.requiredInt("id")
            let r = service.recommender
            guard let u = r.userIndex(id: Int32(clamping: id)) else { throw APIError.notFound("unknown user \(id)") }
            let history = r.ratings(user: u)
            let scores = history.map(\.score)
            let user = User(
                userId: Int32(id), averageRating: scores.isEmpty ? 0 : Double(scores.reduce(0, +)) / Double(scores.count),
                highestRating: scores.max() ?? 0, lowestRating: scores.min() ?? 5, ratingCount: scores.count,
                ratings: history.map { Wrapped(rating: Rating(movieId: r.catalog.movies[Int($0.movie)].id, userId: Int32(id), score: $0.score, timestamp: $0.timestamp)) })
            return try JSON.response(user)
        }
        router.get("getrecommendation") { request, _ in
            let genreName = try request.requiredString("genre")
            let size = try request.optionalInt("size", default: 20, range: 1...1000)
            let sortBy = request.uri.queryParameters.get("sortby") ?? "rating"
            guard let genre = service.genreIndex(genreName) else { throw APIError.notFound("unknown genre \"\(genreName)\"") }
            return try JSON.response(service.recommender.movies(genre: genre, sortBy: sortBy, offset: 0, limit: size).map { movie(Int($0)) })
        }
        router.get("getsimilarmovie") { request, _ in
            let id = try request.requiredInt("movieId")
            let size = try request.optionalInt("size", default: 16, range: 1...500)
            let model = request.uri.queryParameters.get("model") ?? "emb"
            guard let m = service.recommender.catalog.movieIndex(id: Int32(clamping: id)) else { throw APIError.notFound("unknown movie \(id)") }
            let method = model == "emb" ? "item2vec" : (service.recommender.movieVectors[model] != nil ? model : "genre")
            return try JSON.response(service.recommender.similar(movie: m, n: size, method: method).map { movie(Int($0.movie)) })
        }
        router.get("getrecforyou") { request, _ in
            let id = try request.requiredInt("id")
            let size = try request.optionalInt("size", default: 32, range: 1...500)
            guard service.recommender.userIndex(id: Int32(clamping: id)) != nil else { throw APIError.notFound("unknown user \(id)") }
            let answer = try service.recommend(userId: Int32(clamping: id), n: size, model: request.uri.queryParameters.get("model"))
            return try JSON.response(answer.recommendation.items.map { movie(Int($0.movie)) })
        }
    }
}
