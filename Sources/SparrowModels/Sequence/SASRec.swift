import CSparrowKernels
import Foundation
import SparrowCore
import SparrowTensor

/// SASRec (Kang & McAuley, 2018): a causal self-attention model of a user's positive history that predicts the next
/// movie at every position with a full softmax over the catalogue, the output layer tied to the item embeddings.
///
/// Pre-norm blocks: `x += Wo·attention(LN(x))`, `x += FFN(LN(x))` (ReLU), a final layer norm; item plus learned
/// position embeddings (position = distance from the newest movie); dropout on the embeddings and both residual
/// branches. It reads and predicts the liked movies only (better on the validation hold-out than every rated movie:
/// `docs/next-item-ranker.md`).
/// Movies rated in the same second are fed in an order given by a hash of the movie, never by movie id, so no input
/// carries MovieLens's tie order.
public final class SASRec: @unchecked Sendable {
    /// Settings.
    public struct Config: Sendable, Codable, Equatable {
        /// Longest history read (the most recent steps).
        public var maxLength = 50
        /// Model width.
        public var dim = 64
        /// Self-attention blocks.
        public var blocks = 2
        /// Attention heads.
        public var heads = 1
        /// Dropout rate while training.
        public var dropout: Float = 0.2
        /// Passes over the data.
        public var epochs = 20
        /// Examples per step.
        public var batch = 16
        /// Adam's learning rate.
        public var learningRate: Float = 0.005
        /// Uniformly sampled movies the softmax runs over besides the batch's targets (0 = the whole catalogue).
        public var negatives = 0
        /// Seed for weights and shuffles.
        public var seed: UInt64 = 1
        /// The softmax runs over the movies that are a training target at least this often (1: every movie that is
        /// ever a target; a movie never one only gets pushed down). Rarer targets are left out of the loss, as
        /// word2vec's minimum count leaves out rare words: fewer classes, a faster softmax. 3 for the model alone (chosen
        /// on validation: `docs/next-item-ranker.md`); the next-item ranker's signal keeps 1
        /// (`NextItemSignals.Config.sasrec`).
        public var minTargetCount = 3

        /// The defaults (chosen on the validation hold-out: `docs/next-item-ranker.md`).
        public init() {}

        /// Decodes settings; keys added after a model was saved take their defaults, keys of settings since removed
        /// are ignored.
        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            maxLength = try c.decode(Int.self, forKey: .maxLength)
            dim = try c.decode(Int.self, forKey: .dim)
            blocks = try c.decode(Int.self, forKey: .blocks)
            heads = try c.decode(Int.self, forKey: .heads)
            dropout = try c.decode(Float.self, forKey: .dropout)
            epochs = try c.decode(Int.self, forKey: .epochs)
            batch = try c.decode(Int.self, forKey: .batch)
            learningRate = try c.decode(Float.self, forKey: .learningRate)
            negatives = try c.decodeIfPresent(Int.self, forKey: .negatives) ?? 0
            seed = try c.decode(UInt64.self, forKey: .seed)
            // A model saved before the setting existed ran its softmax over the whole catalogue.
            minTargetCount = try c.decodeIfPresent(Int.self, forKey: .minTargetCount) ?? 1
        }
    }

    /// One transformer block's parameters.
    struct Block {
        let norm1: (gamma: Parameter, beta: Parameter)
        let query: Dense, key: Dense, value: Dense, output: Dense
        let norm2: (gamma: Parameter, beta: Parameter)
        let feedForward1: Dense, feedForward2: Dense

        var parameters: [Parameter] {
            [norm1.gamma, norm1.beta, norm2.gamma, norm2.beta] + query.parameters + key.parameters
                + value.parameters + output.parameters + feedForward1.parameters + feedForward2.parameters
        }
    }

    /// The settings it was built with.
    public let config: Config
    /// Catalog size (the softmax's width).
    public let catalogSize: Int
    let items: Parameter
    let positions: Parameter
    /// The movies the softmax predicts (ascending), nil for the whole catalogue; the others score below all of them.
    public internal(set) var outputs: [Int32]? {
        didSet { isOutput = outputs.map { SASRec.mask($0, size: catalogSize) } }
    }
    /// `outputs` as a mask over the catalogue (derived once, read by every `scores` call).
    private(set) var isOutput: [Bool]?

    static func mask(_ movies: [Int32], size: Int) -> [Bool] {
        var mask = [Bool](repeating: false, count: size)
        for m in movies { mask[Int(m)] = true }
        return mask
    }
    let blocks: [Block]
    let finalNorm: (gamma: Parameter, beta: Parameter)

    /// A model with seeded initial weights.
    public init(catalogSize: Int, config: Config = Config()) {
        precondition(catalogSize > 0 && config.dim % config.heads == 0 && config.maxLength > 0)
        self.config = config
        self.catalogSize = catalogSize
        var rng = SeededGeneratorLite(seed: config.seed)
        let d = config.dim
        items = Parameter(name: "sasrec.items", rows: catalogSize, cols: d)
        items.initialize(.normal(stddev: 0.05), rng: &rng)
        positions = Parameter(name: "sasrec.positions", rows: config.maxLength, cols: d)
        positions.initialize(.normal(stddev: 0.05), rng: &rng)
        func norm(_ name: String) -> (gamma: Parameter, beta: Parameter) {
            let gamma = Parameter(name: name + ".gamma", rows: 1, cols: d)
            gamma.initialize(.constant(1), rng: &rng)
            return (gamma, Parameter(name: name + ".beta", rows: 1, cols: d))
        }
        blocks = (0..<config.blocks).map { b in
            let p = "sasrec.block\(b)"
            return Block(
                norm1: norm(p + ".norm1"),
                query: Dense(name: p + ".query", inputs: d, outputs: d, activation: .linear, rng: &rng),
                key: Dense(name: p + ".key", inputs: d, outputs: d, activation: .linear, rng: &rng),
                value: Dense(name: p + ".value", inputs: d, outputs: d, activation: .linear, rng: &rng),
                output: Dense(name: p + ".output", inputs: d, outputs: d, activation: .linear, rng: &rng),
                norm2: norm(p + ".norm2"),
                feedForward1: Dense(name: p + ".ff1", inputs: d, outputs: d, activation: .relu, rng: &rng),
                feedForward2: Dense(name: p + ".ff2", inputs: d, outputs: d, activation: .linear, rng: &rng))
        }
        finalNorm = norm("sasrec.final")
    }

    /// Every trainable parameter, in a fixed order (also the artifact's order).
    public var parameters: [Parameter] {
        [items, positions, finalNorm.gamma, finalNorm.beta] + blocks.flatMap(\.parameters)
    }

    /// A history's liked movies in model order: oldest first, the movies of one second ordered by a hash of the movie
    /// (so that no input carries the data files' order within a second).
    public static func sequence(_ history: RatingHistory) -> [Int32] {
        history.positives.moments.flatMap { moment in
            moment.sorted { mix($0) < mix($1) || (mix($0) == mix($1) && $0 < $1) }
        }
    }

    /// A sequence cut into windows of at most `length` movies, newest first, consecutive windows sharing one movie so
    /// that every transition is a training target exactly once; windows shorter than two are dropped.
    static func windows(_ s: [Int32], length: Int) -> [[Int32]] {
        precondition(length >= 2)
        var out: [[Int32]] = []
        var end = s.count
        while end >= 2 {
            let start = max(0, end - length)
            out.append(Array(s[start..<end]))
            end = start + 1
        }
        return out
    }

    /// A fixed 64-bit mix of a movie index (splitmix64's finaliser).
    static func mix(_ m: Int32) -> UInt64 {
        var z = UInt64(UInt32(bitPattern: m)) &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The hidden states (N×dim) of packed input sequences (each at most `maxLength` long).
    func hidden(_ sequences: [[Int32]], on g: Graph) -> Tensor {
        var ids: [Int32] = []
        var position: [Int32] = []
        var offsets = [0]
        for s in sequences {
            precondition(s.count <= config.maxLength && !s.isEmpty)
            ids += s
            position += (0..<s.count).map { Int32(s.count - 1 - $0) }
            offsets.append(ids.count)
        }
        var embedded = g.gatherRows(g.param(items), ids: ids)
        // Item embeddings × √dim on input, as the original SASRec (the output layer reads them unscaled).
        embedded = g.scale(embedded, Float(config.dim).squareRoot())
        var x = g.add(embedded, g.gatherRows(g.param(positions), ids: position))
        x = g.dropout(x, rate: config.dropout)
        for b in blocks {
            let h = g.layerNorm(x, gamma: g.param(b.norm1.gamma), beta: g.param(b.norm1.beta))
            let kv = h  // keys and values from the layer-normed input, as the queries
            let a = g.causalAttention(
                b.query(h, on: g), b.key(kv, on: g), b.value(kv, on: g), offsets: offsets, heads: config.heads)
            x = g.add(x, g.dropout(b.output(a, on: g), rate: config.dropout))
            let h2 = g.layerNorm(x, gamma: g.param(b.norm2.gamma), beta: g.param(b.norm2.beta))
            x = g.add(x, g.dropout(b.feedForward2(b.feedForward1(h2, on: g), on: g), rate: config.dropout))
        }
        return g.layerNorm(x, gamma: g.param(finalNorm.gamma), beta: g.param(finalNorm.beta))
    }
}
