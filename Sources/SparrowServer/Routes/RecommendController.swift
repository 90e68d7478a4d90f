import Hummingbird
import SparrowServing

/// `/api/v1/recommend`: the served list, with explanations on request.
struct RecommendController: Sendable {
    let service: RecommendationService

    /// Registers the handlers.
    func register(on router: GuardedRouter) {
        router.on(API.recommend, use: recommend)
    }

    /// The best `n` movies for `user` (`model` overrides the A/B bucket and the default).
    @Sendable func recommend(_ request: Request, _ context: ServerContext) throws -> Response {
        let q = try service.arguments(API.recommend, request, context)
        let user = Int32(q.int("user")!)
        let explain = q.bool("explain")!
        let answer = try service.recommend(userId: user, n: q.int("n")!, model: q.string("model"))
        let genres = service.recommender.catalog.genres
        let items = answer.recommendation.items.map { c -> RecommendedItem in
            var explanation: Explanation?
            if explain {
                let because = c.channel == .itemToItem ? c.source.map { service.summary(Int($0)) } : nil
                let genre = c.channel == .genre ? c.source.map { genres[Int($0)] } : nil
                explanation = Explanation(
                    channel: c.channel.rawValue, because: because, genre: genre, score: c.score,
                    probability: c.probability)
            }
            return RecommendedItem(movie: service.summary(Int(c.movie)), score: c.score, explanation: explanation)
        }
        return try JSON.response(
            RecommendResponse(
                user: user, model: answer.recommendation.model, experiment: answer.experiment, bucket: answer.bucket,
                items: items, recall: answer.recommendation.recallSizes))
    }
}
