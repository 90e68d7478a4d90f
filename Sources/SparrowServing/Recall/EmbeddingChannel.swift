import SparrowCore
import SparrowEmbedding

/// Embedding recall: the movies nearest to the user's item2vec vector, by locality-sensitive hashing.
public struct EmbeddingChannel: RecallChannel {
    /// The name answers and metrics carry.
    public let name = ChannelName.embedding
    /// The index over the movie vectors.
    public let index: LSHIndex
    /// Movie ids to catalog indices.
    public let catalog: Catalog
    /// Candidates asked of the index.
    public var quota: Int

    /// Creates the channel.
    public init(index: LSHIndex, catalog: Catalog, quota: Int) {
        self.index = index
        self.catalog = catalog
        self.quota = quota
    }

    /// This channel's candidates for the request, best first (see `RecallChannel`).
    public func candidates(in context: StageContext, taken: [UInt8]) -> [Candidate] {
        let request = context.request
        guard let vector = request.vector else { return [] }
        return index.search(vector, k: quota).results.compactMap { r in
            catalog.movieIndex(id: r.id).map { Candidate(movie: Int32($0), channel: name) }
        }
    }
}
