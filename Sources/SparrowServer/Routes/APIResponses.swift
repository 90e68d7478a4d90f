import Hummingbird
import SparrowServing

/// A movie as every `/api/v1` response shows it.
struct MovieSummary: Codable, Equatable, Sendable {
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

/// Why a movie was recommended (`explain=true`).
struct Explanation: Codable, Equatable, Sendable {
    var channel: String
    var because: MovieSummary?
    var genre: String?
    var score: Float
    var probability: Float?
}

/// One recommended movie.
struct RecommendedItem: Codable, Equatable, Sendable {
    var movie: MovieSummary
    var score: Float
    var explanation: Explanation?
}

/// `GET /api/v1/recommend`.
struct RecommendResponse: Codable, Equatable, Sendable {
    var user: Int32
    var model: String
    var experiment: String?
    var bucket: String?
    var items: [RecommendedItem]
    var recall: [String: Int]
}

/// A list of movies (`/api/v1/movies`, `/popular`, `/latest`).
struct MovieList: Codable, Equatable, Sendable {
    var movies: [MovieSummary]
}

/// A movie with its similarity score.
struct SimilarMovie: Codable, Equatable, Sendable {
    var movie: MovieSummary
    var score: Float
}

/// `GET /api/v1/similar`.
struct SimilarList: Codable, Equatable, Sendable {
    var movies: [SimilarMovie]
}

/// One rating in a user's history, newest first.
struct HistoryItem: Codable, Equatable, Sendable {
    var movie: MovieSummary
    var rating: Float
    var timestamp: Int64
}

/// `GET /api/v1/users/{id}`.
struct UserResponse: Codable, Equatable, Sendable {
    var id: Int32
    var ratingCount: Int
    var averageRating: Double
    var favouriteGenres: [String]
    var history: [HistoryItem]
}

/// `POST /api/v1/events`: how many events were made durable, and whom they concern.
struct EventsAccepted: Codable, Equatable, Sendable {
    var accepted: Int
    /// The users and movies the events were about, each once, in the order they first appear.
    var users: [Int32]
    var movies: [Int32]
}

extension RecommendationService {
    /// The summary of the movie at catalog index `m`, from the live statistics.
    func summary(_ m: Int) -> MovieSummary {
        let r = recommender
        let movie = r.catalog.movies[m]
        let stats = r.stats(movie: m)
        return MovieSummary(
            id: movie.id, title: movie.title, year: movie.year, genres: movie.genres.map { r.catalog.genres[Int($0)] },
            ratingCount: stats.count, averageRating: (stats.average * 1000).rounded() / 1000,
            bayesianRating: (stats.bayesian(priorMean: r.priorMean) * 1000).rounded() / 1000,
            imdb: movie.imdbId.map { "https://www.imdb.com/title/tt\($0)/" },
            tmdb: movie.tmdbId.map { "https://www.themoviedb.org/movie/\($0)" })
    }

    /// The catalog index of a checked movie id: 404 when it is unknown.
    func movieIndex(_ id: Int?) throws -> Int {
        guard let id, let m = recommender.catalog.movieIndex(id: Int32(id)) else {
            throw APIError.notFound("unknown movie \(id.map(String.init) ?? "")")
        }
        return m
    }

    /// The parameters of `endpoint` in a request, each checked against the contract (400 naming the first bad one).
    func arguments(_ endpoint: Endpoint, _ request: Request, _ context: some RequestContext) throws
        -> Endpoint.Arguments
    {
        try endpoint.arguments(request, context, live: Vocabulary.Live(self))
    }
}
