/// Activation functions of a dense layer.
public enum Activation: String, Sendable, Codable {
    /// None.
    case linear
    /// max(0, x).
    case relu
    /// Logistic.
    case sigmoid
    /// Hyperbolic tangent.
    case tanh
    /// Learned leaky slope per unit.
    case prelu
}

/// A fully connected layer `activation(x·W + b)`.
public final class Dense: @unchecked Sendable {
    /// Weights, in×out.
    public let weight: Parameter
    /// Bias, 1×out.
    public let bias: Parameter
    /// PReLU slopes (1×out) when the activation is PReLU.
    public let slope: Parameter?
    /// The activation.
    public let activation: Activation

    /// Creates a layer with seeded initial weights (He for ReLU/PReLU, Glorot otherwise; zero bias; PReLU slopes 0.25).
    public init(name: String, inputs: Int, outputs: Int, activation: Activation, rng: inout SeededGeneratorLite) {
        weight = Parameter(name: "\(name).weight", rows: inputs, cols: outputs)
        bias = Parameter(name: "\(name).bias", rows: 1, cols: outputs)
        self.activation = activation
        weight.initialize(activation == .relu || activation == .prelu ? .heUniform : .glorotUniform, rng: &rng)
        if activation == .prelu {
            let s = Parameter(name: "\(name).slope", rows: 1, cols: outputs)
            s.initialize(.constant(0.25), rng: &rng)
            slope = s
        } else {
            slope = nil
        }
    }

    /// The trainable parameters.
    public var parameters: [Parameter] { [weight, bias] + (slope.map { [$0] } ?? []) }

    /// Applies the layer.
    public func callAsFunction(_ x: Tensor, on g: Graph) -> Tensor {
        activate(g.linear(x, g.param(weight), g.param(bias)), on: g)
    }

    /// The activation applied to pre-activations `z` (x·W + b computed elsewhere).
    public func activate(_ z: Tensor, on g: Graph) -> Tensor {
        switch activation {
        case .linear: return z
        case .relu: return g.relu(z)
        case .sigmoid: return g.sigmoid(z)
        case .tanh: return g.tanh(z)
        case .prelu: return g.prelu(z, alpha: g.param(slope!))
        }
    }
}
