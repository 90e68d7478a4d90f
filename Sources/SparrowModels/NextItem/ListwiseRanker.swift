import Foundation
import SparrowTensor

/// One training list: candidate feature rows and which candidate the user actually picked.
public struct RankingList: Sendable {
    /// Row-major features, `width` per candidate.
    public var features: [Float]
    /// Index of the picked candidate.
    public var target: Int
    /// Number of candidates.
    public var count: Int
    /// The user (dense index) and candidate movies the list was built from, when known (for audits).
    public var user: Int?
    /// The candidate movies, in feature-row order (nil when not recorded).
    public var movies: [Int32]?

    /// Creates a list.
    public init(features: [Float], target: Int, count: Int, user: Int? = nil, movies: [Int32]? = nil) {
        precondition(target >= 0 && target < count)
        precondition(movies == nil || movies!.count == count)
        self.features = features
        self.target = target
        self.count = count
        self.user = user
        self.movies = movies
    }
}

/// A ranker trained to pick: scores candidates so that a softmax over each list puts its mass on the movie the user
/// picked next (listwise cross-entropy), on standardised features; linear. Trained with Adam on the project's tape
/// engine; served by a plain forward pass.
public struct ListwiseRanker: Sendable, Codable, Equatable {
    /// Training settings.
    public struct Config: Sendable, Codable, Equatable {
        /// Passes over the lists (chosen on validation lists: `docs/next-item-ranker.md`).
        public var epochs = 40
        /// Examples per step.
        public var batch = 32
        /// Adam's learning rate.
        public var learningRate: Float = 0.01
        /// L2 weight decay (chosen on validation lists: `docs/next-item-ranker.md`).
        public var l2: Float = 1e-2
        /// Seed for weights and shuffles.
        public var seed: UInt64 = 1

        /// The defaults (chosen on validation lists; see the README).
        public init() {}
    }

    /// Feature width.
    public var width: Int
    /// Per-feature mean of the training rows.
    public var mean: [Float]
    /// Per-feature standard deviation of the training rows (features are divided by it).
    public var scale: [Float]
    /// Linear weights (`width`).
    public var linear: [Float]

    /// Scores of `count` candidates' feature rows.
    public func scores(_ features: [Float], count: Int) -> [Float] {
        var out = [Float](repeating: 0, count: count)
        var x = [Float](repeating: 0, count: width)
        for r in 0..<count {
            for c in 0..<width { x[c] = (features[r * width + c] - mean[c]) / scale[c] }
            var s: Float = 0
            for c in 0..<width { s += x[c] * linear[c] }
            out[r] = s
        }
        return out
    }

    /// Trains a ranker on `lists` of `width`-column features; `log` gets one line per epoch (mean loss).
    public static func fit(
        _ lists: [RankingList], width: Int, config: Config = Config(), log: (String) -> Void = { _ in }
    ) -> ListwiseRanker {
        precondition(!lists.isEmpty, "no training lists")
        // Standardisation from every training row.
        var sum = [Double](repeating: 0, count: width)
        var squares = [Double](repeating: 0, count: width)
        var rows = 0
        for l in lists {
            for r in 0..<l.count {
                for c in 0..<width {
                    let v = Double(l.features[r * width + c])
                    sum[c] += v
                    squares[c] += v * v
                }
            }
            rows += l.count
        }
        let mean = sum.map { Float($0 / Double(rows)) }
        let scale = (0..<width).map { c -> Float in
            let m = sum[c] / Double(rows)
            return Float(max(squares[c] / Double(rows) - m * m, 0).squareRoot()) + 1e-6
        }
        let standardised = lists.map { l -> RankingList in
            var f = l.features
            for r in 0..<l.count { for c in 0..<width { f[r * width + c] = (f[r * width + c] - mean[c]) / scale[c] } }
            return RankingList(features: f, target: l.target, count: l.count)
        }
        var rng = SeededGeneratorLite(seed: config.seed)
        let w = Parameter(name: "ranker.linear", rows: width, cols: 1)
        let parameters = [w]
        let adam = Adam(learningRate: config.learningRate)
        let g = Graph(seed: config.seed)
        var order = Array(standardised.indices)
        for epoch in 0..<config.epochs {
            for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
            var total: Double = 0
            for b in stride(from: 0, to: order.count, by: config.batch) {
                let batch = order[b..<min(b + config.batch, order.count)].map { standardised[$0] }
                var features: [Float] = []
                var ranges: [Range<Int>] = []
                for l in batch {
                    ranges.append(features.count / width..<(features.count / width + l.count))
                    features += l.features
                }
                g.reset()
                let x = g.constant(features, rows: features.count / width, cols: width)
                let s = g.matmul(x, g.param(w))
                let loss = g.listwiseSoftmaxLoss(scores: s, lists: ranges, targets: batch.map(\.target))
                total += Double(g.values(loss)[0]) * Double(batch.count)
                g.backward(from: loss)
                for p in parameters {
                    for k in 0..<p.count { p.grad[k] += config.l2 * p.value[k] }
                }
                adam.step(parameters: parameters, tables: [])
            }
            log(String(format: "ranker epoch %d: loss %.4f", epoch + 1, total / Double(order.count)))
        }
        return ListwiseRanker(width: width, mean: mean, scale: scale, linear: Array(w.value))
    }
}
