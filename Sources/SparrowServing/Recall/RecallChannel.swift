import SparrowFeatures

/// What a recall channel sees of one request: the user's live snapshot.
public struct RecallRequest: Sendable {
    /// The raw user id.
    public var userId: Int32
    /// The dense user index, nil for a user the engine has never seen.
    public var user: Int?
    /// The live feature state (nil for an unknown user).
    public var state: UserFeatureState?
    /// The features derived from it, nil while the user has no rating.
    public var features: UserFeatures?
    /// The user's item2vec vector, when they have liked a movie with one.
    public var vector: [Float]?
    /// Every movie the user has rated: never recommended.
    public var seen: Set<Int32>

    /// Creates a request.
    public init(
        userId: Int32, user: Int?, state: UserFeatureState?, features: UserFeatures?, vector: [Float]?,
        seen: Set<Int32>
    ) {
        self.userId = userId
        self.user = user
        self.state = state
        self.features = features
        self.vector = vector
        self.seen = seen
    }
}

/// A source of candidates. Channels run in the pipeline's order; a movie goes to the first channel that returns it.
public protocol RecallChannel: Sendable {
    /// The name candidates carry (`Candidate.channel`), in responses, metrics and the evaluation.
    var name: ChannelName { get }
    /// Candidates for the request of `context`, best first. `taken` has 1 for every movie already excluded (rated by
    /// the user, or returned by an earlier channel); a channel may skip those itself so that its quota counts new
    /// movies only.
    func candidates(in context: StageContext, taken: [UInt8]) -> [Candidate]
}
