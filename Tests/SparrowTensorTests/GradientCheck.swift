import SparrowTensor
import Testing

/// Deterministic pseudo-random values in [-1, 1], kept away from 0 by `gap`.
func values(_ n: Int, seed: UInt64, gap: Float = 0) -> [Float] { GradientCheck.pseudoRandom(n, seed: seed, gap: gap) }

/// Expects every input element's tape gradient to match finite differences within `tolerance`.
func checkGradients(
    _ inputs: [(rows: Int, cols: Int, values: [Float])], tolerance: Float = 1e-3,
    sourceLocation: SourceLocation = #_sourceLocation, _ build: (Graph, [Tensor]) -> Tensor
) {
    for e in GradientCheck.compare(inputs, build) {
        #expect(e.relativeError < tolerance, "input \(e.input)[\(e.index)]: tape \(e.analytic), finite difference \(e.numeric)",
            sourceLocation: sourceLocation)
    }
}
