import Synchronization

/// Exact nearest-neighbour search over one set of movie vectors, with each seed movie's nearest neighbours memoised
/// (the vectors never change while serving).
public final class NeighbourIndex: Sendable {
    /// The vectors.
    public let matrix: MovieMatrix
    let memo = Mutex<[Int32: [(movie: Int32, score: Float)]]>([:])

    /// An index over `matrix`.
    public init(matrix: MovieMatrix) { self.matrix = matrix }

    /// The `k` nearest neighbours of movie `m` that are not in `seen`: from the memo of `m`'s nearest `k + 64`, or a
    /// full search when the user has rated too many of those.
    public func neighbours(of m: Int32, k: Int, seen: Set<Int32>) -> [Int32] {
        guard let v = matrix.vector(Int(m)) else { return [] }
        let depth = k + 64
        let memoised = memo.withLock { $0[m] }.flatMap { $0.count >= min(depth, matrix.count - 1) ? $0 : nil }
        let list = memoised ?? matrix.top(Array(v), k: depth, skip: mask([m]))
        if memoised == nil { memo.withLock { $0[m] = list } }
        let unseen = list.lazy.map(\.movie).filter { !seen.contains($0) }.prefix(k)
        if unseen.count == k || list.count < depth { return Array(unseen) }
        return matrix.top(Array(v), k: k, skip: mask(seen.union([m]))).map(\.movie)
    }

    func mask(_ movies: Set<Int32>) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: matrix.count)
        for m in movies { out[Int(m)] = 1 }
        return out
    }
}
