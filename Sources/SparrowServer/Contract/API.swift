import Foundation
import Hummingbird
import SparrowServing

/// Every endpoint of the server. Controllers register their handlers for these values (`Router.on(_:use:)`) and
/// `/openapi.json` is written from them, so a route cannot exist without its documentation or the other way round.
enum API {
    static func ok(_ schema: String, _ description: String = "OK") -> Endpoint.Reply {
        .init(description: description, schema: .ref(schema))
    }

    static func error(_ description: String) -> Endpoint.Reply {
        .init(description: description, schema: .ref("Error"))
    }

    static let badRequest = error("a parameter is missing, malformed or out of range (the message names it)")
    static let unknown = error("the id names nothing the server knows")

    // MARK: The original's endpoints

    static let getMovie = Endpoint(
        .get, "/getmovie", id: "legacyGetMovie", tag: "legacy", "A movie (the original's shape)",
        parameters: [.id("id", "movie id", example: .movie)],
        replies: [200: ok("LegacyMovie"), 400: badRequest, 404: unknown])
    static let getUser = Endpoint(
        .get, "/getuser", id: "legacyGetUser", tag: "legacy", "A user and every rating of theirs",
        parameters: [.id("id", "user id", example: .user)],
        replies: [200: ok("LegacyUser"), 400: badRequest, 404: unknown])
    static let getRecommendation = Endpoint(
        .get, "/getrecommendation", id: "legacyGenreMovies", tag: "legacy", "A genre's movies, sorted",
        parameters: [
            Parameter("genre", .choice(.genres, default: nil), required: true, "genre name (any case)"),
            .size("size", default: 20, max: 1000),
            Parameter("sortby", .choice(.fixed(MovieSort.acceptedNames), default: MovieSort.rating.rawValue), "order"),
        ], replies: [200: ok("LegacyMovies"), 400: badRequest])
    static let getSimilarMovie = Endpoint(
        .get, "/getsimilarmovie", id: "legacySimilarMovies", tag: "legacy", "Movies like a movie",
        parameters: [
            .id("movieId", "movie id", example: .movie), .size("size", default: 16, max: 500),
            Parameter("model", .choice(.legacySimilarModels, default: "emb"), "emb (item2vec), an embedding or genre"),
        ], replies: [200: ok("LegacyMovies"), 400: badRequest, 404: unknown])
    static let getRecForYou = Endpoint(
        .get, "/getrecforyou", id: "legacyRecommend", tag: "legacy", "The served list for a user",
        parameters: [
            .id("id", "user id", example: .user), .size("size", default: 32, max: 500),
            Parameter("model", .choice(.rankingModels, default: nil), "ranking model (default: the A/B bucket's)"),
        ], replies: [200: ok("LegacyMovies"), 400: badRequest, 404: unknown])

    // MARK: The JSON API

    static let movie = Endpoint(
        .get, "/api/v1/movies/{id}", id: "getMovie", tag: "movies", "A movie",
        parameters: [.id("id", in: .path, "movie id", example: .movie)],
        replies: [
            200: .init(
                description: "OK", schema: .ref("Movie"),
                links: ["similar": .init(operationId: "similarMovies", parameters: ["movie": "$response.body#/id"])]),
            400: badRequest, 404: unknown,
        ])
    static let movies = Endpoint(
        .get, "/api/v1/movies", id: "listMovies", tag: "movies",
        "A title search (search), or the movies of a genre and year in an order, paged",
        parameters: [
            Parameter("search", .text(maxLength: 200), "words of the title"),
            Parameter("genre", .choice(.genres, default: nil), "genre name (any case)"),
            Parameter("sort", .choice(.fixed(MovieSort.acceptedNames), default: MovieSort.rating.rawValue), "order"),
            Parameter("year", .integer(1800...2100, default: nil), "release year"),
            Parameter("offset", .integer(0...1_000_000, default: 0), "movies to skip"),
            .size("limit", default: 20, max: 500),
        ], replies: [200: ok("MovieList"), 400: badRequest])
    static let similar = Endpoint(
        .get, "/api/v1/similar", id: "similarMovies", tag: "movies", "Movies like a movie",
        parameters: [
            .id("movie", "movie id", example: .movie), .size("n", default: 10, max: 200),
            Parameter("method", .choice(.similarMethods, default: "item2vec"), "an embedding, or genre overlap"),
        ], replies: [200: ok("SimilarList"), 400: badRequest, 404: unknown])
    static let popular = Endpoint(
        .get, "/api/v1/popular", id: "popularMovies", tag: "movies", "The most rated movies",
        parameters: [.size("n", default: 20, max: 500)], replies: [200: ok("MovieList"), 400: badRequest])
    static let latest = Endpoint(
        .get, "/api/v1/latest", id: "latestMovies", tag: "movies", "The newest movies",
        parameters: [.size("n", default: 20, max: 500)], replies: [200: ok("MovieList"), 400: badRequest])
    static let genres = Endpoint(
        .get, "/api/v1/genres", id: "listGenres", tag: "movies", "Every genre name", replies: [200: ok("Genres")])
    static let user = Endpoint(
        .get, "/api/v1/users/{id}", id: "getUser", tag: "users", "A user's live profile and history (newest first)",
        parameters: [.id("id", in: .path, "user id", example: .user)],
        replies: [
            200: .init(
                description: "OK", schema: .ref("User"),
                links: ["recommend": .init(operationId: "recommend", parameters: ["user": "$response.body#/id"])]),
            400: badRequest, 404: unknown,
        ])
    static let recommend = Endpoint(
        .get, "/api/v1/recommend", id: "recommend", tag: "recommend", "Recommendations: recall, rank, re-rank",
        parameters: [
            .id("user", "user id (an unknown user gets the cold-start list)", example: .user),
            .size("n", default: 10, max: 200),
            Parameter("model", .choice(.rankingModels, default: nil), "ranking model (default: the A/B bucket's)"),
            Parameter("explain", .boolean(default: false), "say why each movie is there"),
        ], replies: [200: ok("Recommendations"), 400: badRequest])

    static let eventsBody = JSONSchema.oneOf([.ref("Event"), .ref("EventBatch")])
    /// After an event: the user's profile and next list reflect it.
    static let eventLinks: [String: Endpoint.Link] = [
        "user": .init(operationId: "getUser", parameters: ["id": "$response.body#/users/0"]),
        "recommend": .init(operationId: "recommend", parameters: ["user": "$response.body#/users/0"]),
        "legacyRecommend": .init(operationId: "legacyRecommend", parameters: ["id": "$response.body#/users/0"]),
        "movie": .init(operationId: "getMovie", parameters: ["id": "$response.body#/movies/0"]),
    ]
    static let eventReplies: [Int: Endpoint.Reply] = [
        202: .init(
            description: "durable on disk (or in the Redis stream) and applied", schema: .ref("EventsAccepted"),
            links: eventLinks),
        400: error("an event is malformed (the message names it)"), 404: error("an event names an unknown movie"),
        413: error("the body is over 1 MiB"),
    ]
    static let events = Endpoint(
        .post, "/api/v1/events", id: "postEvents", tag: "events",
        "Rating, click or impression events: one, or {events: […]}; 202 once durable", body: eventsBody,
        bodyExample: .event,
        replies: eventReplies)
    static let feedback = Endpoint(
        .post, "/api/v1/feedback", id: "postFeedback", tag: "events", "Synonym of POST /api/v1/events",
        body: eventsBody, bodyExample: .event, replies: eventReplies)

    // MARK: TF Serving

    static let modelName = Parameter(
        "name", in: .path, .choice(.servingModels, default: nil), "a loaded model (recmodel: NeuralCF)")
    static let modelStatus = Endpoint(
        .get, "/v1/models/{name}", id: "modelStatus", tag: "tf-serving", "A model's loaded versions",
        parameters: [modelName], replies: [200: ok("ModelStatus"), 404: error("no such model")])
    static let predictReplies: [Int: Endpoint.Reply] = [
        200: ok("Predictions", "a probability per instance"), 400: error("the body is malformed"),
        404: error("no such model or version, or an unknown movie"), 413: error("the body is over 8 MiB"),
    ]
    static let predict = Endpoint(
        .post, "/v1/models/{name}:predict", routerPath: "/v1/models/:name", id: "predict", tag: "tf-serving",
        "Scores (user, movie) instances with the latest version", parameters: [modelName],
        body: .ref("PredictRequest"), bodyExample: .instances, replies: predictReplies, access: .scope(.read))
    static let predictVersion = Endpoint(
        .post, "/v1/models/{name}/versions/{version}:predict", routerPath: "/v1/models/:name/versions/:version",
        id: "predictVersion", tag: "tf-serving", "Scores instances with one version",
        parameters: [
            modelName, Parameter("version", in: .path, .integer(1...Int64(Int32.max), default: nil), "version"),
        ], body: .ref("PredictRequest"), bodyExample: .instances, replies: predictReplies,
        access: .scope(.read))

    // MARK: Operations

    static let metrics = Endpoint(
        .get, "/metrics", id: "metrics", tag: "ops", "Prometheus metrics",
        replies: [200: .init(description: "Prometheus text", schema: .string(), contentType: "text/plain")],
        access: .open)
    static let live = Endpoint(
        .get, "/health/live", id: "live", tag: "ops", "Liveness", replies: [200: ok("Health")], access: .open)
    static let ready = Endpoint(
        .get, "/health/ready", id: "ready", tag: "ops", "Readiness (200 also while degraded)",
        replies: [200: ok("Health"), 503: .init(description: "no ranking model loaded", schema: .ref("Health"))],
        access: .open)
    static let report = Endpoint(
        .get, "/api/v1/report", id: "report", tag: "ops", "The evaluation report (report.json)",
        replies: [200: .init(description: "the report", schema: .any), 404: error("no report yet")])
    static let models = Endpoint(
        .get, "/api/v1/models", id: "listModels", tag: "ops", "The loaded ranking models",
        replies: [200: ok("Models")])
    static let openAPI = Endpoint(
        .get, "/openapi.json", id: "openAPI", tag: "ops", "This document",
        replies: [200: .init(description: "OpenAPI 3.0", schema: .any)], access: .open)
    static let reload = Endpoint(
        .post, "/admin/reload", id: "reload", tag: "ops", "Loads new model versions",
        replies: [200: ok("Reload")], access: .scope(.admin))

    static let addMovie = Endpoint(
        .post, "/api/v1/movies", id: "addMovie", tag: "movies",
        "Adds a movie (or updates one by movieId); searchable, listed by genre and offered by the fresh and genre "
            + "channels at once; durable before the answer", body: .ref("MovieInput"), bodyExample: .movie,
        replies: [
            201: .init(
                description: "added", schema: .ref("Movie"),
                links: ["similar": .init(operationId: "similarMovies", parameters: ["movie": "$response.body#/id"])]),
            200: ok("Movie", "updated"), 400: error("the body is malformed or names an unknown genre"),
            403: error("the key lacks the 'admin' scope, or the server has no artifacts folder"),
            409: error("a new movieId not above the largest (omit it to get the next one)"),
            413: error("the body is over 64 KiB"),
        ], access: .scope(.admin))

    /// Every endpoint, in the document's order.
    static let all: [Endpoint] = [
        getMovie, getUser, getRecommendation, getSimilarMovie, getRecForYou, movie, movies, similar, popular, latest,
        genres, user, recommend, events, feedback, modelStatus, predict, predictVersion, metrics, live, ready, report,
        models, openAPI, reload, addMovie,
    ]
}
