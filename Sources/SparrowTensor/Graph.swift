/// The tape of reverse-mode automatic differentiation.
///
/// Each op computes its value immediately (eager) and records a node with a backward closure; `backward(from:)`
/// walks the nodes in reverse and accumulates gradients. All activations and gradients live in an arena that
/// `reset()` reuses, so a training step allocates nothing once warm.
///
/// Why a tape and not Swift's `_Differentiation`: the experimental language feature works here only for coarse ops
/// with hand-written derivatives anyway, it ties the engine to an unstable compiler feature, and it gives no control
/// over memory. A tape of coarse, hand-differentiated ops (matmul, embedding bag, GRU step…) is what every small
/// engine does, keeps each derivative next to its forward code, and lets gradients of embeddings stay sparse.
public final class Graph {
    struct Node {
        var value: UnsafeMutablePointer<Float>
        var grad: UnsafeMutablePointer<Float>?
        var rows: Int
        var cols: Int
        var requiresGrad: Bool
        var backward: ((Graph) -> Void)?
    }

    var nodes: [Node] = []
    let arena = Arena()
    /// True while training: dropout is active.
    public var isTraining = true
    /// Random stream for dropout.
    public var rng: SeededGeneratorLite

    /// Creates an empty graph; `seed` drives dropout.
    public init(seed: UInt64 = 1) {
        rng = SeededGeneratorLite(seed: seed)
        nodes.reserveCapacity(256)
    }

    /// Forgets every node and reuses the memory. Tensors made before are invalid afterwards.
    public func reset() {
        nodes.removeAll(keepingCapacity: true)
        arena.reset()
    }

    // MARK: Making nodes

    /// Records a node computed by the caller: `value` is uninitialised memory of rows×cols to fill.
    @discardableResult
    func record(
        rows: Int, cols: Int, requiresGrad: Bool, value: UnsafeMutablePointer<Float>? = nil,
        grad: UnsafeMutablePointer<Float>? = nil
    ) -> Tensor {
        let v = value ?? arena.allocate(rows * cols)
        nodes.append(Node(value: v, grad: grad, rows: rows, cols: cols, requiresGrad: requiresGrad, backward: nil))
        return Tensor(id: nodes.count - 1, rows: rows, cols: cols)
    }

    /// Sets the backward closure of `t`'s node (only when it requires a gradient).
    func onBackward(_ t: Tensor, _ body: @escaping (Graph) -> Void) {
        if nodes[t.id].requiresGrad { nodes[t.id].backward = body }
    }

    /// A constant input (no gradient), copied from `values`.
    public func constant(_ values: [Float], rows: Int, cols: Int) -> Tensor {
        precondition(values.count == rows * cols, "constant: \(values.count) values for a \(rows)×\(cols) tensor")
        let t = record(rows: rows, cols: cols, requiresGrad: false)
        values.withUnsafeBufferPointer { t.pointer(in: self).update(from: $0.baseAddress!, count: values.count) }
        return t
    }

    /// A constant input filled by `fill` (no copy through an array).
    public func constant(rows: Int, cols: Int, _ fill: (UnsafeMutableBufferPointer<Float>) -> Void) -> Tensor {
        let t = record(rows: rows, cols: cols, requiresGrad: false)
        fill(UnsafeMutableBufferPointer(start: value(t), count: rows * cols))
        return t
    }

    /// A leaf for a trainable dense parameter; its gradient accumulates straight into `p.grad`.
    public func param(_ p: Parameter) -> Tensor {
        record(rows: p.rows, cols: p.cols, requiresGrad: true, value: p.value.baseAddress!, grad: p.grad.baseAddress!)
    }

    /// A leaf whose gradient is wanted (for gradient checks): values copied in, gradient kept on the graph.
    public func variable(_ values: [Float], rows: Int, cols: Int) -> Tensor {
        let t = record(rows: rows, cols: cols, requiresGrad: true)
        values.withUnsafeBufferPointer { value(t).update(from: $0.baseAddress!, count: values.count) }
        return t
    }

    // MARK: Access

    /// The value memory of `t`.
    public func value(_ t: Tensor) -> UnsafeMutablePointer<Float> { nodes[t.id].value }

    /// The values of `t` as an array.
    public func values(_ t: Tensor) -> [Float] { Array(UnsafeBufferPointer(start: value(t), count: t.count)) }

    /// True when `t` needs a gradient.
    public func requiresGrad(_ t: Tensor) -> Bool { nodes[t.id].requiresGrad }

    /// The gradient memory of `t`, allocated (zeroed) on first use.
    public func grad(_ t: Tensor) -> UnsafeMutablePointer<Float> {
        if let g = nodes[t.id].grad { return g }
        let g = arena.zeros(t.count)
        nodes[t.id].grad = g
        return g
    }

    /// The gradient of `t` after `backward`, as an array (zeros when none reached it).
    public func gradient(_ t: Tensor) -> [Float] {
        guard let g = nodes[t.id].grad else { return [Float](repeating: 0, count: t.count) }
        return Array(UnsafeBufferPointer(start: g, count: t.count))
    }

    /// Back-propagates from the scalar `loss` (seeded with 1) through every recorded node.
    public func backward(from loss: Tensor) {
        precondition(loss.count == 1, "backward: the loss must be a scalar, got \(loss.rows)×\(loss.cols)")
        grad(loss).pointee += 1
        for id in stride(from: loss.id, through: 0, by: -1) {
            guard let body = nodes[id].backward, nodes[id].grad != nil else { continue }
            body(self)
        }
    }

    /// Whether any input requires a gradient.
    func anyRequiresGrad(_ ts: Tensor...) -> Bool { ts.contains { nodes[$0.id].requiresGrad } }
}

extension Tensor {
    /// The value memory on `graph`.
    public func pointer(in graph: Graph) -> UnsafeMutablePointer<Float> { graph.value(self) }
}

/// A tiny xorshift generator for dropout masks (SparrowTensor has no dependencies).
public struct SeededGeneratorLite: Sendable {
    private var state: UInt64

    /// Seeds the stream (0 is replaced by a fixed non-zero value).
    public init(seed: UInt64) { state = seed == 0 ? 0x9E37_79B9_7F4A_7C15 : seed }

    /// Next 64 random bits.
    public mutating func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }

    /// Uniform in [0, 1).
    public mutating func unit() -> Float { Float(next() >> 40) * 0x1.0p-24 }
}
