/// A gated recurrent unit (Cho et al. 2014) whose update gate can be scaled per row — which makes it an AUGRU
/// (Zhou et al., DIEN) when the scale is an attention score, and a masked GRU when the scale is 0 for padding.
///
/// Step: z = σ(x·W_z + h·U_z + b_z), r = σ(x·W_r + h·U_r + b_r), h̃ = tanh(x·W_h + (r⊙h)·U_h + b_h),
/// z′ = s⊙z, h′ = h + z′⊙(h̃ − h) = (1 − z′)⊙h + z′⊙h̃.
public final class GRUCell: @unchecked Sendable {
    /// Input weights, input×3H (z | r | h̃).
    public let w: Parameter
    /// Recurrent weights, H×3H.
    public let u: Parameter
    /// Bias, 1×3H.
    public let b: Parameter
    /// Hidden width H.
    public let hidden: Int

    /// Creates a cell with Glorot input weights, small recurrent weights and zero bias.
    public init(name: String, inputs: Int, hidden: Int, rng: inout SeededGeneratorLite) {
        self.hidden = hidden
        w = Parameter(name: "\(name).w", rows: inputs, cols: 3 * hidden)
        u = Parameter(name: "\(name).u", rows: hidden, cols: 3 * hidden)
        b = Parameter(name: "\(name).b", rows: 1, cols: 3 * hidden)
        w.initialize(.glorotUniform, rng: &rng)
        u.initialize(.glorotUniform, rng: &rng)
    }

    /// The trainable parameters.
    public var parameters: [Parameter] { [w, u, b] }

    /// One step from `h` (n×H) with input `x` (n×input); `scale` (n×1) multiplies the update gate (nil = 1).
    public func step(_ x: Tensor, _ h: Tensor, scale: Tensor?, on g: Graph) -> Tensor {
        GRUCell.step(g, x: x, h: h, w: g.param(w), u: g.param(u), b: g.param(b), hidden: hidden, scale: scale)
    }

    /// The step on explicit weight tensors (so gradient checks can perturb them).
    public static func step(
        _ g: Graph, x: Tensor, h: Tensor, w: Tensor, u: Tensor, b: Tensor, hidden H: Int, scale: Tensor?
    ) -> Tensor {
        let gx = g.linear(x, w, b)
        let gh = g.matmul(h, g.sliceColumns(u, 0, 2 * H))
        let z = g.sigmoid(g.add(g.sliceColumns(gx, 0, H), g.sliceColumns(gh, 0, H)))
        let r = g.sigmoid(g.add(g.sliceColumns(gx, H, 2 * H), g.sliceColumns(gh, H, 2 * H)))
        let candidate = g.tanh(
            g.add(g.sliceColumns(gx, 2 * H, 3 * H), g.matmul(g.mul(r, h), g.sliceColumns(u, 2 * H, 3 * H))))
        let gate = scale.map { g.scaleRows(z, by: $0) } ?? z
        return g.add(h, g.mul(gate, g.sub(candidate, h)))
    }
}
