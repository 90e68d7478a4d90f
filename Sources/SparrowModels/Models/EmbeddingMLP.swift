import SparrowTensor

/// Embedding+MLP (the original's `EmbeddingMLP.py`, with normalised numerics): the 107-wide deep input →
/// Dense 128 ReLU → Dense 128 ReLU → Dense 1.
public final class EmbeddingMLP: RankingModel {
    /// The feature layout it reads.
    public let spec: FeatureSpec
    /// The settings it was built with.
    public let config: ModelConfig
    let inputs: DeepInputs
    let mlp: MLP
    let output: Dense

    /// Creates the model with seeded initial weights.
    public init(spec: FeatureSpec, config: ModelConfig, rng: inout SeededGeneratorLite) {
        self.spec = spec
        self.config = config
        inputs = DeepInputs(spec: spec, config: config, rng: &rng)
        mlp = MLP(
            name: "dense", inputs: inputs.width, hidden: config.hidden, activation: .relu, dropout: config.dropout,
            rng: &rng)
        output = Dense(name: "output", inputs: mlp.outputWidth, outputs: 1, activation: .linear, rng: &rng)
    }

    /// Every dense trainable parameter.
    public var parameters: [Parameter] { mlp.parameters + output.parameters }
    /// The embedding tables, updated sparsely by the optimiser.
    public var tables: [EmbeddingTable] { inputs.tables }
    /// The wide part's embedding tables (none here).
    public var wideTables: [EmbeddingTable] { [] }

    /// One logit per sample row of `batch`, recorded on `g`.
    public func logits(_ batch: EncodedSamples, on g: Graph) -> Tensor {
        output(mlp(inputs(batch, numeric: numericInput(batch, on: g), on: g), on: g), on: g)
    }
}

/// Wide&Deep (the original's `WideNDeep.py`): the Embedding+MLP deep part plus a wide linear part over the hashed
/// cross movieId × userRatedMovie1 (10,000 buckets), trained with FTRL; logit = deep·w + wide[cross] + b.
public final class WideDeep: RankingModel {
    /// The feature layout it reads.
    public var spec: FeatureSpec { deep.spec }
    /// The settings it was built with.
    public var config: ModelConfig { deep.config }
    let deep: EmbeddingMLP
    let wide: EmbeddingTable

    /// Creates the model with seeded initial weights (wide weights start at 0).
    public init(spec: FeatureSpec, config: ModelConfig, rng: inout SeededGeneratorLite) {
        deep = EmbeddingMLP(spec: spec, config: config, rng: &rng)
        wide = EmbeddingTable(name: "wide.cross", rows: spec.cross.buckets, dim: 1)
    }

    /// Every dense trainable parameter.
    public var parameters: [Parameter] { deep.parameters }
    /// The embedding tables, updated sparsely by the optimiser.
    public var tables: [EmbeddingTable] { deep.tables }
    /// The wide part's embedding tables (none here).
    public var wideTables: [EmbeddingTable] { [wide] }

    /// One logit per sample row of `batch`, recorded on `g`.
    public func logits(_ batch: EncodedSamples, on g: Graph) -> Tensor {
        g.add(deep.logits(batch, on: g), g.embedding(wide, ids: batch.cross))
    }
}

/// NeuralCF (the original's model 1): user and movie id embeddings → concat → Dense 10 ReLU → Dense 10 ReLU →
/// Dense 1.
public final class NeuralCF: RankingModel {
    /// The feature layout it reads.
    public let spec: FeatureSpec
    /// The settings it was built with.
    public let config: ModelConfig
    let movieTable: EmbeddingTable
    let userTable: EmbeddingTable
    let mlp: MLP
    let output: Dense

    /// Creates the model; its hidden layers are 10 and 10 as the original's unless `config.hidden` says otherwise
    /// (the default [128, 128] of the other models is replaced by [10, 10]).
    public init(spec: FeatureSpec, config: ModelConfig, rng: inout SeededGeneratorLite) {
        self.spec = spec
        var config = config
        if config.hidden == ModelConfig().hidden { config.hidden = [10, 10] }
        self.config = config
        let d = config.embeddingDim
        movieTable = EmbeddingTable(name: "emb.movieId", rows: spec.movies.size, dim: d)
        userTable = EmbeddingTable(name: "emb.userId", rows: spec.users.size, dim: d)
        movieTable.initialize(.uniform(limit: 0.05), rng: &rng)  // Keras Embedding default
        userTable.initialize(.uniform(limit: 0.05), rng: &rng)
        mlp = MLP(
            name: "dense", inputs: 2 * d, hidden: config.hidden, activation: .relu, dropout: config.dropout, rng: &rng)
        output = Dense(name: "output", inputs: mlp.outputWidth, outputs: 1, activation: .linear, rng: &rng)
    }

    /// Every dense trainable parameter.
    public var parameters: [Parameter] { mlp.parameters + output.parameters }
    /// The embedding tables, updated sparsely by the optimiser.
    public var tables: [EmbeddingTable] { [movieTable, userTable] }
    /// The wide part's embedding tables (none here).
    public var wideTables: [EmbeddingTable] { [] }

    /// One logit per sample row of `batch`, recorded on `g`.
    public func logits(_ batch: EncodedSamples, on g: Graph) -> Tensor {
        let x = g.concat([g.embedding(movieTable, ids: batch.movie), g.embedding(userTable, ids: batch.user)])
        return output(mlp(x, on: g), on: g)
    }
}
