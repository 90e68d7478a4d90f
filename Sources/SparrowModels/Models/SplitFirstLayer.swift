import SparrowFeatures
import SparrowTensor

/// A model whose first layer is linear in an input made of user-side and movie-side parts, so its pre-activation
/// is (movie part) + (user part + bias): serving computes the movie part once per movie and the user part once per
/// request, and each candidate costs one addition of two rows before the rest of the network.
public protocol SplitFirstLayer: RankingModel {
    /// Width of the first hidden layer.
    var firstLayerWidth: Int { get }
    /// The first layer's pre-activation from the movie-side inputs only (`movieSide: true`, no bias) or the
    /// user-side inputs only (plus the bias), one row per sample.
    func firstLayerPart(_ batch: EncodedSamples, movieSide: Bool, on g: Graph) -> Tensor
    /// Logits from full first-layer pre-activations (rows) and the samples' wide-cross buckets.
    func logits(firstLayer pre: Tensor, cross: [Int32], on g: Graph) -> Tensor
    /// The same outside any graph (serving): `pre` holds rows × `firstLayerWidth` values and is overwritten.
    func logits(firstLayer pre: UnsafeMutablePointer<Float>, rows: Int, cross: [Int32]) -> [Float]
}

extension EmbeddingMLP: SplitFirstLayer {
    /// Width of the first hidden layer.
    public var firstLayerWidth: Int { mlp.layers[0].weight.cols }

    /// For each entry of the deep input (numerics, genre embeddings, movie embedding, user embedding): whether it
    /// depends on the movie alone.
    var movieSideInputs: [Bool] {
        let d = config.embeddingDim
        var mask = spec.numeric.map { $0.column.isMovieSide == true }
        for column in spec.genreColumns { mask += Array(repeating: IntColumn.movieGenres.contains(column), count: d) }
        return mask + Array(repeating: true, count: d) + Array(repeating: false, count: d)
    }

    /// The first layer's pre-activation contribution of one side (user or movie) of `batch`.
    public func firstLayerPart(_ batch: EncodedSamples, movieSide: Bool, on g: Graph) -> Tensor {
        precondition(!mlp.layers.isEmpty && EncodedSamples.canPair(spec), "the first layer cannot be split")
        let x = inputs(batch, numeric: numericInput(batch, on: g), on: g)
        let keep = movieSideInputs.map { $0 == movieSide }
        let width = keep.count
        let source = g.value(x)
        let masked = g.constant(rows: batch.count, cols: width) { out in
            for i in 0..<batch.count {
                for k in 0..<width { out[i * width + k] = keep[k] ? source[i * width + k] : 0 }
            }
        }
        let layer = mlp.layers[0]
        return movieSide
            ? g.matmul(masked, g.param(layer.weight)) : g.linear(masked, g.param(layer.weight), g.param(layer.bias))
    }

    /// Logits from precomputed first-layer sums, recorded on `g`.
    public func logits(firstLayer pre: Tensor, cross: [Int32], on g: Graph) -> Tensor {
        var h = mlp.layers[0].activate(pre, on: g)
        for layer in mlp.layers.dropFirst() { h = layer(h, on: g) }
        return output(h, on: g)
    }

    /// Logits from precomputed first-layer sums, without a graph (serving).
    public func logits(firstLayer pre: UnsafeMutablePointer<Float>, rows: Int, cross: [Int32]) -> [Float] {
        let first = mlp.layers[0]
        Dense.activate(
            first.activation, pre, count: rows * first.weight.cols, columns: first.weight.cols,
            slope: first.slope?.value.baseAddress)
        var input = UnsafeMutablePointer(pre)
        var scratch: [UnsafeMutablePointer<Float>] = []
        defer { for p in scratch { p.deallocate() } }
        for layer in mlp.layers.dropFirst() + [output] {
            let out = UnsafeMutablePointer<Float>.allocate(capacity: rows * layer.weight.cols)
            scratch.append(out)
            layer.infer(input, rows: rows, into: out)
            input = out
        }
        return Array(UnsafeBufferPointer(start: input, count: rows))
    }
}

extension WideDeep: SplitFirstLayer {
    /// Width of the first hidden layer.
    public var firstLayerWidth: Int { deep.firstLayerWidth }

    /// The first layer's pre-activation contribution of one side (user or movie) of `batch`.
    public func firstLayerPart(_ batch: EncodedSamples, movieSide: Bool, on g: Graph) -> Tensor {
        deep.firstLayerPart(batch, movieSide: movieSide, on: g)
    }

    /// Logits from precomputed first-layer sums, recorded on `g`.
    public func logits(firstLayer pre: Tensor, cross: [Int32], on g: Graph) -> Tensor {
        g.add(deep.logits(firstLayer: pre, cross: cross, on: g), g.embedding(wide, ids: cross))
    }

    /// Logits from precomputed first-layer sums, without a graph (serving).
    public func logits(firstLayer pre: UnsafeMutablePointer<Float>, rows: Int, cross: [Int32]) -> [Float] {
        zip(deep.logits(firstLayer: pre, rows: rows, cross: cross), cross).map { $0 + wide.value[Int($1)] }
    }
}
