import ArgumentParser
import SparrowEmbedding

/// The skip-gram settings of `sparrow embed`, defaulting to the served embeddings' (`SkipGramConfig.serving`): the
/// command and the artifact build train the same vectors unless told otherwise.
public struct SkipGramOptions: ParsableArguments, Sendable {
    /// Vector width.
    @Option(help: "Vector width.") public var dim = SkipGramConfig.serving.dimension
    /// Context window.
    @Option(help: "Context window.") public var window = SkipGramConfig.serving.window
    /// Passes over the corpus.
    @Option(help: "Epochs.") public var epochs = SkipGramConfig.serving.epochs
    /// Negative samples per positive pair.
    @Option(help: "Negative samples.") public var negatives = SkipGramConfig.serving.negatives
    /// Items seen fewer times are dropped.
    @Option(help: "Minimum item count.") public var minCount = SkipGramConfig.serving.minCount
    /// Frequent-item subsampling threshold.
    @Option(help: "Subsampling threshold (0 = off).") public var sample = SkipGramConfig.serving.sample
    /// Worker threads.
    @Option(help: "Threads (1 = deterministic).") public var threads = SkipGramConfig.serving.threads
    /// Random seed (also of the walks and the LSH index).
    @Option(help: "Seed.") public var seed = SkipGramConfig.serving.seed

    /// The defaults (ArgumentParser fills in the flags given).
    public init() {}

    /// The settings these options describe.
    public var config: SkipGramConfig {
        var c = SkipGramConfig.serving
        c.dimension = dim
        c.window = window
        c.epochs = epochs
        c.negatives = negatives
        c.minCount = minCount
        c.sample = sample
        c.threads = threads
        c.seed = seed
        return c
    }
}
