import Testing

@testable import SparrowTensor

/// Deterministic pseudo-random values in [-1, 1], kept away from 0 (ReLU's kink) by `gap`.
func values(_ n: Int, seed: UInt64, gap: Float = 0) -> [Float] {
    var rng = SeededGeneratorLite(seed: seed)
    return (0..<n).map { _ in
        var v = rng.unit() * 2 - 1
        if abs(v) < gap { v = v < 0 ? v - gap : v + gap }
        return v
    }
}

/// Compares the tape's gradients of every input with central finite differences.
///
/// The scalar checked is Σ out ⊙ R for a fixed random R, so every output element matters. Forward passes for the
/// differences run in Float32; the sum is accumulated in Float64. Relative error is |a − n| / max(|a|, |n|, floor).
func checkGradients(
    _ inputs: [(rows: Int, cols: Int, values: [Float])], epsilon: Float = 1e-2, tolerance: Float = 1e-3,
    floor: Float = 1e-2, sourceLocation: SourceLocation = #_sourceLocation,
    _ build: (Graph, [Tensor]) -> Tensor
) {
    func run(_ vals: [[Float]], wantGrads: Bool) -> (Double, [[Float]]) {
        let g = Graph(seed: 99)
        let ts = zip(inputs, vals).map { g.variable($1, rows: $0.rows, cols: $0.cols) }
        let out = build(g, ts)
        let r = values(out.count, seed: 1234)
        let weights = g.constant(r, rows: out.rows, cols: out.cols)
        let loss = g.sum(g.mul(out, weights))
        var total: Double = 0
        let ov = g.values(out)
        for i in 0..<out.count { total += Double(ov[i]) * Double(r[i]) }
        guard wantGrads else { return (total, []) }
        g.backward(from: loss)
        return (total, ts.map { g.gradient($0) })
    }
    let base = inputs.map(\.values)
    let (_, analytic) = run(base, wantGrads: true)
    for (k, input) in inputs.enumerated() {
        for i in 0..<input.values.count {
            var plus = base
            plus[k][i] += epsilon
            var minus = base
            minus[k][i] -= epsilon
            let numeric = Float((run(plus, wantGrads: false).0 - run(minus, wantGrads: false).0) / Double(2 * epsilon))
            let a = analytic[k][i]
            let error = abs(a - numeric) / max(abs(a), abs(numeric), floor)
            #expect(error < tolerance, "input \(k)[\(i)]: tape \(a), finite difference \(numeric)", sourceLocation: sourceLocation)
        }
    }
}
