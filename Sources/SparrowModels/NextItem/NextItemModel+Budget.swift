import SparrowTensor

extension NextItemModel {
    /// Bounds on the offline work that keep a MovieLens-25M-sized build (162,000 users, 62,000 movies) within minutes
    /// on two cores. Every bound is above what ml-latest-small needs, so there the model is the same with or without
    /// them; each applies only where the data is larger.
    public struct Budget: Sendable, Equatable {
        /// SASRec's training targets over all its epochs (`SASRec.fit(maxTokens:)`); ml-latest-small has ~48,000 per
        /// epoch, 20 epochs.
        public var sasrecTokens = 4_000_000
        /// With more softmax classes than this, SASRec trains a sampled softmax (the batch's targets and
        /// `sampledNegatives` uniform movies) instead of the full one, whose cost grows with the classes: ml-latest-small
        /// has ~8,000 (the full softmax is better there: see the README), a 5 M set 12,000, the 25 M one ~60,000.
        public var sampledSoftmaxAbove = 10_000
        /// Negatives of that sampled softmax.
        public var sampledNegatives = 2_048
        /// Users whose lists train the ranker (a fixed random sample of them when there are more): a linear ranker
        /// of 22 features needs thousands of lists, not hundreds of thousands.
        public var listUsers = 10_000
        /// Movies EASE and the item-to-item neighbours cover (the most rated; `GramMatrix(maxItems:)`): the Gram
        /// matrix and EASE's weights take 4 × `easeMovies`² bytes each, the inversion ~`easeMovies`³ flops.
        public var easeMovies = 10_000
        /// Co-occurrence pairs the Gram matrix counts (`GramMatrix(maxPairs:)`).
        public var gramPairs = 1_000_000_000
        /// Movies the model ranks (`MovieVocabulary`: the most rated): beyond it, ranking a user costs what it costs at
        /// this many movies, so ranking every user grows with the users only. ml-latest-small has 9,742 movies, a
        /// 25 M set 62,000 — whose served top-10 lists (over 10,000 sampled users) hold ~500 distinct movies.
        public var servingMovies = 20_000

        /// The defaults.
        public init() {}

        /// No bound at all (tests and small experiments).
        public static let unbounded: Budget = {
            var b = Budget()
            (b.sasrecTokens, b.sampledSoftmaxAbove, b.listUsers) = (.max, .max, .max)
            (b.easeMovies, b.gramPairs, b.servingMovies) = (.max, .max, .max)
            return b
        }()

        /// The SASRec settings to train with on `classes` softmax classes: a sampled softmax above the bound.
        public func sasrec(_ config: SASRec.Config, classes: Int) -> SASRec.Config {
            var c = config
            if classes > sampledSoftmaxAbove && c.negatives == 0 { c.negatives = sampledNegatives }
            return c
        }
    }

    /// The users whose lists train the ranker: those with a labelling positive, at most `maxUsers` of them (a fixed
    /// random sample, in index order).
    static func listUsers(_ data: TrainingData, minimumLength: Int, maxUsers: Int) -> [Int] {
        let eligible = data.histories.indices.filter { data.positives[$0] >= minimumLength }
        guard eligible.count > maxUsers else { return eligible }
        var rng = SeededGeneratorLite(seed: 7)
        var order = eligible
        for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
        return order.prefix(maxUsers).sorted()
    }
}
