import SparrowModels

/// Everything `sparrow eval` measured, as written to `report.json` and drawn in `report.html`.
public struct EvaluationReport: Sendable, Codable {
    /// A ranking (CTR) model on one sample set.
    public struct RankingEntry: Sendable, Codable {
        /// Model name.
        public var model: String
        /// Which samples: `original` (the shared TensorFlow inputs), `sparrow-random`, `sparrow-time`.
        public var samples: String
        /// Test metrics.
        public var metrics: BinaryMetrics
        /// The TensorFlow reference on the same inputs, when there is one.
        public var reference: String?
        /// Training time.
        public var trainingSeconds: Double
        /// Per-epoch history.
        public var history: [EpochRecord]
        /// ROC / PR curves and calibration.
        public var curves: BinaryCurves

        /// Creates an entry.
        public init(
            model: String, samples: String, metrics: BinaryMetrics, reference: String?, trainingSeconds: Double,
            history: [EpochRecord], curves: BinaryCurves
        ) {
            self.model = model
            self.samples = samples
            self.metrics = metrics
            self.reference = reference
            self.trainingSeconds = trainingSeconds
            self.history = history
            self.curves = curves
        }
    }

    /// A top-K method on the leave-last-out protocol.
    public struct TopKEntry: Sendable, Codable {
        /// Method name.
        public var method: String
        /// Metrics.
        public var metrics: RankingMetrics
        /// Fit time, when it has one.
        public var fitSeconds: Double?
        /// The reference result, when there is one.
        public var reference: String?
        /// The served default list against this method, user by user (served first), on a single model's entry.
        public var versusServed: PairedComparison?

        /// Creates an entry.
        public init(method: String, metrics: RankingMetrics, fitSeconds: Double?, reference: String?) {
            self.method = method
            self.metrics = metrics
            self.fitSeconds = fitSeconds
            self.reference = reference
        }
    }

    /// One movie on the embedding map.
    public struct MapPoint: Sendable, Codable {
        /// Movie id.
        public var id: Int32
        /// Title.
        public var title: String
        /// First genre.
        public var genre: String
        /// Coordinates.
        public var x: Double
        /// Coordinates.
        public var y: Double

        /// Creates a point.
        public init(id: Int32, title: String, genre: String, x: Double, y: Double) {
            self.id = id
            self.title = title
            self.genre = genre
            self.x = x
            self.y = y
        }
    }

    /// When it was made.
    public var created: String
    /// Dataset sizes.
    public var dataset: [String: Int]
    /// Ranking models.
    public var ranking: [RankingEntry] = []
    /// The top-K protocol, in words (nil: leave-last-out).
    public var topKProtocol: String?
    /// Top-K methods.
    public var topK: [TopKEntry] = []
    /// Embedding quality lines (method → HR@10, NDCG@10, genre kNN).
    public var embeddings: [String: [String: Double]] = [:]
    /// The 2-D map of item2vec vectors.
    public var embeddingMap: [MapPoint] = []
    /// A/B versus interleaving, when simulated.
    public var experiments: ExperimentComparison?
    /// Seconds per stage.
    public var timings: [String: Double] = [:]

    /// An empty report.
    public init(created: String, dataset: [String: Int]) {
        self.created = created
        self.dataset = dataset
    }
}
