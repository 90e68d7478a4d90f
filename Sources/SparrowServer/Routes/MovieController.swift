import Hummingbird
import SparrowServing

/// `/api/v1/movies`, `/movies/{id}`, `/similar`, `/popular`, `/latest` and `/genres`: browsing the catalogue; and
/// `POST /api/v1/movies`: growing it.
struct MovieController: Sendable {
    let service: RecommendationService

    /// Registers the handlers.
    func register(on router: GuardedRouter) {
        router.on(API.movie, use: movie)
        router.on(API.movies, use: list)
        router.on(API.similar, use: similar)
        router.on(API.popular, use: popular)
        router.on(API.latest, use: latest)
        router.on(API.genres, use: genres)
        router.on(API.addMovie, use: add)
    }

    /// One movie by id.
    @Sendable func movie(_ request: Request, _ context: ServerContext) throws -> Response {
        let q = try service.arguments(API.movie, request, context)
        return try JSON.response(service.summary(try service.movieIndex(q.int("id"))))
    }

    /// A title search (`search`), or a genre's movies (`genre`, `year`) in the order of `sort`, paged.
    @Sendable func list(_ request: Request, _ context: ServerContext) throws -> Response {
        let q = try service.arguments(API.movies, request, context)
        let limit = q.int("limit")!
        let offset = q.int("offset")!
        if let text = q.string("search") {
            let hits = service.search(text, limit: limit + offset).dropFirst(offset)
            return try JSON.response(MovieList(movies: hits.map { service.summary(Int($0)) }))
        }
        let genre = q.string("genre").flatMap(service.genreIndex)
        let sort = MovieSort(name: q.string("sort")!)!
        var list = service.recommender.movies(genre: genre, sortBy: sort, offset: 0, limit: Int.max)
        if let year = q.int("year") {
            list = list.filter { service.recommender.catalog.movies[Int($0)].year == year }
        }
        return try JSON.response(
            MovieList(movies: list.dropFirst(offset).prefix(limit).map { service.summary(Int($0)) }))
    }

    /// Movies like `movie` by an embedding `method`, or by genre overlap (`genre`).
    @Sendable func similar(_ request: Request, _ context: ServerContext) throws -> Response {
        let q = try service.arguments(API.similar, request, context)
        let m = try service.movieIndex(q.int("movie"))
        let similar = service.recommender.similar(movie: m, n: q.int("n")!, methodNamed: q.string("method")!)
        return try JSON.response(
            SimilarList(movies: similar.map { SimilarMovie(movie: service.summary(Int($0.movie)), score: $0.score) }))
    }

    /// The most rated movies.
    @Sendable func popular(_ request: Request, _ context: ServerContext) throws -> Response {
        let q = try service.arguments(API.popular, request, context)
        let list = service.recommender.movies(genre: nil, sortBy: .popularity, offset: 0, limit: q.int("n")!)
        return try JSON.response(MovieList(movies: list.map { service.summary(Int($0)) }))
    }

    /// The newest movies with ratings.
    @Sendable func latest(_ request: Request, _ context: ServerContext) throws -> Response {
        let q = try service.arguments(API.latest, request, context)
        return try JSON.response(
            MovieList(movies: service.recommender.fresh.prefix(q.int("n")!).map { service.summary(Int($0)) }))
    }

    /// Every genre name.
    @Sendable func genres(_ request: Request, _ context: ServerContext) throws -> Response {
        try JSON.response(["genres": service.recommender.catalog.genres])
    }
}
