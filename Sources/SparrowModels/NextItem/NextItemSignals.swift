import Foundation
import SparrowCore

/// The signals that predict a user's next pick from their history — EASE (plain and recency-weighted),
/// recency-weighted item-to-item cosine, first-order transitions, implicit ALS on the positives folded in, popularity
/// within the user's genres, SASRec — and the candidate lists and feature rows they give the listwise ranker (with
/// popularity, the user's genre lift, the like rate and the gap columns). The same code builds training lists offline
/// and scores requests online.
public struct NextItemSignals: Sendable {
    /// Settings of the signals.
    public struct Config: Sendable, Codable, Equatable {
        /// EASE's L2 weight.
        public var lambda: Float = 100
        /// Recency decay per distinct earlier second (EASE and item-to-item).
        public var decay: Float = 0.9
        /// Recency decay of the transition signal (sharper: what follows the last few movies).
        public var transitionDecay: Float = 0.656
        /// Neighbours kept per movie for item-to-item.
        public var neighbours = 200
        /// Candidates each signal contributes.
        public var perSignal = 100
        /// The sequence model's settings (nil = no SASRec signal): its softmax over every movie that is ever a target
        /// (the ranker's validation HR@10 / NDCG@10: 0.1851 / 0.1082 so, 0.1719 / 0.1036 with SASRec's own default of
        /// movies a target three times or more).
        public var sasrec: SASRec.Config? = {
            var config = SASRec.Config()
            config.minTargetCount = 1
            return config
        }()
        /// Whether the movies most rated in the `recentDays` before the request are a signal (candidates and features).
        /// Off: on the validation hold-outs it cost ml-latest-small 9 hits of 605 (HR@10 0.1884 against 0.2033) and
        /// moved the synthetic set's by one or two; a catalogue with strong release dynamics may want it.
        public var recentSignal = false
        /// The point-in-time features' short window in days (ratings in the days before the request).
        public var recentDays = 90
        /// Their long window in days.
        public var longDays = 365
        /// Which point-in-time columns are filled (the others are zero): 1 ratings in the short window, 2 in the long
        /// one, 4 age, 8 like rate. The like rate alone, chosen on the validation hold-outs: on ml-latest-small
        /// (leave-last-out) HR@10 0.2066 / 0.2033 / 0.1901 with none / the like rate / all four, on the synthetic time
        /// split 0.0816 / 0.0837 (NDCG@10 0.0477 / 0.0535) / 0.0878 — and the synthetic generator has no time
        /// dynamics for the window counts to find, so their gain there is noise.
        public var pointInTimeColumns = 0b1000
        /// The day the point-in-time columns are computed as of: nil or false, the day of the user's newest rating;
        /// true, the request's own day — a training list's pick's day, and a served request's today (the timeline's
        /// end) — so a user returning after a gap is scored with what is known when they return. Optional so that
        /// artifacts written before it decode (as false).
        public var asOfRequest: Bool?
        /// Whether the two gap columns are filled (else zero): popularity and the ratings in the `recentDays` before
        /// the request, each times log(1 + days from the user's newest rating to the request) — zero for a pick in
        /// the same day as the history's end, so they only reweigh the lists of a user returning after a gap (what
        /// was popular lately, rather than what the last session suggests). The request's day: a training list's
        /// pick's, an evaluated request's held-out pick's, a served request's the timeline's end (the data's now).
        /// On: on ml-latest-small's validation hold-outs leave-last-out is unchanged (HR@10 0.2033, NDCG@10 0.1095: a pick
        /// the same day as the history's end sees zero columns) and the time split's returning users gain (1 → 2 hits
        /// of 20); on four synthetic sets (no time dynamics) ±4 hits either way. Before ml-latest-small's test cut, of
        /// 2,767 picks that open a session more than a day after the user's previous rating, the movies most rated in
        /// the 90 days before the pick hold the pick in their top 10 for 6.9 %, all-time popularity for 2.5 %.
        /// Optional so that artifacts written before it decode (as false).
        public var gapColumns: Bool? = true
        /// The gap, in days from the newest rating to the request, from which a history's candidates include the movies
        /// most rated in the `recentDays` before the request (the recent-popular signal, as of the request) — what a
        /// user returning after a while is offered besides what their last session suggests (nil: never; the
        /// `recentSignal` switch gives every history those candidates).
        public var recentForReturning: Int?
        /// Whether the two genre-lift columns are filled (else zero): log of the mean and of the largest lift among the
        /// candidate's genres, a genre's lift being its share of the user's rated movies over its share of every rating
        /// (`genreLift`) — how much more than everyone the user watches the movie's kind. On: over nine synthetic sets'
        /// validation hold-outs (ranker without SASRec) the mean HR@10 rose from 0.0987 to 0.1037 leave-last-out and
        /// from 0.1059 to 0.1129 on the time splits (NDCG@10 0.0518 → 0.0554, 0.0595 → 0.0632), ml-latest-small's
        /// leave-last-out from 0.1719 to 0.1769; the mean alone, the lift of the liked movies only, or a third column
        /// of it did no better. Optional so that settings written before it decode (as false).
        public var genreLiftColumns: Bool? = true

        /// The defaults (chosen on the validation hold-out; see the README).
        public init() {}
    }

    /// The channels, in the order of their feature columns.
    public enum Signal: String, CaseIterable, Sendable {
        case ease, easeRecent = "ease-recent", itemKNN = "itemknn-recent", transition, als, genre = "genre-popular",
            recent = "recent-popular", sasrec
    }

    /// Number of feature columns: two per signal, two of popularity, two of genre lift, four point-in-time ones, two
    /// gap ones.
    public static let featureCount = Signal.allCases.count * 2 + 2 + 2 + 4 + 2
    /// The first popularity column (after the signals' two each).
    public static let popularityColumn = Signal.allCases.count * 2
    /// The first genre-lift column (log of the mean lift among the movie's genres; then of the largest).
    public static let genreLiftColumn = popularityColumn + 2
    /// The first point-in-time column (the like rate is the fourth).
    public static let pointInTimeColumn = genreLiftColumn + 2
    /// The first gap column (popularity × gap; then recent ratings × gap).
    public static let gapColumn = pointInTimeColumn + 4

    /// The settings it was built with.
    public let config: Config
    /// The EASE signal.
    public let ease: EASE
    /// The item-to-item signal.
    public let neighbours: ItemNeighbours
    /// The recency-weighted transition signal.
    public let transitions: TransitionModel
    /// The ALS fold-in signal.
    public let als: ALSFoldIn
    /// The sequence model (trained once, on the histories without their last positive; see `NextItemModel.train`).
    public let sasrec: SASRec?
    /// log(1 + ratings) per movie.
    public let logPopularity: [Float]
    /// The largest of them (at least 10⁻⁹): the popularity feature's scale, computed once, not per request.
    let topLogPopularity: Float
    /// Each movie's genres as a bit set (bit g = genre g of the catalog; genres past 63 are left out).
    public let genres: [UInt64]
    /// Each movie's ratings by day, for the point-in-time features.
    public let timeline: MovieTimeline
    /// The distinct genre sets of the catalogue, and each movie's index among them: the genre signal is computed once
    /// per distinct set (a few hundred at 62,000 movies), not once per movie.
    let genreSets: (masks: [UInt64], ofMovie: [Int32])
    /// A zero score for every movie: the scores of a signal that is off, shared rather than allocated per request.
    let zeroScores: [Float]
    /// Each genre's share of every rating (a movie's ratings count once for each of its genres), the genre lift's
    /// denominator (64 entries, one per genre bit).
    let genreShares: [Float]

    /// Creates the bundle from fitted parts.
    public init(
        config: Config, ease: EASE, neighbours: ItemNeighbours, transitions: TransitionModel, als: ALSFoldIn,
        sasrec: SASRec?, logPopularity: [Float], genres: [UInt64], timeline: MovieTimeline
    ) {
        precondition(genres.count == logPopularity.count, "one genre set per movie")
        precondition(timeline.catalogSize == logPopularity.count, "one timeline row per movie")
        self.timeline = timeline
        self.genres = genres
        var index: [UInt64: Int32] = [:]
        var masks: [UInt64] = []
        let ofMovie = genres.map { g -> Int32 in
            if let i = index[g] { return i }
            index[g] = Int32(masks.count)
            masks.append(g)
            return Int32(masks.count - 1)
        }
        genreSets = (masks, ofMovie)
        zeroScores = [Float](repeating: 0, count: logPopularity.count)
        genreShares = Self.genreShares(genres: genres, logPopularity: logPopularity)
        self.sasrec = sasrec
        self.config = config
        self.ease = ease
        self.neighbours = neighbours
        self.transitions = transitions
        self.als = als
        self.logPopularity = logPopularity
        topLogPopularity = max(logPopularity.max() ?? 1, 1e-9)
    }

    /// Fits every signal on the users' histories; `genres` has one genre bit set per movie. EASE and the neighbours
    /// cover the budget's `easeMovies` most rated movies. Each part's time goes to `log`.
    public static func fit(
        histories: [RatingHistory], genres: [UInt64], config: Config = Config(), sasrec: SASRec? = nil,
        budget: NextItemModel.Budget = .init(), log: (String) -> Void = { _ in }
    ) throws -> NextItemSignals {
        var clock = ProcessStats.now()
        func lap(_ what: String) {
            let now = ProcessStats.now()
            log(String(format: "next-item: signals: %@ %.2f s", what, now - clock))
            clock = now
        }
        let catalogSize = genres.count
        let matrix = InteractionMatrix(
            users: histories.count, items: catalogSize, interactions: histories.enumerated().map { ($0, $1.movies) })
        let gram = GramMatrix(matrix, maxItems: budget.easeMovies, maxPairs: budget.gramPairs)
        lap("Gram matrix of \(gram.items.count) movies")
        let ease = try EASE.fit(gram: gram, catalogSize: catalogSize, lambda: config.lambda)
        lap("EASE")
        var counts = [Float](repeating: 0, count: catalogSize)
        for i in 0..<catalogSize { counts[i] = Float(matrix.users(of: i).count) }
        // ALS reads positives only (validation: HR@10 0.1620 against 0.1587 with every rated movie; synthetic: same HR,
        // better NDCG); EASE and the neighbours read every rated movie.
        let alsSettings = ImplicitALS()
        let factors = alsSettings.fit(
            InteractionMatrix(
                users: histories.count, items: catalogSize,
                interactions: histories.enumerated().map { ($0, $1.positives.movies) }),
            log: { log("next-item: signals: " + $0) })
        let als = ALSFoldIn(
            factors: factors.factors, itemFactors: factors.itemFactors, confidence: alsSettings.confidence,
            regularization: alsSettings.regularization)
        lap("ALS")
        let neighbours = ItemNeighbours(gram: gram, catalogSize: catalogSize, k: config.neighbours)
        lap("item-to-item neighbours")
        let transitions = TransitionModel(histories: histories, catalogSize: catalogSize)
        let timeline = MovieTimeline(histories: histories, catalogSize: catalogSize)
        lap("transitions and timeline")
        return NextItemSignals(
            config: config, ease: ease, neighbours: neighbours, transitions: transitions, als: als, sasrec: sasrec,
            logPopularity: counts.map { log1p($0) }, genres: genres, timeline: timeline)
    }

    /// Whether `signal` gives candidates (SASRec when trained, the recent-popular one when configured — for every
    /// history or for returning ones — every other).
    public func uses(_ signal: Signal) -> Bool {
        switch signal {
        case .sasrec: sasrec != nil
        case .recent: config.recentSignal || config.recentForReturning != nil
        default: true
        }
    }

    /// Whether a request on `day` (nil: served now) with `history` gets the recent-popular signal, and as of which day.
    func recentDay(_ history: RatingHistory, day: Int32?) -> Int32? {
        if config.recentSignal { return timeline.requestDay(history) }
        guard let gap = config.recentForReturning, requestGap(history, day: day) >= gap else { return nil }
        return timeline.asOf(day)
    }

    /// Every signal's score over the catalog for one history (a request on `day`; nil: served now).
    public func scores(_ history: RatingHistory, day: Int32? = nil) -> [Signal: [Float]] {
        scores(
            history, ease: easeScores([history])[0], als: als.scores(history.positives.movies.map { ($0, 1) }),
            sasrec: sasrec?.scores(history), day: day)
    }

    /// EASE's two scores of each history — every rated movie weighted alike, and recency-weighted — for a batch of
    /// histories at once (`EASE.scores(histories:weightings:)`).
    func easeScores(_ histories: [RatingHistory]) -> [[[Float]]] {
        ease.scores(
            histories: histories.map(\.movies),
            weightings: histories.map { h in
                [[Float](repeating: 1, count: h.count), h.recencyWeights(decay: config.decay).map(\.weight)]
            })
    }

    /// Every signal's score for one history, given its EASE, ALS and SASRec scores (computed for a batch of
    /// histories).
    func scores(_ history: RatingHistory, ease both: [[Float]], als: [Float], sasrec: [Float]?, day: Int32? = nil)
        -> [Signal: [Float]]
    {
        let recent = history.recencyWeights(decay: config.decay)
        let sharp = history.recencyWeights(decay: config.transitionDecay)
        return [
            .ease: both[0], .easeRecent: both[1], .itemKNN: neighbours.scores(recent),
            .transition: transitions.scores(sharp), .als: als,
            .genre: genreScores(history),
            .recent: recentDay(history, day: day).map {
                timeline.recentScores(day: $0, window: Int32(config.recentDays))
            } ?? zeroScores,
            .sasrec: sasrec ?? zeroScores,
        ]
    }
}
