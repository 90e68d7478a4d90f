import Hummingbird
import SparrowServing

/// `/api/v1/users/{id}`: a user's live profile and history.
struct UserController: Sendable {
    let service: RecommendationService

    /// Registers the handlers.
    func register(on router: GuardedRouter) {
        router.on(API.user, use: user)
    }

    /// The user's rating count, mean, favourite genres and history (newest first).
    @Sendable func user(_ request: Request, _ context: ServerContext) throws -> Response {
        let id = Int32(try service.arguments(API.user, request, context).int("id")!)
        let r = service.recommender
        guard let u = r.userIndex(id: id) else { throw APIError.notFound("unknown user \(id)") }
        let history = r.ratings(user: u)
        let features = r.snapshot(user: u).features.features()
        let scores = history.map(\.score)
        let mean = scores.isEmpty ? 0 : Double(scores.reduce(0, +)) / Double(scores.count)
        return try JSON.response(
            UserResponse(
                id: id, ratingCount: scores.count, averageRating: (mean * 1000).rounded() / 1000,
                favouriteGenres: features.topGenres.map { r.catalog.genres[Int($0)] },
                history: history.reversed().map {
                    HistoryItem(movie: service.summary(Int($0.movie)), rating: $0.score, timestamp: $0.timestamp)
                }))
    }
}
