import Hummingbird
import SparrowEmbedding
import SparrowServing

/// `/api/v1/movies`, `/movies/{id}`, `/similar`, `/popular`, `/latest` and `/genres`: browsing the catalogue.
struct MovieController: Sendable {
    let service: RecommendationService

    /// Registers the handlers under `group` (`/api/v1`).
    func register(on group: RouterGroup<BasicRequestContext>) {
        group.get("movies/:id", use: movie)
        group.get("movies", use: list)
        group.get("similar", use: similar)
        group.get("popular", use: popular)
        group.get("latest", use: latest)
        group.get("genres", use: genres)
    }

    /// One movie by id.
    @Sendable func movie(_ request: Request, _ context: BasicRequestContext) throws -> Response {
        try JSON.response(service.summary(try service.movieIndex(context.parameters.get("id"))))
    }

    /// A title search (`search`), or a genre's movies (`genre`, `year`) in the order of `sort`, paged.
    @Sendable func list(_ request: Request, _ context: BasicRequestContext) throws -> Response {
        let q = request.uri.queryParameters
        let limit = try request.optionalInt("limit", default: 20, range: 1...500)
        let offset = try request.optionalInt("offset", default: 0, range: 0...1_000_000)
        if let text = q.get("search") {
            let hits = service.search(text, limit: limit + offset).dropFirst(offset)
            return try JSON.response(MovieList(movies: hits.map { service.summary(Int($0)) }))
        }
        var genre: Int16?
        if let name = q.get("genre") {
            guard let g = service.genreIndex(name) else { throw APIError.notFound("unknown genre \"\(name)\"") }
            genre = g
        }
        let sortName = q.get("sort") ?? MovieSort.rating.rawValue
        guard let sort = MovieSort(name: sortName) else {
            throw APIError.badRequest("sort must be one of \(MovieSort.names), got \"\(sortName)\"")
        }
        var list = service.recommender.movies(genre: genre, sortBy: sort, offset: 0, limit: Int.max)
        if let yearText = q.get("year") {
            guard let year = Int(yearText) else {
                throw APIError.badRequest("year must be an integer, got \"\(yearText)\"")
            }
            list = list.filter { service.recommender.catalog.movies[Int($0)].year == year }
        }
        return try JSON.response(
            MovieList(movies: list.dropFirst(offset).prefix(limit).map { service.summary(Int($0)) }))
    }

    /// Movies like `movie` by an embedding `method`, or by genre overlap (`genre`).
    @Sendable func similar(_ request: Request, _ context: BasicRequestContext) throws -> Response {
        let m = try service.movieIndex(request.uri.queryParameters.get("movie"), field: "parameter 'movie'")
        let n = try request.optionalInt("n", default: 10, range: 1...200)
        let name = request.uri.queryParameters.get("method") ?? EmbeddingMethod.item2vec.rawValue
        let loaded = service.recommender.movieVectors.keys.map(\.rawValue).sorted()
        let method = EmbeddingMethod(rawValue: name)
        guard name == "genre" || method.map({ service.recommender.movieVectors[$0] != nil }) == true else {
            throw APIError.badRequest(
                "unknown method \"\(name)\"; available: \((["genre"] + loaded).joined(separator: ", "))")
        }
        let similar = service.recommender.similar(movie: m, n: n, method: method)
        return try JSON.response(
            SimilarList(movies: similar.map { SimilarMovie(movie: service.summary(Int($0.movie)), score: $0.score) }))
    }

    /// The most rated movies.
    @Sendable func popular(_ request: Request, _ context: BasicRequestContext) throws -> Response {
        let n = try request.optionalInt("n", default: 20, range: 1...500)
        let list = service.recommender.movies(genre: nil, sortBy: .popularity, offset: 0, limit: n)
        return try JSON.response(MovieList(movies: list.map { service.summary(Int($0)) }))
    }

    /// The newest movies with ratings.
    @Sendable func latest(_ request: Request, _ context: BasicRequestContext) throws -> Response {
        let n = try request.optionalInt("n", default: 20, range: 1...500)
        return try JSON.response(
            MovieList(movies: service.recommender.fresh.prefix(n).map { service.summary(Int($0)) }))
    }

    /// Every genre name.
    @Sendable func genres(_ request: Request, _ context: BasicRequestContext) throws -> Response {
        try JSON.response(["genres": service.recommender.catalog.genres])
    }
}
