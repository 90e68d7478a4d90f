import CSparrowKernels
import Foundation
import SparrowTensor

/// EASE (Steck, 2019): a closed-form item-to-item model. With the Gram matrix G = XᵀX of the binary user × item
/// matrix and P = (G + λI)⁻¹, the weights are B = −P / diag(P) (column-wise) with a zero diagonal, and a user's score
/// for item j is Σᵢ xᵤᵢ·Bᵢⱼ.
///
/// Only items with at least one interaction take part (the others would get all-zero rows and columns anyway), so the
/// dense solve is over the items that were ever picked.
public struct EASE: Sendable {
    /// The L2 weight of the served next-item signal, the artifact build and `sparrow train ease|ranker`.
    public static let defaultLambda: Float = 100

    /// L2 weight λ on B.
    public var lambda: Float
    /// Number of catalog items (the width of a score vector).
    public let catalogSize: Int
    /// The catalog index of each modelled item (`dense → catalog`).
    public let items: [Int32]
    /// `catalog → dense`, −1 for items outside the model.
    public let denseIndex: [Int32]
    /// B, row-major `items.count × items.count`.
    public let weights: [Float]

    /// Creates a model from its parts (as loaded from an artifact).
    public init(lambda: Float, catalogSize: Int, items: [Int32], weights: [Float]) {
        precondition(weights.count == items.count * items.count, "weights must be items × items")
        self.lambda = lambda
        self.catalogSize = catalogSize
        self.items = items
        self.weights = weights
        var dense = [Int32](repeating: -1, count: catalogSize)
        for (d, i) in items.enumerated() { dense[Int(i)] = Int32(d) }
        denseIndex = dense
    }

    /// Fits EASE on a user × item matrix.
    /// - Complexity: O(Σᵤ |items(u)|²) for the Gram matrix, then 2n³ flops for the solve (n = items with
    ///   interactions).
    public static func fit(_ matrix: InteractionMatrix, lambda: Float = EASE.defaultLambda, threads: Int = 2) throws
        -> EASE
    {
        try fit(gram: GramMatrix(matrix), catalogSize: matrix.items, lambda: lambda, threads: threads)
    }

    /// Fits EASE from a Gram matrix already counted.
    public static func fit(gram: GramMatrix, catalogSize: Int, lambda: Float = EASE.defaultLambda, threads: Int = 2)
        throws -> EASE
    {
        var p = gram.values
        let n = gram.items.count
        for d in 0..<n { p[d * n + d] += lambda }
        try SymmetricInverse.invert(&p, n: n, threads: threads)
        // B[i][j] = −P[i][j] / P[j][j]; diag 0.
        let scale = (0..<n).map { -1 / p[$0 * n + $0] }
        p.withUnsafeMutableBufferPointer { b in
            scale.withUnsafeBufferPointer { s in
                for i in 0..<n {
                    let row = b.baseAddress! + i * n
                    for j in 0..<n { row[j] *= s[j] }
                    row[i] = 0
                }
            }
        }
        return EASE(lambda: lambda, catalogSize: catalogSize, items: gram.items, weights: p)
    }

    /// Scores over the whole catalog for a weighted set of items (catalog index, weight): Σ wᵢ·Bᵢ. Items outside the
    /// model score 0.
    /// - Complexity: O(history · n).
    public func scores(_ history: [(item: Int32, weight: Float)]) -> [Float] {
        scores(items: history.map(\.item), weightings: [history.map(\.weight)])[0]
    }

    /// Scores for several weightings of the same items, each row of B read once for all of them.
    /// - Complexity: O(items · n · weightings).
    public func scores(items history: [Int32], weightings: [[Float]]) -> [[Float]] {
        scores(histories: [history], weightings: [weightings])[0]
    }

    /// `scores(items:weightings:)` of several histories (`weightings[u][k]`: one weight per item of history u), each
    /// the same values as alone; B is read a panel of columns at a time for the whole batch, so a row that several
    /// histories share comes from memory once per panel (`sparrow_weighted_row_sums`).
    /// - Complexity: O(Σ items · n · weightings).
    public func scores(histories: [[Int32]], weightings: [[[Float]]]) -> [[[Float]]] {
        precondition(histories.count == weightings.count, "one list of weightings per history")
        let n = items.count
        let k = weightings.first?.count ?? 0
        var offsets: [Int32] = [0]
        var rows: [Int32] = []
        var entryWeights: [Float] = []
        for (history, weighting) in zip(histories, weightings) {
            precondition(weighting.count == k, "the same number of weightings for every history")
            precondition(weighting.allSatisfy { $0.count == history.count }, "one weight per item")
            for (position, item) in history.enumerated() {
                let d = denseIndex[Int(item)]
                guard d >= 0 else { continue }
                rows.append(d)
                for w in weighting { entryWeights.append(w[position]) }
            }
            offsets.append(Int32(rows.count))
        }
        var dense = [Float](repeating: 0, count: histories.count * k * n)
        if n > 0, k > 0 {
            sparrow_weighted_row_sums(
                Int32(n), weights, Int32(histories.count), offsets, rows, Int32(k), entryWeights, &dense)
        }
        return (0..<histories.count).map { u in
            (0..<k).map { w in
                var full = [Float](repeating: 0, count: catalogSize)
                let base = (u * k + w) * n
                for (d, i) in items.enumerated() { full[Int(i)] = dense[base + d] }
                return full
            }
        }
    }
}
