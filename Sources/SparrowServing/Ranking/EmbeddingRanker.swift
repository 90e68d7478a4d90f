import SparrowCore
import SparrowEmbedding

/// The original's `emb` ranker: cosine of the user's item2vec vector and each movie's vector (−1 without one).
public struct EmbeddingRanker: Ranker {
    /// The name answers and metrics carry.
    public let name = "emb"
    /// Movie vectors (unit length).
    public let vectors: EmbeddingSet?
    /// Catalog indices to movie ids.
    public let catalog: Catalog

    /// Creates the ranker.
    public init(vectors: EmbeddingSet?, catalog: Catalog) {
        self.vectors = vectors
        self.catalog = catalog
    }

    /// The candidates with `score` set, higher first (see `Ranker`).
    public func rank(_ candidates: [Candidate], in context: StageContext) throws -> [Candidate] {
        let request = context.request
        var scored = candidates
        for i in scored.indices {
            let v = vectors?.vector(catalog.movies[Int(scored[i].movie)].id)
            if let v, let q = request.vector {
                let norm = q.reduce(0) { $0 + $1 * $1 }.squareRoot()
                scored[i].score = zip(q, v).reduce(0) { $0 + $1.0 * $1.1 } / max(norm, 1e-12)
            } else {
                scored[i].score = -1
            }
        }
        return scored
    }
}
