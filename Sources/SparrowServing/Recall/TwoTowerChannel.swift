/// Two-Tower recall: the user tower's vector against every movie vector of the loaded `two-tower` model (exact
/// maximum inner product).
public struct TwoTowerChannel: RecallChannel {
    /// The name answers and metrics carry.
    public let name = ChannelName.twoTower
    /// The loaded Two-Tower model version.
    public let model: ServingModels.Loaded
    /// Candidates taken.
    public var quota: Int

    /// Creates the channel.
    public init(model: ServingModels.Loaded, quota: Int) {
        self.model = model
        self.quota = quota
    }

    /// This channel's candidates for the request, best first (see `RecallChannel`).
    public func candidates(in context: StageContext, taken: [UInt8]) -> [Candidate] {
        let request = context.request
        guard request.features != nil, let state = request.state else { return [] }
        return context.scoring.twoTowerRecall(
            model, userId: request.userId, user: request.user, features: state, seen: request.seen, k: quota
        ).map { Candidate(movie: $0, channel: name) }
    }
}
