import Foundation
import SparrowTensor

/// EASE (Steck, 2019): a closed-form item-to-item model. With the Gram matrix G = XᵀX of the binary user × item
/// matrix and P = (G + λI)⁻¹, the weights are B = −P / diag(P) (column-wise) with a zero diagonal, and a user's score
/// for item j is Σᵢ xᵤᵢ·Bᵢⱼ.
///
/// Only items with at least one interaction take part (the others would get all-zero rows and columns anyway), so the
/// dense solve is over the items that were ever picked.
public struct EASE: Sendable {
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
    public static func fit(_ matrix: InteractionMatrix, lambda: Float = 200, threads: Int = 2) throws -> EASE {
        try fit(gram: GramMatrix(matrix), catalogSize: matrix.items, lambda: lambda, threads: threads)
    }

    /// Fits EASE from a Gram matrix already counted.
    public static func fit(gram: GramMatrix, catalogSize: Int, lambda: Float = 200, threads: Int = 2) throws -> EASE {
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
        precondition(weightings.allSatisfy { $0.count == history.count }, "one weight per item")
        let n = items.count
        var dense = [[Float]](repeating: [Float](repeating: 0, count: n), count: weightings.count)
        weights.withUnsafeBufferPointer { b in
            for (position, item) in history.enumerated() {
                let d = denseIndex[Int(item)]
                guard d >= 0 else { continue }
                let row = b.baseAddress! + Int(d) * n
                for k in weightings.indices where weightings[k][position] != 0 {
                    dense[k].withUnsafeMutableBufferPointer {
                        Kernels.axpy(weightings[k][position], row, into: $0.baseAddress!, count: n)
                    }
                }
            }
        }
        return dense.map { values in
            var full = [Float](repeating: 0, count: catalogSize)
            for (d, i) in items.enumerated() { full[Int(i)] = values[d] }
            return full
        }
    }
}
