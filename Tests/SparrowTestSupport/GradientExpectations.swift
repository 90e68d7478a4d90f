import SparrowTensor
import Testing

/// Deterministic pseudo-random values in [-1, 1], kept away from 0 by `gap`.
public func values(_ n: Int, seed: UInt64, gap: Float = 0) -> [Float] {
    GradientCheck.pseudoRandom(n, seed: seed, gap: gap)
}

/// Expects every input element's tape gradient to match central finite differences within `tolerance` (relative),
/// naming the first elements that do not.
public func checkGradients(
    _ inputs: [(rows: Int, cols: Int, values: [Float])], tolerance: Float = 1e-3,
    sourceLocation: SourceLocation = #_sourceLocation, _ build: (Graph, [Tensor]) -> Tensor
) {
    let entries = GradientCheck.compare(inputs, build)
    #expect(!entries.isEmpty, "no input element was compared", sourceLocation: sourceLocation)
    for e in entries.filter({ !($0.relativeError < tolerance) }).prefix(5) {
        Issue.record(
            "input \(e.input)[\(e.index)]: tape \(e.analytic), finite difference \(e.numeric)",
            sourceLocation: sourceLocation)
    }
}
