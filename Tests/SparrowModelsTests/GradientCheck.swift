import SparrowTensor
import Testing

/// Expects every input element's tape gradient to match finite differences within 1e-3.
func checkGradients(
    _ inputs: [(rows: Int, cols: Int, values: [Float])], sourceLocation: SourceLocation = #_sourceLocation,
    _ build: (Graph, [Tensor]) -> Tensor
) {
    let worst = GradientCheck.compare(inputs, build).max { $0.relativeError < $1.relativeError }
    #expect((worst?.relativeError ?? 0) < 1e-3, "worst: \(String(describing: worst))", sourceLocation: sourceLocation)
}
