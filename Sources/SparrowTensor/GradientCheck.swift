/// Compares the tape's gradients with central finite differences — the engine's own correctness check, used by the
/// tests of every op, layer and model part.
///
/// The scalar differentiated is Σ out ⊙ R for a fixed pseudo-random R, so every output element matters. Forward
/// passes run in Float32; the scalar is accumulated in Float64.
public enum GradientCheck {
    /// One input element's comparison.
    public struct Entry: Sendable {
        /// Which input.
        public var input: Int
        /// Which element.
        public var index: Int
        /// The tape's gradient.
        public var analytic: Float
        /// The finite difference.
        public var numeric: Float
        /// |analytic − numeric| / max(|analytic|, |numeric|, floor).
        public var relativeError: Float
    }

    /// Every element's comparison for the function `build` of the given inputs.
    public static func compare(
        _ inputs: [(rows: Int, cols: Int, values: [Float])], epsilon: Float = 1e-2, floor: Float = 1e-2,
        _ build: (Graph, [Tensor]) -> Tensor
    ) -> [Entry] {
        func run(_ values: [[Float]], wantGrads: Bool) -> (Double, [[Float]]) {
            let g = Graph(seed: 99)
            let ts = zip(inputs, values).map { g.variable($1, rows: $0.rows, cols: $0.cols) }
            let out = build(g, ts)
            let r = pseudoRandom(out.count, seed: 1234)
            let loss = g.sum(g.mul(out, g.constant(r, rows: out.rows, cols: out.cols)))
            let ov = g.values(out)
            var total: Double = 0
            for i in 0..<out.count { total += Double(ov[i]) * Double(r[i]) }
            guard wantGrads else { return (total, []) }
            g.backward(from: loss)
            return (total, ts.map { g.gradient($0) })
        }
        let base = inputs.map(\.values)
        let (_, analytic) = run(base, wantGrads: true)
        var entries: [Entry] = []
        for (k, input) in inputs.enumerated() {
            for i in 0..<input.values.count {
                var plus = base
                plus[k][i] += epsilon
                var minus = base
                minus[k][i] -= epsilon
                let numeric = Float(
                    (run(plus, wantGrads: false).0 - run(minus, wantGrads: false).0) / Double(2 * epsilon))
                let a = analytic[k][i]
                entries.append(
                    Entry(
                        input: k, index: i, analytic: a, numeric: numeric,
                        relativeError: abs(a - numeric) / max(abs(a), abs(numeric), floor)))
            }
        }
        return entries
    }

    /// Deterministic values in [-1, 1], kept at least `gap` away from 0 (ReLU's kink).
    public static func pseudoRandom(_ n: Int, seed: UInt64, gap: Float = 0) -> [Float] {
        var rng = SeededGeneratorLite(seed: seed)
        return (0..<n).map { _ in
            var v = rng.unit() * 2 - 1
            if abs(v) < gap { v = v < 0 ? v - gap : v + gap }
            return v
        }
    }
}
