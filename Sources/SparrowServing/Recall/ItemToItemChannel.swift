/// Item-to-item: the nearest movies (item2vec) of each of the user's most recent liked movies.
public struct ItemToItemChannel: RecallChannel {
    /// The name answers and metrics carry.
    public let name = ChannelName.itemToItem
    /// The neighbour search (memoised per seed movie).
    public let neighbours: NeighbourIndex
    /// Recent liked movies used as seeds.
    public var seeds: Int
    /// Neighbours per seed.
    public var perMovie: Int

    /// Creates the channel.
    public init(neighbours: NeighbourIndex, seeds: Int, perMovie: Int) {
        self.neighbours = neighbours
        self.seeds = seeds
        self.perMovie = perMovie
    }

    /// This channel's candidates for the request, best first (see `RecallChannel`).
    public func candidates(in context: StageContext, taken: [UInt8]) -> [Candidate] {
        let request = context.request
        guard let features = request.features else { return [] }
        return features.recentPositives.prefix(seeds).flatMap { m in
            neighbours.neighbours(of: m, k: perMovie, seen: request.seen).map {
                Candidate(movie: $0, channel: name, source: m)
            }
        }
    }
}
