import Foundation
import SparrowTensor

/// Bayesian personalised ranking (Rendle et al. 2009) with matrix-factorisation scores and item biases, trained by
/// SGD on sampled (user, liked item, other item) triples — `interactions` samples per iteration, as `implicit` does.
public struct BPR: Sendable {
    /// Factor width.
    public var factors = 64
    /// SGD learning rate (`implicit`'s 0.01 under-fits these data in 100 iterations; `docs/next-item-ranker.md`).
    public var learningRate: Float = 0.05
    /// L2 regularisation.
    public var regularization: Float = 0.01
    /// Iterations (100 in the reference run).
    public var iterations = 100
    /// Seed.
    public var seed: UInt64 = 1

    /// The defaults of the reference run.
    public init() {}

    /// Fits the factors.
    public func fit(_ matrix: InteractionMatrix) -> FactorModel {
        var rng = SeededGeneratorLite(seed: seed)
        let k = factors
        var users = (0..<(matrix.users * k)).map { _ in (rng.unit() - 0.5) / Float(k) }
        var items = (0..<(matrix.items * k)).map { _ in (rng.unit() - 0.5) / Float(k) }
        var bias = [Float](repeating: 0, count: matrix.items)
        // Rows of the non-zeros, to sample (user, item) pairs uniformly.
        var owner = [Int32](repeating: 0, count: matrix.count)
        for u in 0..<matrix.users { for j in matrix.userStart[u]..<matrix.userStart[u + 1] { owner[j] = Int32(u) } }
        let lr = learningRate
        let reg = regularization
        users.withUnsafeMutableBufferPointer { up in
            items.withUnsafeMutableBufferPointer { ip in
                bias.withUnsafeMutableBufferPointer { bp in
                    for _ in 0..<iterations {
                        for _ in 0..<matrix.count {
                            let nz = Int(rng.next() % UInt64(matrix.count))
                            let u = Int(owner[nz])
                            let i = Int(matrix.userItems[nz])
                            var j = Int(rng.next() % UInt64(matrix.items))
                            var tries = 0
                            while BPR.contains(matrix.items(of: u), Int32(j)) && tries < 20 {
                                j = Int(rng.next() % UInt64(matrix.items))
                                tries += 1
                            }
                            if tries == 20 { continue }
                            let xu = up.baseAddress! + u * k
                            let yi = ip.baseAddress! + i * k
                            let yj = ip.baseAddress! + j * k
                            var x = bp[i] - bp[j]
                            for f in 0..<k { x += xu[f] * (yi[f] - yj[f]) }
                            let z = 1 / (1 + exp(x))  // σ(−x): the gradient scale of ln σ(x)
                            bp[i] += lr * (z - reg * bp[i])
                            bp[j] += lr * (-z - reg * bp[j])
                            for f in 0..<k {
                                let uf = xu[f]
                                let d = yi[f] - yj[f]
                                xu[f] += lr * (z * d - reg * uf)
                                yi[f] += lr * (z * uf - reg * yi[f])
                                yj[f] += lr * (-z * uf - reg * yj[f])
                            }
                        }
                    }
                }
            }
        }
        return FactorModel(factors: k, userFactors: users, itemFactors: items, itemBias: bias)
    }

    /// Binary search in a sorted slice.
    static func contains(_ sorted: ArraySlice<Int32>, _ value: Int32) -> Bool {
        var lo = sorted.startIndex
        var hi = sorted.endIndex
        while lo < hi {
            let mid = (lo + hi) / 2
            if sorted[mid] < value { lo = mid + 1 } else { hi = mid }
        }
        return lo < sorted.endIndex && sorted[lo] == value
    }
}

/// Explicit-rating matrix factorisation (biased, SGD) for the course's RMSE metric:
/// r̂ = μ + b_u + b_i + p_u·q_i.
public struct ExplicitMF: Sendable {
    /// Factor width.
    public var factors = 32
    /// Learning rate.
    public var learningRate: Float = 0.01
    /// L2 regularisation.
    public var regularization: Float = 0.05
    /// Epochs.
    public var epochs = 30
    /// Seed.
    public var seed: UInt64 = 1

    /// The defaults.
    public init() {}

    /// Fits on (user, item, rating) triples and returns a predictor.
    public func fit(users: Int, items: Int, ratings: [(user: Int32, item: Int32, rating: Float)]) -> (Int, Int) -> Float
    {
        var rng = SeededGeneratorLite(seed: seed)
        let k = factors
        var p = (0..<(users * k)).map { _ in (rng.unit() - 0.5) * 0.1 }
        var q = (0..<(items * k)).map { _ in (rng.unit() - 0.5) * 0.1 }
        var bu = [Float](repeating: 0, count: users)
        var bi = [Float](repeating: 0, count: items)
        let mu = ratings.reduce(Float(0)) { $0 + $1.rating } / Float(max(1, ratings.count))
        var order = Array(ratings.indices)
        for _ in 0..<epochs {
            for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
            for index in order {
                let (u, i, r) = (Int(ratings[index].user), Int(ratings[index].item), ratings[index].rating)
                var dot: Float = 0
                for f in 0..<k { dot += p[u * k + f] * q[i * k + f] }
                let e = r - (mu + bu[u] + bi[i] + dot)
                bu[u] += learningRate * (e - regularization * bu[u])
                bi[i] += learningRate * (e - regularization * bi[i])
                for f in 0..<k {
                    let pf = p[u * k + f]
                    p[u * k + f] += learningRate * (e * q[i * k + f] - regularization * pf)
                    q[i * k + f] += learningRate * (e * pf - regularization * q[i * k + f])
                }
            }
        }
        let (pf, qf, bus, bis) = (p, q, bu, bi)
        return { u, i in
            var dot: Float = 0
            for f in 0..<k { dot += pf[u * k + f] * qf[i * k + f] }
            return min(5, max(0.5, mu + bus[u] + bis[i] + dot))
        }
    }
}
