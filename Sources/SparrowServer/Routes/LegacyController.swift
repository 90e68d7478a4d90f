import Foundation
import Hummingbird
import SparrowServing
import SparrowCore

/// The original's five GET endpoints, same paths, parameters and JSON shapes — with real status codes and JSON
/// error bodies instead of 200 and an empty body, and every movie loadable (B2).
struct LegacyController: Sendable {
    let service: RecommendationService

    struct Rating: Encodable {
        var movieId: Int32
        var userId: Int32
        var score: Float
        var timestamp: Int64
    }

    struct Wrapped: Encodable { var rating: Rating }

    struct User: Encodable {
        var userId: Int32
        var averageRating: Double
        var highestRating: Float
        var lowestRating: Float
        var ratingCount: Int
        var ratings: [Wrapped]
    }

    /// The legacy movie object, written straight to JSON text — from the service's cache of each movie's bytes,
    /// rebuilt when the movie's rating count has changed since (the whole cache is dropped when the catalogue
    /// changes: a movie's record may have been replaced).
    func write(movie m: Int, into w: inout JSONWriter) {
        service.syncCatalogueCaches()
        let count = service.recommender.stats(movie: m).count
        if let cached = service.legacyMovieJSON.withLock({ $0[m] }), cached.count == count {
            w.raw(bytes: cached.bytes)
            return
        }
        var fresh = JSONWriter(capacity: 1024)
        render(movie: m, into: &fresh)
        service.legacyMovieJSON.withLock { $0[m] = (count, fresh.bytes) }
        w.raw(bytes: fresh.bytes)
    }

    func render(movie m: Int, into w: inout JSONWriter) {
        let r = service.recommender
        let movie = r.catalog.movies[m]
        let stats = r.stats(movie: m)
        w.raw("{")
        w.key("movieId")
        w.number(movie.id)
        w.key("title")
        w.string(movie.title)
        w.key("releaseYear")
        w.number(movie.year ?? 0)
        w.key("imdbId")
        w.optionalString(movie.imdbId)
        w.key("tmdbId")
        w.optionalString(movie.tmdbId.map(String.init))
        w.key("genres")
        w.raw("[")
        for g in movie.genres {
            w.separator()
            w.string(r.catalog.genres[Int(g)])
        }
        w.raw("]")
        w.key("ratingNumber")
        w.number(stats.count)
        w.key("averageRating")
        w.number(stats.average)
        w.key("topRatings")
        w.raw("[")
        for t in stats.best {
            w.separator()
            w.raw("{\"rating\":{\"movieId\":")
            w.number(movie.id)
            w.raw(",\"userId\":")
            w.number(r.userId(Int(t.user)))
            w.raw(",\"score\":")
            w.number(t.score)
            w.raw(",\"timestamp\":")
            w.number(t.timestamp)
            w.raw("}}")
        }
        w.raw("]}")
    }

    /// A JSON array of legacy movies.
    func movieList(_ movies: [Int32]) -> Response {
        var w = JSONWriter(capacity: 1024 * max(1, movies.count))
        w.raw("[")
        for m in movies {
            w.separator()
            write(movie: Int(m), into: &w)
        }
        w.raw("]")
        return Response(
            status: .ok, headers: [.contentType: "application/json; charset=utf-8", .accessControlAllowOrigin: "*"],
            body: .init(byteBuffer: ByteBuffer(bytes: w.bytes)))
    }

    /// Registers the handlers.
    func register(on router: GuardedRouter) {
        router.on(API.getMovie, use: getMovie)
        router.on(API.getUser, use: getUser)
        router.on(API.getRecommendation, use: getRecommendation)
        router.on(API.getSimilarMovie, use: getSimilarMovie)
        router.on(API.getRecForYou, use: getRecForYou)
    }

    /// One movie by `id`.
    @Sendable func getMovie(_ request: Request, _ context: ServerContext) throws -> Response {
        let m = try service.movieIndex(try service.arguments(API.getMovie, request, context).int("id"))
        var w = JSONWriter()
        write(movie: m, into: &w)
        return Response(
            status: .ok,
            headers: [.contentType: "application/json; charset=utf-8", .accessControlAllowOrigin: "*"],
            body: .init(byteBuffer: ByteBuffer(bytes: w.bytes)))
    }

    /// A user and every rating of theirs, by `id`.
    @Sendable func getUser(_ request: Request, _ context: ServerContext) throws -> Response {
        let id = try service.arguments(API.getUser, request, context).int("id")!
        let r = service.recommender
        guard let u = r.userIndex(id: Int32(id)) else { throw APIError.notFound("unknown user \(id)") }
        let history = r.ratings(user: u)
        let scores = history.map(\.score)
        let user = User(
            userId: Int32(id),
            averageRating: scores.isEmpty ? 0 : Double(scores.reduce(0, +)) / Double(scores.count),
            highestRating: scores.max() ?? 0, lowestRating: scores.min() ?? 5, ratingCount: scores.count,
            ratings: history.map {
                Wrapped(
                    rating: Rating(
                        movieId: r.catalog.movies[Int($0.movie)].id, userId: Int32(id), score: $0.score,
                        timestamp: $0.timestamp))
            })
        return try JSON.response(user)
    }

    /// A genre's movies, `size` of them, sorted by `sortby` (`rating` or `releaseYear`).
    @Sendable func getRecommendation(_ request: Request, _ context: ServerContext) throws -> Response {
        let q = try service.arguments(API.getRecommendation, request, context)
        let genre = service.genreIndex(q.string("genre")!)!
        let sortBy = MovieSort(name: q.string("sortby")!)!
        return movieList(service.recommender.movies(genre: genre, sortBy: sortBy, offset: 0, limit: q.int("size")!))
    }

    /// Movies like `movieId` by the `model` embedding (`emb` is item2vec), else by genre.
    @Sendable func getSimilarMovie(_ request: Request, _ context: ServerContext) throws -> Response {
        let q = try service.arguments(API.getSimilarMovie, request, context)
        let m = try service.movieIndex(q.int("movieId"))
        let similar = service.recommender.similar(movie: m, n: q.int("size")!, methodNamed: q.string("model")!)
        return movieList(similar.map(\.movie))
    }

    /// The served list for user `id`, `size` movies (`model` overrides the default).
    @Sendable func getRecForYou(_ request: Request, _ context: ServerContext) throws -> Response {
        let q = try service.arguments(API.getRecForYou, request, context)
        let id = Int32(q.int("id")!)
        guard service.recommender.userIndex(id: id) != nil else { throw APIError.notFound("unknown user \(id)") }
        let answer = try service.recommend(userId: id, n: q.int("size")!, model: q.string("model"))
        return movieList(answer.recommendation.items.map(\.movie))
    }
}
