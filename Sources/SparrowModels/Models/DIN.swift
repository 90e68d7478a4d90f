import SparrowTensor

/// The user profile and context inputs of DIN and DIEN (as the original): user id and favourite genre embeddings
/// with the user's rating count, average and spread; the candidate's first genre with its year and rating
/// statistics.
final class ProfileInputs: Sendable {
    /// Candidate and history movies share this table.
    let movieTable: EmbeddingTable
    let userTable: EmbeddingTable
    let userGenreTable: EmbeddingTable
    let movieGenreTable: EmbeddingTable
    let userNumeric: [Int]
    let movieNumeric: [Int]

    init(spec: FeatureSpec, config: ModelConfig, rng: inout SeededGeneratorLite) {
        let d = config.embeddingDim
        movieTable = EmbeddingTable(name: "emb.movie", rows: spec.movies.size, dim: d)
        movieTable.initialize(.normal(stddev: 0.05), rng: &rng)
        userTable = EmbeddingTable(name: "emb.userId", rows: spec.users.size, dim: d)
        userGenreTable = EmbeddingTable(name: "emb.userGenre1", rows: spec.genreTableSize, dim: d)
        movieGenreTable = EmbeddingTable(name: "emb.movieGenre1", rows: spec.genreTableSize, dim: d)
        for t in [userTable, userGenreTable, movieGenreTable] { t.initialize(.normal(stddev: 0.05), rng: &rng) }
        let movieColumns: Set<String> = ["releaseYear", "movieRatingCount", "movieAvgRating", "movieRatingStddev"]
        movieNumeric = spec.numeric.indices.filter { movieColumns.contains(spec.numeric[$0].column.name) }
        userNumeric = spec.numeric.indices.filter { !movieColumns.contains(spec.numeric[$0].column.name) }
    }

    var tables: [EmbeddingTable] { [movieTable, userTable, userGenreTable, movieGenreTable] }

    /// The top network of DIN and DIEN: [profile, interest, candidate, context] → Dense 128 PReLU → Dense 64 PReLU →
    /// Dense 1.
    func head(config: ModelConfig, rng: inout SeededGeneratorLite) -> (MLP, Dense) {
        let d = config.embeddingDim
        let top = MLP(
            name: "top", inputs: width(d) + 2 * d, hidden: [128, 64], activation: .prelu,
            dropout: config.dropout, rng: &rng)
        return (top, Dense(name: "output", inputs: 64, outputs: 1, activation: .linear, rng: &rng))
    }
    func width(_ d: Int) -> Int { 3 * d + userNumeric.count + movieNumeric.count }

    func callAsFunction(_ batch: EncodedSamples, model: any RankingModel, on g: Graph) -> [Tensor] {
        let userGenre1 = batch.genreColumn(0)
        let movieGenre1 = batch.genreColumn(5)
        return [
            g.embedding(userTable, ids: batch.user), g.embedding(userGenreTable, ids: userGenre1),
            model.numericInput(batch, on: g, columns: userNumeric),
            g.embedding(movieGenreTable, ids: movieGenre1), model.numericInput(batch, on: g, columns: movieNumeric),
        ]
    }
}

/// DIN (Zhou et al. 2018): the candidate movie attends over the user's recent positive movies. Each history vector b
/// and the candidate c go through an activation unit [b, c, b−c, b⊙c] → Dense 36 PReLU → Dense 1 → sigmoid; the
/// weighted history vectors are summed. Padding slots get weight exactly 0 (the original lets them take weight,
/// B14). Top: [profile, pooled history, candidate, context] → Dense 128 PReLU → Dense 64 PReLU → Dense 1.
public final class DIN: RankingModel {
    /// The feature layout it reads.
    public let spec: FeatureSpec
    /// The settings it was built with.
    public let config: ModelConfig
    let profile: ProfileInputs
    var movieTable: EmbeddingTable { profile.movieTable }
    let attentionHidden: Dense
    let attentionOut: Dense
    let top: MLP
    let output: Dense

    /// Creates the model with seeded initial weights.
    public init(spec: FeatureSpec, config: ModelConfig, rng: inout SeededGeneratorLite) {
        self.spec = spec
        self.config = config
        let d = config.embeddingDim
        profile = ProfileInputs(spec: spec, config: config, rng: &rng)
        attentionHidden = Dense(name: "attention.hidden", inputs: 4 * d, outputs: 36, activation: .prelu, rng: &rng)
        attentionOut = Dense(name: "attention.out", inputs: 36, outputs: 1, activation: .sigmoid, rng: &rng)
        (top, output) = profile.head(config: config, rng: &rng)
    }

    /// Every dense trainable parameter.
    public var parameters: [Parameter] {
        attentionHidden.parameters + attentionOut.parameters + top.parameters + output.parameters
    }
    /// The embedding tables, updated sparsely by the optimiser.
    public var tables: [EmbeddingTable] { profile.tables }
    /// The wide part's embedding tables (none here).
    public var wideTables: [EmbeddingTable] { [] }

    /// The attention weights (n·L × 1) of a batch, already masked — exposed for tests.
    func attention(_ batch: EncodedSamples, on g: Graph) -> (weights: Tensor, history: Tensor, candidate: Tensor) {
        let length = batch.historyLength
        let candidate = g.embedding(movieTable, ids: batch.movie)
        let history = g.embedding(movieTable, ids: batch.history)
        let c = g.repeatRows(candidate, times: length)
        let unit = g.concat([history, c, g.sub(history, c), g.mul(history, c)])
        let raw = attentionOut(attentionHidden(unit, on: g), on: g)
        let mask = g.constant(batch.historyMask, rows: batch.count * length, cols: 1)
        return (g.mul(raw, mask), history, candidate)
    }

    /// One logit per sample row of `batch`, recorded on `g`.
    public func logits(_ batch: EncodedSamples, on g: Graph) -> Tensor {
        let (weights, history, candidate) = attention(batch, on: g)
        let pooled = g.weightedSumRows(history, weights: weights, length: batch.historyLength)
        let x = g.concat(profile(batch, model: self, on: g) + [pooled, candidate])
        return output(top(x, on: g), on: g)
    }
}
