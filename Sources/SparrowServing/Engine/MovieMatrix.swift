import CSparrowKernels
import SparrowCore
import SparrowEmbedding

/// Vectors aligned with the catalog's dense movie indices (row m is movie m; zeros and `present[m] == 0` where a
/// movie has none), so a search scores every movie with one matrix–vector product and answers movie indices
/// directly, skipping whatever a per-request mask says (movies already rated, the query movie).
public struct MovieMatrix: Sendable {
    /// Vector length.
    public let dimension: Int
    /// movies × dimension, row-major.
    let values: [Float]
    /// 1 where the movie has a vector.
    let present: [UInt8]

    /// Lays out `set` (unit length, as stored) by catalog index.
    public init(_ set: EmbeddingSet, catalog: Catalog) {
        dimension = set.dimension
        var values = [Float](repeating: 0, count: catalog.movies.count * set.dimension)
        var present = [UInt8](repeating: 0, count: catalog.movies.count)
        for (m, movie) in catalog.movies.enumerated() {
            guard let v = set.vector(movie.id) else { continue }
            present[m] = 1
            for (j, x) in v.enumerated() { values[m * set.dimension + j] = x }
        }
        self.values = values
        self.present = present
    }

    /// Rows given directly (e.g. Two-Tower movie vectors); every movie present unless `present` says otherwise.
    public init(rows: [Float], dimension: Int, present: [UInt8]? = nil) {
        precondition(dimension > 0 && rows.count % dimension == 0, "rows must be a whole number of vectors")
        precondition(present == nil || present!.count == rows.count / dimension, "one presence flag per row")
        self.dimension = dimension
        values = rows
        self.present = present ?? [UInt8](repeating: 1, count: rows.count / dimension)
    }

    /// Number of movies.
    public var count: Int { present.count }

    /// Whether movie `m` has a vector (false for a movie added after the matrix was laid out).
    public func hasVector(_ m: Int) -> Bool { m < present.count && present[m] != 0 }

    /// The vector of movie `m`, or nil (also for a movie added after the matrix was laid out).
    public func vector(_ m: Int) -> ArraySlice<Float>? {
        hasVector(m) ? values[m * dimension..<(m + 1) * dimension] : nil
    }

    /// The `k` best movies by inner product with `query`, skipping movies where `skip[m] != 0` and those without a
    /// vector; best first, ties by lower index. `skip` may be longer than the matrix (movies added to the catalogue
    /// after it was laid out).
    /// - Complexity: O(movies · dimension + movies · log k).
    public func top(_ query: UnsafeBufferPointer<Float>, k: Int, skip: [UInt8]) -> [(movie: Int32, score: Float)] {
        precondition(query.count == dimension && skip.count >= count, "query or mask of the wrong size")
        guard k > 0 else { return [] }
        return withUnsafeTemporaryAllocation(of: Float.self, capacity: count) { scores in
            values.withUnsafeBufferPointer { matrix in
                sparrow_matvec_rows(
                    Int32(count), Int32(dimension), matrix.baseAddress!, query.baseAddress!, scores.baseAddress!)
            }
            for m in 0..<count where present[m] == 0 { scores[m] = .nan }
            var index = [Int32](repeating: 0, count: k)
            var best = [Float](repeating: 0, count: k)
            let found = skip.withUnsafeBufferPointer { mask in
                Int(sparrow_top_k(scores.baseAddress!, Int32(count), Int32(k), mask.baseAddress!, &index, &best))
            }
            return (0..<found).map { (index[$0], best[$0]) }
        }
    }

    /// `top` for a query array.
    public func top(_ query: [Float], k: Int, skip: [UInt8]) -> [(movie: Int32, score: Float)] {
        query.withUnsafeBufferPointer { top($0, k: k, skip: skip) }
    }
}
