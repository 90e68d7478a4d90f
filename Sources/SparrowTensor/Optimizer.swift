import CSparrowKernels
import Foundation

/// Updates parameters from their accumulated gradients, then clears the gradients.
///
/// Dense parameters are updated in full; embedding tables only in the rows touched since the last step ("lazy"
/// updates), which keeps a step O(batch) however large the vocabulary.
public protocol Optimizer: AnyObject {
    /// Applies one update to every parameter and table, and clears their gradients.
    func step(parameters: [Parameter], tables: [EmbeddingTable])
}

/// Plain stochastic gradient descent, optionally with L2 weight decay on dense parameters.
public final class SGD: Optimizer {
    /// Learning rate.
    public var learningRate: Float
    /// L2 coefficient.
    public var weightDecay: Float

    /// Creates the optimizer.
    public init(learningRate: Float, weightDecay: Float = 0) {
        self.learningRate = learningRate
        self.weightDecay = weightDecay
    }

    /// Applies one update from the accumulated gradients, then clears them.
    public func step(parameters: [Parameter], tables: [EmbeddingTable]) {
        for p in parameters {
            for i in 0..<p.count {
                p.value[i] -= learningRate * (p.grad[i] + weightDecay * p.value[i])
                p.grad[i] = 0
            }
        }
        for t in tables {
            for r in t.touched {
                let base = Int(r) * t.dim
                for k in base..<(base + t.dim) { t.value[k] -= learningRate * t.grad[k] }
            }
            t.clearGradient()
        }
    }
}

/// Adam (Kingma & Ba) with bias correction; lazy for embedding rows (their moments move only when touched, with the
/// global step's bias correction, as TensorFlow's LazyAdam).
public final class Adam: Optimizer {
    /// Learning rate.
    public var learningRate: Float
    /// First-moment decay.
    public let beta1: Float
    /// Second-moment decay.
    public let beta2: Float
    /// Denominator guard.
    public let epsilon: Float
    /// L2 coefficient applied to embedding rows when touched (0 = none).
    public var embeddingDecay: Float
    private(set) var t = 0
    private var moments:
        [ObjectIdentifier: (m: UnsafeMutableBufferPointer<Float>, v: UnsafeMutableBufferPointer<Float>)] = [:]

    /// Creates the optimizer (Keras defaults: 0.001, 0.9, 0.999, 1e-7).
    public init(
        learningRate: Float = 0.001, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-7,
        embeddingDecay: Float = 0
    ) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.embeddingDecay = embeddingDecay
    }

    deinit {
        for (m, v) in moments.values {
            m.deallocate()
            v.deallocate()
        }
    }

    private func state(_ key: AnyObject, count: Int) -> (
        UnsafeMutableBufferPointer<Float>, UnsafeMutableBufferPointer<Float>
    ) {
        let id = ObjectIdentifier(key)
        if let s = moments[id] { return s }
        let m = UnsafeMutableBufferPointer<Float>.allocate(capacity: count)
        let v = UnsafeMutableBufferPointer<Float>.allocate(capacity: count)
        m.initialize(repeating: 0)
        v.initialize(repeating: 0)
        moments[id] = (m, v)
        return (m, v)
    }

    /// Applies one update from the accumulated gradients, then clears them.
    public func step(parameters: [Parameter], tables: [EmbeddingTable]) {
        t += 1
        let lr = learningRate * (1 - pow(beta2, Float(t))).squareRoot() / (1 - pow(beta1, Float(t)))
        for p in parameters {
            let (m, v) = state(p, count: p.count)
            sparrow_adam_update(
                Int32(p.count), p.value.baseAddress!, p.grad.baseAddress!, m.baseAddress!, v.baseAddress!, lr, beta1,
                beta2, epsilon, 0, 1)
        }
        for table in tables {
            let (m, v) = state(table, count: table.count)
            let d = table.dim
            for r in table.touched {
                let base = Int(r) * d
                sparrow_adam_update(
                    Int32(d), table.value.baseAddress! + base, table.grad.baseAddress! + base, m.baseAddress! + base,
                    v.baseAddress! + base, lr, beta1, beta2, epsilon, embeddingDecay, 0)
            }
            table.clearGradient()
        }
    }
}

/// Adagrad: per-coordinate learning rates from the accumulated squared gradients.
public final class Adagrad: Optimizer {
    /// Learning rate.
    public var learningRate: Float
    /// Starting accumulator value.
    public let initialAccumulator: Float
    private var accumulators: [ObjectIdentifier: UnsafeMutableBufferPointer<Float>] = [:]

    /// Creates the optimizer.
    public init(learningRate: Float = 0.01, initialAccumulator: Float = 0.1) {
        self.learningRate = learningRate
        self.initialAccumulator = initialAccumulator
    }

    deinit { for a in accumulators.values { a.deallocate() } }

    private func accumulator(_ key: AnyObject, count: Int) -> UnsafeMutableBufferPointer<Float> {
        if let a = accumulators[ObjectIdentifier(key)] { return a }
        let a = UnsafeMutableBufferPointer<Float>.allocate(capacity: count)
        a.initialize(repeating: initialAccumulator)
        accumulators[ObjectIdentifier(key)] = a
        return a
    }

    /// Applies one update from the accumulated gradients, then clears them.
    public func step(parameters: [Parameter], tables: [EmbeddingTable]) {
        for p in parameters {
            let a = accumulator(p, count: p.count)
            for i in 0..<p.count {
                let g = p.grad[i]
                a[i] += g * g
                p.value[i] -= learningRate * g / a[i].squareRoot()
                p.grad[i] = 0
            }
        }
        for t in tables {
            let a = accumulator(t, count: t.count)
            for r in t.touched {
                let base = Int(r) * t.dim
                for i in base..<(base + t.dim) {
                    let g = t.grad[i]
                    a[i] += g * g
                    t.value[i] -= learningRate * g / a[i].squareRoot()
                }
            }
            t.clearGradient()
        }
    }
}

/// FTRL-Proximal (McMahan et al. 2013) with L1 and L2 regularisation — for sparse wide (linear) weights, where L1
/// drives unused crosses to exactly zero.
public final class FTRL: Optimizer {
    /// α.
    public let alpha: Float
    /// β.
    public let beta: Float
    /// L1 strength.
    public let l1: Float
    /// L2 strength.
    public let l2: Float
    private var state:
        [ObjectIdentifier: (z: UnsafeMutableBufferPointer<Float>, n: UnsafeMutableBufferPointer<Float>)] = [:]

    /// Creates the optimizer.
    public init(alpha: Float = 0.05, beta: Float = 1, l1: Float = 0.001, l2: Float = 0.001) {
        self.alpha = alpha
        self.beta = beta
        self.l1 = l1
        self.l2 = l2
    }

    deinit {
        for (z, n) in state.values {
            z.deallocate()
            n.deallocate()
        }
    }

    private func buffers(_ key: AnyObject, count: Int) -> (
        UnsafeMutableBufferPointer<Float>, UnsafeMutableBufferPointer<Float>
    ) {
        if let s = state[ObjectIdentifier(key)] { return s }
        let z = UnsafeMutableBufferPointer<Float>.allocate(capacity: count)
        let n = UnsafeMutableBufferPointer<Float>.allocate(capacity: count)
        z.initialize(repeating: 0)
        n.initialize(repeating: 0)
        state[ObjectIdentifier(key)] = (z, n)
        return (z, n)
    }

    @inline(__always)
    private func update(_ w: inout Float, _ g: Float, _ z: inout Float, _ n: inout Float) {
        let sigma = ((n + g * g).squareRoot() - n.squareRoot()) / alpha
        z += g - sigma * w
        n += g * g
        if abs(z) <= l1 {
            w = 0
        } else {
            w = -(z - (z < 0 ? -l1 : l1)) / ((beta + n.squareRoot()) / alpha + l2)
        }
    }

    /// Applies one update from the accumulated gradients, then clears them.
    public func step(parameters: [Parameter], tables: [EmbeddingTable]) {
        for p in parameters {
            let (z, n) = buffers(p, count: p.count)
            for i in 0..<p.count {
                update(&p.value[i], p.grad[i], &z[i], &n[i])
                p.grad[i] = 0
            }
        }
        for t in tables {
            let (z, n) = buffers(t, count: t.count)
            for r in t.touched {
                let base = Int(r) * t.dim
                for i in base..<(base + t.dim) { update(&t.value[i], t.grad[i], &z[i], &n[i]) }
            }
            t.clearGradient()
        }
    }
}
