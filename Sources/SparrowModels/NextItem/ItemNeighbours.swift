import CSparrowKernels

/// Each item's nearest items by cosine similarity on the user × item matrix, `cos(i, j) = |users(i) ∩ users(j)| /
/// √(|users(i)|·|users(j)|)`, kept sparse: the `k` best per item.
public struct ItemNeighbours: Sendable {
    /// Row i: item i's neighbours, best first, with their cosine similarities.
    public let rows: SparseItemRows

    /// Wraps a similarity table (as loaded from an artifact).
    public init(rows: SparseItemRows) { self.rows = rows }

    /// The `k` nearest neighbours of every item from a Gram matrix (ties to the lower index, by `sparrow_top_k`).
    /// - Complexity: O(n² log k) over the n items with interactions.
    public init(gram: GramMatrix, catalogSize: Int, k: Int = 200) {
        let n = gram.items.count
        let norms = (0..<n).map { gram.values[$0 * n + $0].squareRoot() }
        var perItem = [[(Int32, Float)]](repeating: [], count: catalogSize)
        var cosine = [Float](repeating: 0, count: n)
        var skip = [UInt8](repeating: 0, count: n)
        var index = [Int32](repeating: 0, count: k)
        var best = [Float](repeating: 0, count: k)
        for i in 0..<n where norms[i] > 0 {
            for j in 0..<n {
                let g = gram.values[i * n + j]
                cosine[j] = g > 0 ? g / (norms[i] * norms[j]) : 0
                skip[j] = g > 0 && j != i ? 0 : 1
            }
            let found = Int(sparrow_top_k(cosine, Int32(n), Int32(k), skip, &index, &best))
            perItem[Int(gram.items[i])] = (0..<found).map { (gram.items[Int(index[$0])], best[$0]) }
        }
        rows = SparseItemRows(rows: perItem)
    }

    /// Σᵢ wᵢ·cos(i, ·) over the catalog.
    public func scores(_ history: [(item: Int32, weight: Float)]) -> [Float] { rows.scores(history) }
}
