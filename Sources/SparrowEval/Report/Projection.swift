import SparrowEmbedding

/// A 2-D principal-component projection of vectors (power iteration with deflation), for the embedding map.
public enum Projection {
    /// The first two principal components' coordinates of each vector (rows of `set`).
    public static func pca2(_ set: EmbeddingSet, iterations: Int = 50) -> [[Double]] {
        let n = set.count
        let d = set.dimension
        guard n > 0, d > 0 else { return [] }
        var mean = [Double](repeating: 0, count: d)
        for r in 0..<n { for k in 0..<d { mean[k] += Double(set.vectors[r * d + k]) / Double(n) } }
        var x = [Double](repeating: 0, count: n * d)
        for r in 0..<n { for k in 0..<d { x[r * d + k] = Double(set.vectors[r * d + k]) - mean[k] } }
        var components: [[Double]] = []
        for c in 0..<2 {
            var v = (0..<d).map { Double(($0 * 7 + c * 3) % 11) + 1 }
            for _ in 0..<iterations {
                var w = [Double](repeating: 0, count: d)
                for r in 0..<n {
                    var dot = 0.0
                    for k in 0..<d { dot += x[r * d + k] * v[k] }
                    for k in 0..<d { w[k] += dot * x[r * d + k] }
                }
                for previous in components {
                    let dot = zip(w, previous).reduce(0) { $0 + $1.0 * $1.1 }
                    for k in 0..<d { w[k] -= dot * previous[k] }
                }
                let norm = w.reduce(0) { $0 + $1 * $1 }.squareRoot()
                guard norm > 0 else { break }
                v = w.map { $0 / norm }
            }
            components.append(v)
        }
        return (0..<n).map { r in
            components.map { comp in (0..<d).reduce(0.0) { $0 + x[r * d + $1] * comp[$1] } }
        }
    }
}
