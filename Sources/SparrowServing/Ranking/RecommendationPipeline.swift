import Foundation
import SparrowCore

/// Recall channels → a ranker → a re-ranker: one recommendation request, composed from parts.
///
/// Channels run in order and a movie goes to the first channel that returns it; a movie in the request's `seen` set
/// never becomes a candidate, and no more than `maxCandidates` are ranked.
public struct RecommendationPipeline: Sendable {
    /// The recall channels, in priority order.
    public var channels: [any RecallChannel]
    /// Upper bound on the candidates ranked.
    public var maxCandidates: Int
    /// The ranking stage.
    public var ranker: any Ranker
    /// The re-ranking stage.
    public var reranker: Reranker
    /// Number of movies in the catalog (the size of the exclusion mask).
    public let catalogSize: Int

    /// Composes a pipeline.
    public init(
        channels: [any RecallChannel], maxCandidates: Int, ranker: any Ranker, reranker: Reranker, catalogSize: Int
    ) {
        precondition(maxCandidates >= 0 && catalogSize == reranker.years.count, "a mask of the catalog's size")
        self.channels = channels
        self.maxCandidates = maxCandidates
        self.ranker = ranker
        self.reranker = reranker
        self.catalogSize = catalogSize
    }

    /// The merged candidates of every channel.
    public func recall(_ context: StageContext) -> [Candidate] {
        let request = context.request
        var out: [Candidate] = []
        out.reserveCapacity(maxCandidates)
        var taken = [UInt8](repeating: 0, count: catalogSize)
        for m in request.seen { taken[Int(m)] = 1 }
        for channel in channels where out.count < maxCandidates {
            for c in channel.candidates(in: context, taken: taken) where out.count < maxCandidates {
                guard taken[Int(c.movie)] == 0 else { continue }
                taken[Int(c.movie)] = 1
                out.append(c)
            }
        }
        return out
    }

    /// The best `n` movies for the request of `context`.
    public func recommend(_ context: StageContext, n: Int) throws -> Recommendation {
        let candidates = recall(context)
        var sizes: [String: Int] = [:]
        for c in candidates { sizes[c.channel.rawValue, default: 0] += 1 }
        let start = ProcessStats.now()
        let scored = try ranker.rank(candidates, in: context)
        let seconds = ProcessStats.now() - start
        return Recommendation(
            items: reranker.rerank(scored, n: n), model: ranker.name, recallSizes: sizes, inferenceSeconds: seconds)
    }
}
