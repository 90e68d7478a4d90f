import SparrowTensor

/// The FM second-order term over field embeddings: for each sample, ½ Σ_d ((Σ_f v_fd)² − Σ_f v_fd²), which equals the
/// sum over field pairs of their dot products. `fieldEmbeddings` is (n·F)×d; the result n×1.
func fmInteraction(_ fieldEmbeddings: Tensor, fields: Int, on g: Graph) -> Tensor {
    let ones = g.constant([Float](repeating: 1, count: fieldEmbeddings.rows), rows: fieldEmbeddings.rows, cols: 1)
    let sum = g.weightedSumRows(fieldEmbeddings, weights: ones, length: fields)
    let sumOfSquares = g.weightedSumRows(g.mul(fieldEmbeddings, fieldEmbeddings), weights: ones, length: fields)
    return g.scale(g.sumColumns(g.sub(g.mul(sum, sum), sumOfSquares)), 0.5)
}

/// DeepFM done right (the original's embeddings are not shared and its first-order term is a 31,040-wide one-hot
/// fed to the output layer, B15): one set of field embeddings feeds both the FM and the deep part; first-order
/// weights per feature value; the true FM term over all 17 fields (movie, user, 8 genre columns, 7 bucketised
/// numerics); the deep MLP reads the concatenated field embeddings plus the normalised numerics.
public final class DeepFM: RankingModel {
    /// Whether it reads the per-field embedding inputs.
    public var usesFields: Bool { true }
    /// The feature layout it reads.
    public let spec: FeatureSpec
    /// The settings it was built with.
    public let config: ModelConfig
    let embeddings: EmbeddingTable
    let firstOrder: EmbeddingTable
    let mlp: MLP
    let output: Dense
    let bias: Parameter

    /// Creates the model with seeded initial weights.
    public init(spec: FeatureSpec, config: ModelConfig, rng: inout SeededGeneratorLite) {
        self.spec = spec
        self.config = config
        let total = spec.fieldSizes.reduce(0, +)
        let d = config.embeddingDim
        embeddings = EmbeddingTable(name: "fields.embedding", rows: total, dim: d)
        embeddings.initialize(.normal(stddev: 0.05), rng: &rng)
        firstOrder = EmbeddingTable(name: "fields.linear", rows: total, dim: 1)
        let fields = spec.fieldSizes.count
        mlp = MLP(
            name: "dense", inputs: fields * d + spec.numeric.count, hidden: config.hidden.map { min($0, 64) },
            activation: .relu, dropout: config.dropout, rng: &rng)
        output = Dense(name: "output", inputs: mlp.outputWidth, outputs: 1, activation: .linear, rng: &rng)
        bias = Parameter(name: "bias", rows: 1, cols: 1)
    }

    /// Every dense trainable parameter.
    public var parameters: [Parameter] { mlp.parameters + output.parameters + [bias] }
    /// The embedding tables, updated sparsely by the optimiser.
    public var tables: [EmbeddingTable] { [embeddings, firstOrder] }
    /// The wide part's embedding tables (none here).
    public var wideTables: [EmbeddingTable] { [] }

    /// One logit per sample row of `batch`, recorded on `g`.
    public func logits(_ batch: EncodedSamples, on g: Graph) -> Tensor {
        let n = batch.count
        let f = batch.fieldCount
        let v = g.embedding(embeddings, ids: batch.fields)
        let linear = g.embeddingBag(
            firstOrder, ids: batch.fields, weights: [Float](repeating: 1, count: batch.fields.count), bagSize: f)
        let fm = fmInteraction(v, fields: f, on: g)
        let deepInput = g.concat([g.reshape(v, rows: n, cols: f * config.embeddingDim), numericInput(batch, on: g)])
        let deep = output(mlp(deepInput, on: g), on: g)
        return g.addRow(g.add(g.add(linear, fm), deep), g.param(bias))
    }
}

/// Factorisation machine on the same fields as DeepFM: bias + first-order weights + the FM term (no deep part).
public final class FactorizationMachine: RankingModel {
    /// Whether it reads the per-field embedding inputs.
    public var usesFields: Bool { true }
    /// The feature layout it reads.
    public let spec: FeatureSpec
    /// The settings it was built with.
    public let config: ModelConfig
    let embeddings: EmbeddingTable
    let firstOrder: EmbeddingTable
    let bias: Parameter

    /// Creates the model with seeded initial weights.
    public init(spec: FeatureSpec, config: ModelConfig, rng: inout SeededGeneratorLite) {
        self.spec = spec
        self.config = config
        let total = spec.fieldSizes.reduce(0, +)
        embeddings = EmbeddingTable(name: "fields.embedding", rows: total, dim: config.embeddingDim)
        embeddings.initialize(.normal(stddev: 0.05), rng: &rng)
        firstOrder = EmbeddingTable(name: "fields.linear", rows: total, dim: 1)
        bias = Parameter(name: "bias", rows: 1, cols: 1)
    }

    /// Every dense trainable parameter.
    public var parameters: [Parameter] { [bias] }
    /// The embedding tables, updated sparsely by the optimiser.
    public var tables: [EmbeddingTable] { [embeddings, firstOrder] }
    /// The wide part's embedding tables (none here).
    public var wideTables: [EmbeddingTable] { [] }

    /// One logit per sample row of `batch`, recorded on `g`.
    public func logits(_ batch: EncodedSamples, on g: Graph) -> Tensor {
        let f = batch.fieldCount
        let linear = g.embeddingBag(
            firstOrder, ids: batch.fields, weights: [Float](repeating: 1, count: batch.fields.count), bagSize: f)
        let fm = fmInteraction(g.embedding(embeddings, ids: batch.fields), fields: f, on: g)
        return g.addRow(g.add(linear, fm), g.param(bias))
    }
}

/// Logistic regression on the same fields (one weight per feature value) plus the normalised numerics, trained
/// with FTRL-Proximal (the classic CTR baseline).
public final class LogisticRegression: RankingModel {
    /// Whether it reads the per-field embedding inputs.
    public var usesFields: Bool { true }
    /// The feature layout it reads.
    public let spec: FeatureSpec
    /// The settings it was built with.
    public let config: ModelConfig
    let weights: EmbeddingTable
    let numericWeights: Dense

    /// Creates the model (weights start at 0).
    public init(spec: FeatureSpec, config: ModelConfig, rng: inout SeededGeneratorLite) {
        self.spec = spec
        self.config = config
        weights = EmbeddingTable(name: "fields.linear", rows: spec.fieldSizes.reduce(0, +), dim: 1)
        numericWeights = Dense(name: "numeric", inputs: spec.numeric.count, outputs: 1, activation: .linear, rng: &rng)
        numericWeights.weight.initialize(.zeros, rng: &rng)
    }

    /// Every dense trainable parameter.
    public var parameters: [Parameter] { numericWeights.parameters }
    /// The embedding tables, updated sparsely by the optimiser.
    public var tables: [EmbeddingTable] { [] }
    /// The wide part's embedding tables (none here).
    public var wideTables: [EmbeddingTable] { [weights] }

    /// One logit per sample row of `batch`, recorded on `g`.
    public func logits(_ batch: EncodedSamples, on g: Graph) -> Tensor {
        let linear = g.embeddingBag(
            weights, ids: batch.fields, weights: [Float](repeating: 1, count: batch.fields.count),
            bagSize: batch.fieldCount)
        return g.add(linear, numericWeights(numericInput(batch, on: g), on: g))
    }
}
