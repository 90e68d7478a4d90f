import SparrowTensor

/// Hyper-parameters shared by the ranking models (each uses the ones that apply to it).
public struct ModelConfig: Sendable, Codable, Equatable {
    /// Width of id and genre embeddings (10, as the original).
    public var embeddingDim = 10
    /// Hidden layer widths of the deep part.
    public var hidden = [128, 128]
    /// Dropout rate after each hidden layer while training.
    public var dropout: Float = 0
    /// Output width of each Two-Tower tower.
    public var towerDim = 32
    /// Seed for initial weights.
    public var seed: UInt64 = 1

    /// The defaults.
    public init() {}
}

/// A model that scores (user, movie, context) samples with a click/like probability.
///
/// Every model is a set of named dense parameters and embedding tables plus a forward pass on a `Graph`; the
/// trainer, the artifact format and the server treat them all alike.
public protocol RankingModel: AnyObject, Sendable {
    /// The feature encoding the model was built for.
    var spec: FeatureSpec { get }
    /// Its hyper-parameters.
    var config: ModelConfig { get }
    /// Dense parameters (trained with the main optimizer).
    var parameters: [Parameter] { get }
    /// Embedding tables (trained with lazy updates by the main optimizer).
    var tables: [EmbeddingTable] { get }
    /// Sparse linear ("wide") tables, trained with FTRL; empty for most models.
    var wideTables: [EmbeddingTable] { get }
    /// The logits (n×1) of a batch.
    func logits(_ batch: EncodedSamples, on g: Graph) -> Tensor
    /// Whether the model reads `EncodedSamples.fields` (bucketised field ids); encoding skips them otherwise.
    var usesFields: Bool { get }
}

extension RankingModel {
    /// Most models do not read the field ids.
    public var usesFields: Bool { false }

    /// Every named tensor of the model, for saving and loading.
    public var namedBuffers: [(name: String, rows: Int, cols: Int, buffer: UnsafeMutableBufferPointer<Float>)] {
        parameters.map { ($0.name, $0.rows, $0.cols, $0.value) }
            + (tables + wideTables).map { ($0.name, $0.rows, $0.dim, $0.value) }
    }

    /// Number of trainable scalars.
    public var parameterCount: Int { namedBuffers.reduce(0) { $0 + $1.rows * $1.cols } }

    /// The batch's normalised numeric features as a constant n×width tensor.
    func numericInput(_ batch: EncodedSamples, on g: Graph, columns: [Int]? = nil) -> Tensor {
        let width = batch.numericWidth
        guard let columns else { return g.constant(batch.numeric, rows: batch.count, cols: width) }
        return g.constant(rows: batch.count, cols: columns.count) { out in
            for i in 0..<batch.count {
                for (k, c) in columns.enumerated() { out[i * columns.count + k] = batch.numeric[i * width + c] }
            }
        }
    }
}

/// The registered model kinds and their CLI names.
public enum ModelKind: String, CaseIterable, Sendable, Codable {
    case embeddingMLP = "embedding-mlp"
    case wideDeep = "wide-deep"
    case neuralCF = "neuralcf"
    case twoTower = "two-tower"
    case deepFM = "deepfm"
    case din = "din"
    case dien = "dien"
    case logisticRegression = "lr"
    case factorizationMachine = "fm"

    /// Accepts the original's misspelling `nerualcf` as well.
    public init?(name: String) {
        if name == "nerualcf" {
            self = .neuralCF
            return
        }
        self.init(rawValue: name)
    }

    /// A freshly initialised model of this kind.
    public func make(spec: FeatureSpec, config: ModelConfig) -> any RankingModel {
        var rng = SeededGeneratorLite(seed: config.seed)
        switch self {
        case .embeddingMLP: return EmbeddingMLP(spec: spec, config: config, rng: &rng)
        case .wideDeep: return WideDeep(spec: spec, config: config, rng: &rng)
        case .neuralCF: return NeuralCF(spec: spec, config: config, rng: &rng)
        case .twoTower: return TwoTower(spec: spec, config: config, rng: &rng)
        case .deepFM: return DeepFM(spec: spec, config: config, rng: &rng)
        case .din: return DIN(spec: spec, config: config, rng: &rng)
        case .dien: return DIEN(spec: spec, config: config, rng: &rng)
        case .logisticRegression: return LogisticRegression(spec: spec, config: config, rng: &rng)
        case .factorizationMachine: return FactorizationMachine(spec: spec, config: config, rng: &rng)
        }
    }
}
