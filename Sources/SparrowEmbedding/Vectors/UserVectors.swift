import CSparrowKernels

/// A user's vector as the (optionally recency-weighted) mean of their positive movies' vectors, kept incrementally so
/// the near-line processor can fold in a new rating in O(dimension).
public struct UserVectorState: Sendable, Equatable, Codable {
    /// Weighted sum of the movie vectors.
    public private(set) var sum: [Float]
    /// Sum of the weights.
    public private(set) var weight: Float
    /// Each older vector's weight is multiplied by this when a new one arrives (1 = plain mean).
    public let decay: Float

    /// An empty state of width `dimension`.
    public init(dimension: Int, decay: Float = 1) {
        precondition(decay > 0 && decay <= 1, "UserVectorState: decay must be in (0, 1]")
        sum = [Float](repeating: 0, count: dimension)
        weight = 0
        self.decay = decay
    }

    /// Folds in the vector of a newly liked movie.
    public mutating func add<C: Collection>(_ vector: C) where C.Element == Float {
        add(ArraySlice(vector))
    }

    /// Folds in the vector of a newly liked movie (the form every caller in bulk uses: a generic one unspecialised
    /// across modules costs a metadata lookup per element).
    /// - Complexity: O(dimension).
    public mutating func add(_ vector: ArraySlice<Float>) {
        precondition(vector.count == sum.count, "UserVectorState: vector width \(vector.count) ≠ \(sum.count)")
        let decay = self.decay
        vector.withUnsafeBufferPointer { v in
            sum.withUnsafeMutableBufferPointer { s in
                for k in 0..<s.count { s[k] = s[k] * decay + v[k] }
            }
        }
        weight = weight * decay + 1
    }

    /// Folds in the vector of a newly liked movie.
    public mutating func add(_ vector: [Float]) { add(vector[...]) }

    /// Folds in rows `rows` of `table` (row-major, `dimension` floats a row) in order: the same values as `add` once
    /// per row, with the rows read ahead, so that replaying many users over a table larger than the cache overlaps
    /// the misses instead of waiting on each.
    /// - Complexity: O(rows.count · dimension).
    public mutating func add(rows: UnsafeBufferPointer<Int32>, of table: UnsafeBufferPointer<Float>) {
        let width = sum.count
        precondition(
            rows.allSatisfy { $0 >= 0 && (Int($0) + 1) * width <= table.count }, "UserVectorState: row out of range")
        guard !rows.isEmpty else { return }
        let decay = self.decay
        sum.withUnsafeMutableBufferPointer { s in
            sparrow_decayed_sum_rows(
                Int32(rows.count), Int32(width), rows.baseAddress!, table.baseAddress!, decay, s.baseAddress!)
        }
        for _ in rows { weight = weight * decay + 1 }
    }

    /// The user vector, or nil before any movie.
    public var vector: [Float]? { weight > 0 ? sum.map { $0 / weight } : nil }
}

extension EmbeddingSet {
    /// User vectors from each user's positive movies (in time order), skipping movies without a vector.
    public static func users(
        sequences: [(user: Int32, movies: [Int32])], movieVectors: EmbeddingSet, decay: Float = 1
    ) -> EmbeddingSet {
        var ids: [Int32] = []
        var values: [Float] = []
        for (user, movies) in sequences {
            var state = UserVectorState(dimension: movieVectors.dimension, decay: decay)
            for m in movies { if let v = movieVectors.vector(m) { state.add(v) } }
            if let v = state.vector {
                ids.append(user)
                values += v
            }
        }
        return EmbeddingSet(ids: ids, dimension: movieVectors.dimension, vectors: values)
    }
}
