/// Genre recall: the best-rated movies (Bayesian average) of the user's favourite genres.
public struct GenreChannel: RecallChannel {
    /// The name answers and metrics carry.
    public let name = ChannelName.genre
    /// Each genre's movies, best first.
    public let ranking: [[Int32]]
    /// Favourite genres used.
    public var genres: Int
    /// New candidates per genre.
    public var perGenre: Int

    /// Creates the channel.
    public init(ranking: [[Int32]], genres: Int = 3, perGenre: Int) {
        self.ranking = ranking
        self.genres = genres
        self.perGenre = perGenre
    }

    /// This channel's candidates for the request, best first (see `RecallChannel`).
    public func candidates(in context: StageContext, taken: [UInt8]) -> [Candidate] {
        let request = context.request
        guard let features = request.features else { return [] }
        var taken = taken
        var out: [Candidate] = []
        for g in features.topGenres.prefix(genres) {
            var added = 0
            for m in ranking[Int(g)] where added < perGenre && taken[Int(m)] == 0 {
                taken[Int(m)] = 1
                out.append(Candidate(movie: m, channel: name, source: Int32(g)))
                added += 1
            }
        }
        return out
    }
}
