/// Two-Tower recall: the user tower's vector against every movie vector of the loaded `two-tower` model (exact
/// maximum inner product).
public struct TwoTowerChannel: RecallChannel {
    /// The name answers and metrics carry.
    public let name = ChannelName.twoTower
    /// The engine that holds the model and its cached movie vectors.
    public let recommender: Recommender
    /// Candidates taken.
    public var quota: Int

    /// Creates the channel.
    public init(recommender: Recommender, quota: Int) {
        self.recommender = recommender
        self.quota = quota
    }

    /// This channel's candidates for `request`, best first (see `RecallChannel`).
    public func candidates(for request: RecallRequest, taken: [UInt8]) -> [Candidate] {
        guard request.features != nil, let state = request.state else { return [] }
        return recommender.twoTowerRecall(
            userId: request.userId, user: request.user, features: state, seen: request.seen, k: quota
        ).map { Candidate(movie: $0, channel: name) }
    }
}
