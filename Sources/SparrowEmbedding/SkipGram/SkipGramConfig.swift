/// Settings of skip-gram with negative sampling (word2vec's and gensim's defaults unless noted).
public struct SkipGramConfig: Sendable, Codable, Equatable {
    /// Vector width (10, as the original).
    public var dimension = 10
    /// Maximum distance between a word and a context word (5); each position draws a reduced window 1…window.
    public var window = 5
    /// Passes over the corpus (10, as the original).
    public var epochs = 10
    /// Negative samples per positive pair (5).
    public var negatives = 5
    /// Items seen fewer times are dropped (5, as Spark MLlib and gensim).
    public var minCount = 5
    /// Frequent-item subsampling threshold (1e-3); 0 turns it off.
    public var sample = 1e-3
    /// Starting learning rate (0.025), decaying linearly to `minLearningRate`.
    public var learningRate: Float = 0.025
    /// Final learning rate (0.0001).
    public var minLearningRate: Float = 0.0001
    /// Worker threads (Hogwild over sequence shards); 1 is deterministic for a seed.
    public var threads = 1
    /// Random seed.
    public var seed: UInt64 = 1

    /// The defaults.
    public init() {}
}

extension SkipGramConfig {
    /// The settings of the served embeddings: 32 dimensions, window 20, 20 epochs, two threads (the best found on the
    /// leave-last-out protocol). The artifact build and `sparrow embed` both start from them.
    public static let serving: SkipGramConfig = {
        var c = SkipGramConfig()
        c.dimension = 32
        c.window = 20
        c.epochs = 20
        c.threads = 2
        return c
    }()
}
