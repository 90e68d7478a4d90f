extension SASRec {
    /// Trains on `histories`; with `patience`, stopped early on each history's last liked movie, which is then held
    /// out of its training (`EarlyStopping.lastLiked`).
    public static func fit(
        histories: [RatingHistory], catalogSize: Int, config: Config, patience: Int?, log: (String) -> Void = { _ in }
    ) -> SASRec {
        let early = patience.map { EarlyStopping.lastLiked(histories, patience: $0) }
        return fit(
            histories: early?.training ?? histories, catalogSize: catalogSize, config: config,
            earlyStopping: early?.rule, log: log)
    }

    /// Stops training once the validation score has not improved for `patience` epochs and keeps the best epoch's
    /// weights (the reference implementation's early stopping).
    public struct EarlyStopping {
        /// Epochs without improvement before training stops.
        public var patience: Int
        /// The model's validation score after an epoch, higher is better.
        public var score: (SASRec) -> Double

        /// Creates the rule.
        public init(patience: Int, score: @escaping (SASRec) -> Double) {
            precondition(patience > 0)
            self.patience = patience
            self.score = score
        }

        /// Early stopping on each history's last liked movie: the model trains on `training` (every history without
        /// it), and is scored by HR@`k` of predicting it from the rest (rated movies excluded).
        public static func lastLiked(
            _ histories: [RatingHistory], patience: Int, k: Int = 10
        ) -> (training: [RatingHistory], rule: EarlyStopping) {
            var training: [RatingHistory] = []
            var cases: [(input: RatingHistory, target: Int32)] = []
            for h in histories {
                guard let i = h.liked.lastIndex(of: true), h.liked.filter({ $0 }).count >= 2 else {
                    training.append(h)
                    continue
                }
                let rest = h.removing(at: i)
                training.append(rest)
                cases.append((rest, h.movies[i]))
            }
            let rule = EarlyStopping(patience: patience) { model in
                var hits = 0
                for c in cases {
                    var scores = model.scores(c.input)
                    for m in c.input.movies { scores[Int(m)] = -.infinity }
                    let target = scores[Int(c.target)]
                    hits += scores.lazy.filter { $0 > target }.count < k ? 1 : 0
                }
                return Double(hits) / Double(max(1, cases.count))
            }
            return (training, rule)
        }
    }
}
