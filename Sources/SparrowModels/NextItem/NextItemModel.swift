import Foundation
import SparrowCore
import SparrowFeatures

/// The model behind the default served list: next-item signals for candidates and features, and a listwise ranker
/// trained to pick what the user picked next.
///
/// Training is honest by construction: the ranker's lists come from signals fitted on every history *without its
/// last positive*, with that last positive as the label; the served signals are then refitted on the full histories.
/// Inputs are every rated movie (the user watched it, whatever the rating); labels are positives.
/// The evaluation's held-out movies are never in `histories` (the caller removes them), so they never reach a list.
public struct NextItemModel: Sendable {
    /// The name the served model goes by (`model=ranker`).
    public static let servedName = "ranker"

    /// The fitted signals (on the full histories), in model indices.
    public let signals: NextItemSignals
    /// The ranker.
    public let ranker: ListwiseRanker
    /// The movies the model ranks when it covers part of the catalogue (nil: model index = catalogue index).
    public let vocabulary: MovieVocabulary?

    /// Creates a model from parts.
    public init(signals: NextItemSignals, ranker: ListwiseRanker, vocabulary: MovieVocabulary? = nil) {
        precondition(vocabulary.map { $0.movies.count == signals.logPopularity.count } ?? true, "one movie per index")
        self.signals = signals
        self.ranker = ranker
        self.vocabulary = vocabulary
    }

    /// The size of the catalogue the model was trained on.
    public var catalogSize: Int { vocabulary?.catalogSize ?? signals.logPopularity.count }

    /// What the next-item model is trained on: each user's ratings in time order (every rated movie is an input —
    /// having rated a movie at all says the user watched it), and how many of them are positives.
    public struct TrainingData: Sendable {
        /// Every rated movie, oldest first (ties in file order: by movie id).
        public var histories: [RatingHistory]
        /// Each user's number of positives.
        public var positives: [Int]
        /// Each movie's genres as a bit set (see `NextItemSignals.genres`).
        public var genres: [UInt64]

        /// Every movie user u rated.
        public func seen(_ u: Int) -> [Int32] { histories[u].movies }
    }

    /// The training data of a catalog.
    public static func histories(_ catalog: Catalog) -> TrainingData {
        let r = catalog.ratings
        var data = TrainingData(
            histories: [], positives: [],
            genres: catalog.movies.map { UserFeatureState.mask($0.genres) })
        for u in 0..<catalog.userIds.count {
            var h = RatingHistory()
            var positives = 0
            for row in catalog.ratingsOfUser(u) {
                let i = Int(row)
                if r.rating[i] >= likedThreshold { positives += 1 }
                h.append(r.movie[i], at: r.timestamp[i], liked: r.rating[i] >= likedThreshold)
            }
            data.histories.append(h)
            data.positives.append(positives)
        }
        return data
    }

    /// Fits the whole model: signals and SASRec on the histories without each user's last positive → training lists
    /// labelled by those positives; then the ranker on the lists (the learned one unless a single signal ranks
    /// held-out lists better; see `ListwiseRanker.fitSelecting`) → signals refitted on the full histories. That
    /// SASRec (trained without the labels) serves.
    /// A catalogue larger than the budget's `servingMovies` is cut to its most-rated movies first (`MovieVocabulary`).
    public static func train(
        _ data: TrainingData, config: NextItemSignals.Config = .init(),
        rankerConfig: ListwiseRanker.Config = .init(), budget: Budget = Budget(), log: (String) -> Void = { _ in }
    ) throws -> NextItemModel {
        if let vocabulary = MovieVocabulary.mostRated(data, maxMovies: budget.servingMovies) {
            log("next-item: ranking the \(vocabulary.movies.count) most-rated of \(vocabulary.catalogSize) movies")
            let model = try train(
                vocabulary.restrict(data), config: config, rankerConfig: rankerConfig, budget: budget, log: log)
            return NextItemModel(signals: model.signals, ranker: model.ranker, vocabulary: vocabulary)
        }
        var start = ProcessStats.now()
        let minimumLength = 3
        // SASRec and the signals fitted on the histories without their last positives, which label the lists.
        let shortened = withoutTargets(data, minimumLength: minimumLength)
        let sasrec = config.sasrec.map { c in
            var targetMovies = Set<Int32>()
            for h in shortened { for (m, l) in zip(h.movies, h.liked) where l { targetMovies.insert(m) } }
            return SASRec.fit(
                histories: shortened, catalogSize: data.genres.count,
                config: budget.sasrec(c, classes: targetMovies.count),
                maxTokens: budget.sasrecTokens
            ) { line in log("next-item: " + line) }
        }
        if sasrec != nil { log(String(format: "next-item: SASRec in %.2f s", ProcessStats.now() - start)) }
        start = ProcessStats.now()
        let inner = try NextItemSignals.fit(
            histories: shortened, genres: data.genres, config: config, sasrec: sasrec, budget: budget, log: log)
        log(String(format: "next-item: signals in %.2f s", ProcessStats.now() - start))
        start = ProcessStats.now()
        let users = listUsers(data, minimumLength: minimumLength, maxUsers: budget.listUsers)
        let (lists, cases) = trainingLists(
            signals: inner, data: data, minimumLength: minimumLength, shortened: shortened, users: users, log: log)
        log(
            String(
                format: "next-item: %d training lists (the pick among the candidates in %.1f%% of %d cases) in %.2f s",
                lists.count, 100 * Double(lists.count) / Double(max(cases, 1)), cases, ProcessStats.now() - start))
        start = ProcessStats.now()
        let signalsUsed = NextItemSignals.Signal.allCases.enumerated().filter { inner.uses($0.element) }
        let selection = ListwiseRanker.fitSelecting(
            lists, width: NextItemSignals.featureCount, rankColumns: signalsUsed.map { 2 * $0.offset + 1 },
            config: rankerConfig)
        let singles = zip(signalsUsed, selection.single).map {
            String(format: "%@ %.4f", $0.0.element.rawValue, $0.1.hitRate)
        }
        let chosen = selection.chosenColumn.map { c in NextItemSignals.Signal.allCases[c / 2].rawValue } ?? "learned"
        log(
            String(
                format: "next-item: ranker on %d lists, HR@10 on held-out lists (5 folds): learned %.4f, ",
                lists.count, selection.learned)
                + singles.joined(separator: ", ") + " → serving \(chosen)")
        let ranker = selection.ranker
        let signals = try NextItemSignals.fit(
            histories: data.histories, genres: data.genres, config: config, sasrec: sasrec, budget: budget,
            log: log)
        log(String(format: "next-item: ranker and final signals in %.2f s", ProcessStats.now() - start))
        return NextItemModel(signals: signals, ranker: ranker)
    }

    /// Scores over the whole catalog for a full-ranking evaluation: the ranked candidates get −rank, every other movie
    /// (the history's included) −∞.
    public func catalogScores(_ history: RatingHistory, day: Int32? = nil) -> [Float] {
        let size = max(catalogSize, (history.movies.max().map { Int($0) + 1 }) ?? 0)
        var skip = [UInt8](repeating: 0, count: size)
        for m in history.movies { skip[Int(m)] = 1 }
        var scores = [Float](repeating: -.infinity, count: size)
        for (rank, r) in recommend([history], skips: [skip], days: [day])[0].enumerated() {
            scores[Int(r.movie)] = -Float(rank)
        }
        return scores
    }

    /// The ranked candidates for a history (movies with `skip[m] == 1` excluded), best first, in catalogue indices.
    /// Movies the model does not rank (outside its vocabulary, or added to the catalogue since it was trained) are
    /// left out of the history and of the candidates, and `skip` may be longer than the model's catalogue.
    public func recommend(_ history: RatingHistory, skip: [UInt8]) -> [(
        movie: Int32, score: Float, found: NextItemSignals.Signal
    )] { recommend([history], skips: [skip])[0] }

    /// `recommend(_:skip:)` of several histories, each the same as alone (the signals' catalogue-wide products are
    /// done for the whole batch: see `NextItemSignals.candidates(_:skips:perSignal:)`); `days`, one per history, are
    /// the requests' days where known (an evaluation replaying a held-out pick; nil: a request now).
    public func recommend(_ histories: [RatingHistory], skips: [[UInt8]], days: [Int32?]? = nil) -> [[(
        movie: Int32, score: Float, found: NextItemSignals.Signal
    )]] {
        precondition(histories.count == skips.count, "one skip mask per history")
        let (inputs, masks) = modelInputs(histories, skips: skips)
        return signals.candidates(inputs, skips: masks, days: days).map { c in
            let s = ranker.scores(c.features, count: c.movies.count)
            let movies = vocabulary.map { v in c.movies.map { v.movies[Int($0)] } } ?? c.movies
            return c.movies.indices.sorted { MovieOrder.precedes((c.movies[$0], s[$0]), (c.movies[$1], s[$1])) }
                .map { (movies[$0], s[$0], c.found[$0]) }
        }
    }

    /// The signals' candidates of a history, in catalogue indices (each with the signal that found it first).
    public func candidates(_ history: RatingHistory, skip: [UInt8]) -> [(movie: Int32, found: NextItemSignals.Signal)] {
        let (inputs, masks) = modelInputs([history], skips: [skip])
        let c = signals.candidates(inputs[0], skip: masks[0])
        return zip(c.movies, c.found).map { movie, found in
            (vocabulary.map { $0.movies[Int(movie)] } ?? movie, found)
        }
    }

    /// Histories and skip masks in model indices.
    func modelInputs(_ histories: [RatingHistory], skips: [[UInt8]]) -> ([RatingHistory], [[UInt8]]) {
        if let vocabulary { return (histories.map(vocabulary.restrict), skips.map { vocabulary.restrict(skip: $0) }) }
        let size = signals.logPopularity.count
        let known = histories.map { h in h.movies.allSatisfy { Int($0) < size } ? h : h.keeping { Int($0) < size } }
        let masks = skips.map { skip in
            skip.count == size
                ? skip : Array(skip.prefix(size)) + [UInt8](repeating: 0, count: max(0, size - skip.count))
        }
        return (known, masks)
    }
}
