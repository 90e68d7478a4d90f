import Synchronization
import SparrowTensor

/// DIEN (Zhou et al. 2019) done right: a GRU interest extractor runs over the history in time order (oldest →
/// newest; the original runs it backwards); the candidate attends over the GRU states (softmax over present
/// steps); an AUGRU evolves interest with those scores scaling its update gate; padding steps leave the state
/// unchanged. The auxiliary loss is the paper's −log σ(hₜ·eₜ₊₁) − log(1 − σ(hₜ·ẽₜ₊₁)) with ẽ a sampled negative
/// movie (the original subtracts a term that rewards any high score, B13). The initial state is zero, so inference is
/// deterministic.
public final class DIEN: RankingModel {
    /// The feature layout it reads.
    public let spec: FeatureSpec
    /// The settings it was built with.
    public let config: ModelConfig
    let profile: ProfileInputs
    var movieTable: EmbeddingTable { profile.movieTable }
    let extractor: GRUCell
    let evolution: GRUCell
    let attention: Parameter
    let top: MLP
    let output: Dense
    /// Weight of the auxiliary loss.
    public let auxiliaryWeight: Float = 1
    let negativeRng = Mutex(SeededGeneratorLite(seed: 77))

    /// Creates the model with seeded initial weights.
    public init(spec: FeatureSpec, config: ModelConfig, rng: inout SeededGeneratorLite) {
        self.spec = spec
        self.config = config
        let d = config.embeddingDim
        profile = ProfileInputs(spec: spec, config: config, rng: &rng)
        extractor = GRUCell(name: "gru", inputs: d, hidden: d, rng: &rng)
        evolution = GRUCell(name: "augru", inputs: d, hidden: d, rng: &rng)
        attention = Parameter(name: "attention.w", rows: d, cols: d)
        attention.initialize(.glorotUniform, rng: &rng)
        (top, output) = profile.head(config: config, rng: &rng)
    }

    /// Every dense trainable parameter.
    public var parameters: [Parameter] {
        extractor.parameters + evolution.parameters + [attention] + top.parameters + output.parameters
    }
    /// The embedding tables, updated sparsely by the optimiser.
    public var tables: [EmbeddingTable] { profile.tables }
    /// The wide part's embedding tables (none here).
    public var wideTables: [EmbeddingTable] { [] }

    /// The history in time order: step t (0 = oldest slot) reads `userRatedMovie(L−t)`.
    func timeOrdered(_ values: [Int32], _ n: Int, length l: Int) -> [[Int32]] {
        return (0..<l).map { t in (0..<n).map { values[$0 * l + (l - 1 - t)] } }
    }

    /// Forward pass; also returns the auxiliary loss terms when `auxiliary` is set (training).
    func forward(_ batch: EncodedSamples, on g: Graph, auxiliary: Bool) -> (logits: Tensor, auxiliary: Tensor?) {
        let n = batch.count
        let l = batch.historyLength
        let d = config.embeddingDim
        let ids = timeOrdered(batch.history, n, length: l)
        let masks: [[Float]] = (0..<l).map { t in (0..<n).map { batch.historyMask[$0 * l + (l - 1 - t)] } }
        let candidate = g.embedding(movieTable, ids: batch.movie)
        var h = g.constant([Float](repeating: 0, count: n * d), rows: n, cols: d)
        var states: [Tensor] = []
        var inputs: [Tensor] = []
        for t in 0..<l {
            let x = g.embedding(movieTable, ids: ids[t])
            inputs.append(x)
            h = extractor.step(x, h, scale: g.constant(masks[t], rows: n, cols: 1), on: g)
            states.append(h)
        }
        // Attention of the candidate over the states: softmax over present steps of hₜ·W·c.
        let projected = g.matmul(candidate, g.param(attention), transposeB: true)
        let scores = g.concat(states.map { g.rowDot($0, projected) })
        var flatMask = [Bool](repeating: false, count: n * l)
        for i in 0..<n { for t in 0..<l { flatMask[i * l + t] = masks[t][i] > 0 } }
        let weights = g.softmax(scores, mask: flatMask)
        var e = g.constant([Float](repeating: 0, count: n * d), rows: n, cols: d)
        for t in 0..<l {
            e = evolution.step(states[t], e, scale: g.sliceColumns(weights, t, t + 1), on: g)
        }
        let x = g.concat(profile(batch, model: self, on: g) + [e, candidate])
        let logits = output(top(x, on: g), on: g)
        guard auxiliary else { return (logits, nil) }
        // Auxiliary loss on consecutive present steps: the state after step t should predict the movie at t+1.
        var terms: [Tensor] = []
        for t in 0..<(l - 1) {
            let pairMask = (0..<n).map { masks[t][$0] * masks[t + 1][$0] }
            guard pairMask.contains(where: { $0 > 0 }) else { continue }
            let negativeIds = (0..<n).map { _ in
                Int32(1 + Int(negativeRng.withLock { $0.next() } % UInt64(max(1, spec.movies.ids.count))))
            }
            let positive = g.rowDot(states[t], inputs[t + 1])
            let negative = g.rowDot(states[t], g.embedding(movieTable, ids: negativeIds))
            terms.append(
                g.binaryCrossEntropy(logits: positive, labels: [Float](repeating: 1, count: n), weights: pairMask))
            terms.append(
                g.binaryCrossEntropy(logits: negative, labels: [Float](repeating: 0, count: n), weights: pairMask))
        }
        guard var total = terms.first else { return (logits, nil) }
        for term in terms.dropFirst() { total = g.add(total, term) }
        return (logits, g.scale(total, auxiliaryWeight / Float(max(1, terms.count / 2))))
    }

    /// One logit per sample row of `batch`, recorded on `g`.
    public func logits(_ batch: EncodedSamples, on g: Graph) -> Tensor {
        forward(batch, on: g, auxiliary: false).logits
    }
}

extension DIEN: AuxiliaryLossModel {
    /// The logits and the interest extractor's auxiliary loss (nil without history).
    public func logitsAndAuxiliaryLoss(_ batch: EncodedSamples, on g: Graph) -> (Tensor, Tensor?) {
        forward(batch, on: g, auxiliary: true)
    }
}

/// A model with an extra training-only loss (DIEN's auxiliary loss).
public protocol AuxiliaryLossModel: RankingModel {
    /// Logits and the auxiliary loss (a scalar) of a training batch.
    func logitsAndAuxiliaryLoss(_ batch: EncodedSamples, on g: Graph) -> (Tensor, Tensor?)
}
