import CSparrowKernels

/// Exact cosine nearest neighbours over a set of vectors (normalised once; a query is one dot product per item).
public struct ExactSearch: Sendable {
    /// The unit-length vectors searched.
    public let items: EmbeddingSet

    /// Builds the search over `set` (normalised here).
    public init(_ set: EmbeddingSet) { items = set.normalized() }

    /// The `k` items most similar to `query` (any length; normalised here), skipping ids in `excluding`.
    /// - Complexity: O(n·d + n log k).
    public func search(_ query: [Float], k: Int, excluding: Set<Int32> = []) -> [(id: Int32, score: Float)] {
        guard let q = ExactSearch.unit(query, dimension: items.dimension) else { return [] }
        var top = TopK(k: k)
        let d = items.dimension
        items.vectors.withUnsafeBufferPointer { v in
            q.withUnsafeBufferPointer { qp in
                for r in 0..<items.count {
                    let score = sparrow_dot(Int32(d), qp.baseAddress!, v.baseAddress! + r * d)
                    if score > top.threshold && !excluding.contains(items.ids[r]) {
                        top.offer(items.ids[r], score: score)
                    }
                }
            }
        }
        return top.sorted()
    }

    /// `vector / |vector|`, or nil for a zero or mis-sized vector.
    static func unit(_ vector: [Float], dimension: Int) -> [Float]? {
        guard vector.count == dimension else { return nil }
        let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
        guard norm > 0 && norm.isFinite else { return nil }
        return vector.map { $0 / norm }
    }
}
