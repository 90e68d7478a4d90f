import SparrowServing

/// The named schemas of `/openapi.json` (`components/schemas`): one per response and body type. The API tests check
/// real responses against them, and schemathesis checks every response it gets in CI.
enum Schemas {
    static let id = JSONSchema.integer(min: Parameter.idRange.lowerBound, max: Parameter.idRange.upperBound)
    static let count = JSONSchema.integer(min: 0)
    static let text = JSONSchema.string()
    static let names = JSONSchema.array(.string())

    /// Every named schema; `live` fills the enums that follow the server (genres).
    static func components(_ live: Vocabulary.Live) -> [String: JSONSchema] {
        [
            "Error": .object([("error", text)], required: ["error"]),
            "Movie": .object(
                [
                    ("id", id), ("title", text), ("year", .integer()), ("genres", names), ("ratingCount", count),
                    ("averageRating", .number(min: 0, max: 5)), ("bayesianRating", .number(min: 0, max: 5)),
                    ("imdb", text), ("tmdb", text),
                ], required: ["id", "title", "genres", "ratingCount", "averageRating", "bayesianRating"]),
            "MovieList": .object([("movies", .array(.ref("Movie")))], required: ["movies"]),
            "SimilarList": .object(
                [
                    (
                        "movies",
                        .array(
                            .object([("movie", .ref("Movie")), ("score", .number())], required: ["movie", "score"]))
                    )
                ],
                required: ["movies"]),
            "Genres": .object([("genres", names)], required: ["genres"]),
            "Explanation": .object(
                [
                    ("channel", text), ("because", .ref("Movie")), ("genre", text), ("score", .number()),
                    ("probability", .number(min: 0, max: 1)),
                ], required: ["channel", "score"]),
            "Recommendations": .object(
                [
                    ("user", id), ("model", text), ("experiment", text), ("bucket", text),
                    (
                        "items",
                        .array(
                            .object(
                                [("movie", .ref("Movie")), ("score", .number()), ("explanation", .ref("Explanation"))],
                                required: ["movie", "score"]))
                    ),
                    ("recall", .map(count)),
                ], required: ["user", "model", "items", "recall"]),
            "User": .object(
                [
                    ("id", id), ("ratingCount", count), ("averageRating", .number(min: 0, max: 5)),
                    ("favouriteGenres", names),
                    (
                        "history",
                        .array(
                            .object(
                                [
                                    ("movie", .ref("Movie")), ("rating", .number(min: 0.5, max: 5)),
                                    ("timestamp", .integer()),
                                ],
                                required: ["movie", "rating", "timestamp"]))
                    ),
                ], required: ["id", "ratingCount", "averageRating", "favouriteGenres", "history"]),
            "Event": event,
            "MovieInput": .object(
                [
                    ("movieId", id), ("title", .string(minLength: 1, maxLength: 500)),
                    ("year", .integer(min: 1870, max: 2200)), ("genres", .array(.string(values: live.genres))),
                    ("imdbId", .string(minLength: 1, maxLength: 20, pattern: "^[0-9]+$")), ("tmdbId", id),
                ], required: ["title", "genres"]),
            "EventBatch": .object(
                [("events", .array(.ref("Event"), minItems: 1, maxItems: 10_000))], required: ["events"]),
            "EventsAccepted": .object(
                [
                    ("accepted", .integer(min: 1)), ("users", .array(id, minItems: 1)),
                    ("movies", .array(id, minItems: 1)),
                ],
                required: ["accepted", "users", "movies"]),
            "LegacyRating": .object(
                [
                    (
                        "rating",
                        .object(
                            [
                                ("movieId", id), ("userId", id), ("score", .number(min: 0.5, max: 5)),
                                ("timestamp", .integer()),
                            ], required: ["movieId", "userId", "score", "timestamp"])
                    )
                ], required: ["rating"]),
            "LegacyMovie": .object(
                [
                    ("movieId", id), ("title", text), ("releaseYear", .integer()), ("imdbId", .nullable(text)),
                    ("tmdbId", .nullable(text)), ("genres", names), ("ratingNumber", count),
                    ("averageRating", .number(min: 0, max: 5)), ("topRatings", .array(.ref("LegacyRating"))),
                ],
                required: [
                    "movieId", "title", "releaseYear", "imdbId", "tmdbId", "genres", "ratingNumber", "averageRating",
                    "topRatings",
                ]),
            "LegacyMovies": .array(.ref("LegacyMovie")),
            "LegacyUser": .object(
                [
                    ("userId", id), ("averageRating", .number(min: 0, max: 5)),
                    ("highestRating", .number(min: 0, max: 5)), ("lowestRating", .number(min: 0, max: 5)),
                    ("ratingCount", count), ("ratings", .array(.ref("LegacyRating"))),
                ], required: ["userId", "averageRating", "highestRating", "lowestRating", "ratingCount", "ratings"]),
            "Health": .object(
                [("status", text), ("models", text), ("events", text), ("degraded", text)], required: ["status"]),
            "Models": .object(
                [
                    (
                        "served",
                        .object([("name", text), ("version", .integer(min: 0))], required: ["name", "version"])
                    ),
                    (
                        "models",
                        .array(
                            .object(
                                [
                                    ("name", text), ("versions", .array(.integer(min: 1))), ("kind", text),
                                    ("testMetrics", .map(.number())),
                                ], required: ["name", "versions", "kind"]))
                    ),
                ], required: ["models"]),
            "Reload": .object([("changes", names), ("refused", names)], required: ["changes", "refused"]),
            "ModelStatus": .object(
                [
                    (
                        "model_version_status",
                        .array(
                            .object(
                                [("version", text), ("state", text), ("status", .map(text))],
                                required: ["version", "state", "status"]))
                    )
                ], required: ["model_version_status"]),
            "PredictRequest": predictRequest(live),
            "Predictions": .oneOf([
                .object([("predictions", .array(.array(.number(min: 0, max: 1))))], required: ["predictions"]),
                .object([("outputs", .array(.array(.number(min: 0, max: 1))))], required: ["outputs"]),
            ]),
        ]
    }

    /// A posted event (`POST /api/v1/events`): the ranges `EventInput.validated` enforces. A rating (the default
    /// type) carries a rating in half stars; a click or impression carries none.
    static var event: JSONSchema {
        let common: [(String, JSONSchema)] = [
            ("userId", id), ("movieId", id), ("timestamp", .integer(min: 0, max: EventInput.latestTimestamp)),
            ("id", .string(minLength: 1, maxLength: 128)), ("eventId", .string(minLength: 1, maxLength: 128)),
        ]
        return .oneOf([
            .object(
                [
                    ("type", .string(values: [EventInput.ratingType])),
                    ("rating", .number(min: 0.5, max: 5, multipleOf: 0.5)),
                ]
                    + common, required: ["userId", "movieId", "rating"]),
            .object(
                [("type", .string(values: EventInput.interactionTypes))] + common,
                required: ["type", "userId", "movieId"]),
        ])
    }

    /// TF Serving's request: `instances` (rows) or `inputs` (columns) of the features a model reads; each genre
    /// feature one of the catalogue's genres.
    static func predictRequest(_ live: Vocabulary.Live) -> JSONSchema {
        var features: [(String, JSONSchema)] = [("userId", id), ("movieId", id)]
        for f in PredictFeature.all {
            switch f.kind {
            case .number(let r): features.append((f.name, .number(min: r.lowerBound, max: r.upperBound)))
            case .integer(let r): features.append((f.name, .integer(min: r.lowerBound, max: r.upperBound)))
            case .genre: features.append((f.name, .string(values: live.genres)))
            }
        }
        let row = JSONSchema.object(features, required: ["userId", "movieId"])
        let columns = JSONSchema.object(
            features.map { ($0.0, .array($0.1, minItems: 1, maxItems: PredictController.maxInstances)) },
            required: ["userId", "movieId"])
        let signature: (String, JSONSchema) = ("signature_name", .string())
        return .oneOf([
            .object(
                [("instances", .array(row, minItems: 1, maxItems: PredictController.maxInstances)), signature],
                required: ["instances"]),
            .object([("inputs", columns), signature], required: ["inputs"]),
        ])
    }
}
