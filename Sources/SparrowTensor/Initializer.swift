import Foundation

/// Seeded weight initialisers.
public enum Initializer: Sendable {
    /// Glorot (Xavier) uniform: U(±√(6/(fanIn+fanOut))) — for sigmoid/tanh/linear layers.
    case glorotUniform
    /// He uniform: U(±√(6/fanIn)) — for ReLU layers.
    case heUniform
    /// Normal with the given standard deviation — for embeddings.
    case normal(stddev: Float)
    /// Uniform in ±limit.
    case uniform(limit: Float)
    /// All zeros.
    case zeros
    /// A constant.
    case constant(Float)

    /// Fills `values` for a layer with the given fan-in and fan-out.
    public func fill(
        _ values: UnsafeMutableBufferPointer<Float>, fanIn: Int, fanOut: Int, rng: inout SeededGeneratorLite
    ) {
        switch self {
        case .glorotUniform:
            let limit = (6 / Float(fanIn + fanOut)).squareRoot()
            for i in values.indices { values[i] = (rng.unit() * 2 - 1) * limit }
        case .heUniform:
            let limit = (6 / Float(max(1, fanIn))).squareRoot()
            for i in values.indices { values[i] = (rng.unit() * 2 - 1) * limit }
        case .normal(let s):
            for i in values.indices {
                let u = max(rng.unit(), 1e-7)
                let v = rng.unit()
                values[i] = s * (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
            }
        case .uniform(let limit):
            for i in values.indices { values[i] = (rng.unit() * 2 - 1) * limit }
        case .zeros:
            values.update(repeating: 0)
        case .constant(let c):
            values.update(repeating: c)
        }
    }
}

extension Parameter {
    /// Initialises the values in place.
    public func initialize(_ initializer: Initializer, rng: inout SeededGeneratorLite) {
        initializer.fill(value, fanIn: rows, fanOut: cols, rng: &rng)
    }
}

extension EmbeddingTable {
    /// Initialises the values in place (fan-in 1, fan-out dim).
    public func initialize(_ initializer: Initializer, rng: inout SeededGeneratorLite) {
        initializer.fill(value, fanIn: 1, fanOut: dim, rng: &rng)
    }
}
