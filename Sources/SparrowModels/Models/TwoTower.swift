import SparrowTensor

/// Two-Tower: a user tower (user id, favourite genres, recent positive movies, user statistics) and a movie tower
/// (movie id, genres, movie statistics), each → Dense 64 ReLU → Dense `towerDim` (linear); the logit is their dot product plus
/// a bias. Because the towers meet only in the dot product, every movie vector can be exported once and any user
/// vector computed at request time, for approximate-nearest-neighbour recall.
public final class TwoTower: RankingModel {
    /// The feature layout it reads.
    public let spec: FeatureSpec
    /// The settings it was built with.
    public let config: ModelConfig
    let userTable: EmbeddingTable
    let movieTable: EmbeddingTable
    let historyTable: EmbeddingTable
    let genreTable: EmbeddingTable
    let userTower: MLP
    let movieTower: MLP
    let userOut: Dense
    let movieOut: Dense
    let bias: Parameter
    let movieNumeric: [Int]
    let userNumeric: [Int]

    /// Creates the model with seeded initial weights.
    public init(spec: FeatureSpec, config: ModelConfig, rng: inout SeededGeneratorLite) {
        self.spec = spec
        self.config = config
        let d = config.embeddingDim
        userTable = EmbeddingTable(name: "emb.userId", rows: spec.users.size, dim: d)
        movieTable = EmbeddingTable(name: "emb.movieId", rows: spec.movies.size, dim: d)
        historyTable = EmbeddingTable(name: "emb.history", rows: spec.movies.size, dim: d)
        genreTable = EmbeddingTable(name: "emb.genre", rows: spec.genreTableSize, dim: d)
        for t in [userTable, movieTable, historyTable, genreTable] {
            t.initialize(.normal(stddev: 1 / Float(d).squareRoot()), rng: &rng)
        }
        let movieColumns: Set<String> = ["releaseYear", "movieRatingCount", "movieAvgRating", "movieRatingStddev"]
        movieNumeric = spec.numeric.indices.filter { movieColumns.contains(spec.numeric[$0].column.name) }
        userNumeric = spec.numeric.indices.filter { !movieColumns.contains(spec.numeric[$0].column.name) }
        userTower = MLP(
            name: "user", inputs: 3 * d + userNumeric.count, hidden: [64], activation: .relu, dropout: 0, rng: &rng)
        userOut = Dense(name: "user.out", inputs: 64, outputs: config.towerDim, activation: .linear, rng: &rng)
        movieTower = MLP(
            name: "movie", inputs: 2 * d + movieNumeric.count, hidden: [64], activation: .relu, dropout: 0, rng: &rng)
        movieOut = Dense(name: "movie.out", inputs: 64, outputs: config.towerDim, activation: .linear, rng: &rng)
        bias = Parameter(name: "bias", rows: 1, cols: 1)
    }

    /// Every dense trainable parameter.
    public var parameters: [Parameter] {
        userTower.parameters + userOut.parameters + movieTower.parameters + movieOut.parameters + [bias]
    }
    /// The embedding tables, updated sparsely by the optimiser.
    public var tables: [EmbeddingTable] { [userTable, movieTable, historyTable, genreTable] }
    /// The wide part's embedding tables (none here).
    public var wideTables: [EmbeddingTable] { [] }

    /// Mean-pooling weights over present slots.
    static func meanWeights(_ ids: [Int32], width: Int, present: [Float]? = nil) -> [Float] {
        var w = [Float](repeating: 0, count: ids.count)
        for i in 0..<(ids.count / width) {
            var n: Float = 0
            for k in 0..<width where (present?[i * width + k] ?? (ids[i * width + k] != 0 ? 1 : 0)) > 0 { n += 1 }
            guard n > 0 else { continue }
            for k in 0..<width where (present?[i * width + k] ?? (ids[i * width + k] != 0 ? 1 : 0)) > 0 {
                w[i * width + k] = 1 / n
            }
        }
        return w
    }

    /// User vectors (n × towerDim) of a batch.
    public func userVectors(_ batch: EncodedSamples, on g: Graph) -> Tensor {
        let userGenres = (0..<batch.count).flatMap { i in (0..<5).map { batch.genres[i * batch.genreWidth + $0] } }
        let x = g.concat([
            g.embedding(userTable, ids: batch.user),
            g.embeddingBag(genreTable, ids: userGenres, weights: Self.meanWeights(userGenres, width: 5), bagSize: 5),
            g.embeddingBag(
                historyTable, ids: batch.history,
                weights: Self.meanWeights(batch.history, width: batch.historyLength, present: batch.historyMask),
                bagSize: batch.historyLength),
            numericInput(batch, on: g, columns: userNumeric),
        ])
        return userOut(userTower(x, on: g), on: g)
    }

    /// Movie vectors (n × towerDim) of a batch.
    public func movieVectors(_ batch: EncodedSamples, on g: Graph) -> Tensor {
        let movieGenres = (0..<batch.count).flatMap { i in (5..<8).map { batch.genres[i * batch.genreWidth + $0] } }
        let x = g.concat([
            g.embedding(movieTable, ids: batch.movie),
            g.embeddingBag(genreTable, ids: movieGenres, weights: Self.meanWeights(movieGenres, width: 3), bagSize: 3),
            numericInput(batch, on: g, columns: movieNumeric),
        ])
        return movieOut(movieTower(x, on: g), on: g)
    }

    /// One logit per sample row of `batch`, recorded on `g`.
    public func logits(_ batch: EncodedSamples, on g: Graph) -> Tensor {
        let dots = g.rowDot(userVectors(batch, on: g), movieVectors(batch, on: g))
        return g.addRow(dots, g.param(bias))
    }
}
