import SparrowTensor

/// The original's deep input: 7 normalised numerics, 8 genre columns (each its own embedding), movie id and user id
/// embeddings, concatenated (7 + 80 + 20 = 107 wide with 10-d embeddings). Shared by Embedding+MLP and Wide&Deep.
final class DeepInputs: Sendable {
    let genreTables: [EmbeddingTable]
    let movieTable: EmbeddingTable
    let userTable: EmbeddingTable
    let width: Int

    init(spec: FeatureSpec, config: ModelConfig, rng: inout SeededGeneratorLite) {
        let d = config.embeddingDim
        genreTables = spec.genreColumns.map {
            EmbeddingTable(name: "emb.\($0.name)", rows: spec.genreTableSize, dim: d)
        }
        movieTable = EmbeddingTable(name: "emb.movieId", rows: spec.movies.size, dim: d)
        userTable = EmbeddingTable(name: "emb.userId", rows: spec.users.size, dim: d)
        // Keras' embedding_column default: truncated normal with stddev 1/√dim.
        for t in genreTables + [movieTable, userTable] {
            t.initialize(.normal(stddev: 1 / Float(d).squareRoot()), rng: &rng)
        }
        width = spec.numeric.count + (spec.genreColumns.count + 2) * d
    }

    var tables: [EmbeddingTable] { genreTables + [movieTable, userTable] }

    func callAsFunction(_ batch: EncodedSamples, numeric: Tensor, on g: Graph) -> Tensor {
        var parts = [numeric]
        for (k, table) in genreTables.enumerated() {
            parts.append(g.embedding(table, ids: batch.genreColumn(k)))
        }
        parts.append(g.embedding(movieTable, ids: batch.movie))
        parts.append(g.embedding(userTable, ids: batch.user))
        return g.concat(parts)
    }
}

/// A stack of dense layers with optional dropout between them.
final class MLP: Sendable {
    let layers: [Dense]
    let dropout: Float

    init(
        name: String, inputs: Int, hidden: [Int], activation: Activation, dropout: Float, rng: inout SeededGeneratorLite
    ) {
        var width = inputs
        var layers: [Dense] = []
        for (k, h) in hidden.enumerated() {
            layers.append(Dense(name: "\(name)\(k + 1)", inputs: width, outputs: h, activation: activation, rng: &rng))
            width = h
        }
        self.layers = layers
        self.dropout = dropout
    }

    var outputWidth: Int { layers.last?.weight.cols ?? 0 }
    var parameters: [Parameter] { layers.flatMap(\.parameters) }

    func callAsFunction(_ x: Tensor, on g: Graph) -> Tensor {
        var h = x
        for layer in layers {
            h = layer(h, on: g)
            if dropout > 0 { h = g.dropout(h, rate: dropout) }
        }
        return h
    }
}
