/// Popular recall: the most rated movies (the same list for everyone; what a new user gets).
public struct PopularChannel: RecallChannel {
    /// The name answers and metrics carry.
    public let name = ChannelName.popular
    /// Most rated first.
    public let movies: [Int32]
    /// Candidates taken.
    public var quota: Int

    /// Creates the channel.
    public init(movies: [Int32], quota: Int) {
        self.movies = movies
        self.quota = quota
    }

    /// This channel's candidates, best first (see `RecallChannel`).
    public func candidates(in context: StageContext, taken: [UInt8]) -> [Candidate] {
        movies.prefix(quota).map { Candidate(movie: $0, channel: name) }
    }
}
