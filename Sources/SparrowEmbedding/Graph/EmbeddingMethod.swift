/// The three ways Sparrow turns item sequences into skip-gram sentences.
public enum EmbeddingMethod: String, CaseIterable, Sendable {
    /// The sequences themselves (Item2vec).
    case item2vec
    /// Weighted first-order walks on the transition graph (DeepWalk as the original).
    case deepwalk
    /// Second-order walks with return `p` and in-out `q` (Node2vec).
    case node2vec

    /// Walk settings (the original's 20,000 walks of length 10; p = 2, q = 0.5 found best here).
    public struct Walks: Sendable {
        /// Number of walks.
        public var count = 20_000
        /// Walk length.
        public var length = 10
        /// Node2vec return parameter.
        public var p = 2.0
        /// Node2vec in-out parameter.
        public var q = 0.5
        /// Seed.
        public var seed: UInt64 = 1

        /// The defaults.
        public init() {}
    }

    /// The sentences for this method from item sequences.
    public func sentences(from sequences: [[Int32]], walks: Walks = Walks()) -> [[Int32]] {
        switch self {
        case .item2vec: return sequences
        case .deepwalk:
            return TransitionGraph(sequences: sequences).deepWalks(
                count: walks.count, length: walks.length, seed: walks.seed)
        case .node2vec:
            return TransitionGraph(sequences: sequences).node2vecWalks(
                count: walks.count, length: walks.length, p: walks.p, q: walks.q, seed: walks.seed)
        }
    }
}
