import SparrowCore
import SparrowServing
import SparrowTestSupport
import Testing

/// A channel and a ranker written outside the engine, composed into a pipeline that runs on the engine's live state.
@Suite("Pipelines composed from custom channels and rankers")
struct PipelineCompositionTests {
    /// Recalls a fixed list of movies (catalog indices).
    struct FixedChannel: RecallChannel {
        let name: ChannelName = "fixed"
        let movies: [Int32]
        func candidates(in context: StageContext, taken: [UInt8]) -> [Candidate] {
            movies.map { Candidate(movie: $0, channel: name) }
        }
    }

    /// Scores a candidate by its catalog index, higher index first.
    struct IndexRanker: Ranker {
        let name = "by-index"
        func rank(_ candidates: [Candidate], in context: StageContext) throws -> [Candidate] {
            candidates.map { c in
                var c = c
                c.score = Float(c.movie)
                return c
            }
        }
    }

    @Test("a custom channel and ranker serve through the engine; rated movies never come back; first channel wins")
    func customPipeline() throws {
        let recommender = try EngineFixture.recommender()
        let catalog = EngineFixture.data.catalog
        let userId = catalog.userIds[0]
        let rated = recommender.request(userId: userId).seen
        let unrated = (0..<Int32(catalog.movies.count)).filter { !rated.contains($0) }
        let some = Array(unrated.prefix(8)) + Array(rated.prefix(3))
        let pipeline = RecommendationPipeline(
            channels: [FixedChannel(movies: some), PopularChannel(movies: recommender.popular, quota: 5)],
            maxCandidates: 100, ranker: IndexRanker(),
            reranker: recommender.snapshot.reranker(RecommendationSettings(), lambda: 1).withoutFreshness(),
            catalogSize: catalog.movies.count)
        let answer = try recommender.recommend(userId: userId, n: 4, pipeline: pipeline)
        #expect(answer.model == "by-index")
        // The popular channel offers its first five; only those neither rated nor recalled by `fixed` are added.
        let popularNew = recommender.popular.prefix(5).filter { !rated.contains($0) && !some.contains($0) }
        #expect(answer.recallSizes["fixed"] == 8 && answer.recallSizes["popular", default: 0] == popularNew.count)
        // The four highest indices among the fixed and popular candidates, none rated.
        let expected = (Array(unrated.prefix(8)) + recommender.popular.prefix(5).filter { !rated.contains($0) })
        #expect(answer.items.map(\.movie) == Array(Set(expected).sorted(by: >).prefix(4)))
        #expect(answer.items.allSatisfy { !rated.contains($0.movie) })
        #expect(answer.items.filter { some.contains($0.movie) }.allSatisfy { $0.channel == "fixed" })
        // A rating posted now removes the movie from the next answer.
        let top = answer.items[0].movie
        recommender.apply(userId: userId, movie: Int(top), rating: 4, timestamp: 1_700_000_000)
        let next = try recommender.recommend(userId: userId, n: 4, pipeline: pipeline)
        #expect(!next.items.map(\.movie).contains(top))
    }
}
