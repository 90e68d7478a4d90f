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
        public var lambda = EASE.defaultLambda
        /// Recency decay per distinct earlier second (EASE and item-to-item).
        public var decay: Float = 0.9
        /// Recency decay of the transition signal (sharper: what follows the last few movies).
        public var transitionDecay: Float = 0.656
        /// Neighbours kept per movie for item-to-item.
        public var neighbours = 200
        /// Candidates each signal contributes.
        public var perSignal = 100
        /// The sequence model's settings (nil = no SASRec signal): its softmax over every movie that is ever a target.
        public var sasrec: SASRec.Config? = {
            var config = SASRec.Config()
            config.minTargetCount = 1
            return config
        }()
        /// The window of the gap columns' recent ratings, in days before the request.
        public var recentDays = 90
        /// Whether the two gap columns are filled (else zero): popularity and the ratings in the `recentDays` before
        /// the request, each times log(1 + days from the user's newest rating to the request) — zero for a pick in
        /// the same day as the history's end, so they only reweigh the lists of a user returning after a gap. The
        /// request's day: a training list's pick's, an evaluated request's held-out pick's, a served request's the
        /// timeline's end (the data's now). Optional so that artifacts written before it decode (as false).
        public var gapColumns: Bool? = true
        /// Whether the two genre-lift columns are filled (else zero): log of the mean and of the largest lift among the
        /// candidate's genres, a genre's lift being its share of the user's rated movies over its share of every rating
        /// (`genreLift`) — how much more than everyone the user watches the movie's kind. Optional so that settings
        /// written before it decode (as false).
        public var genreLiftColumns: Bool? = true

        /// The defaults (chosen on the validation hold-outs: `docs/next-item-ranker.md`).
        public init() {}
    }

    /// The channels, in the order of their feature columns. `recent` (the movies most rated just before the request) is
    /// not computed by shipped models: its two columns stay zero, and the case keeps the column layout and the saved
    /// lists' signal indices (`RankedListsFile`) as they are.
    public enum Signal: String, CaseIterable, Sendable {
        case ease, easeRecent = "ease-recent", itemKNN = "itemknn-recent", transition, als, genre = "genre-popular",
            recent = "recent-popular", sasrec
    }

    /// Number of feature columns: two per signal, two of popularity, two of genre lift, four point-in-time ones (the
    /// like rate is the fourth; the first three stay zero), two gap ones.
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
        // ALS reads positives only (better on validation than every rated movie: `docs/next-item-ranker.md`); EASE and
        // the neighbours read every rated movie.
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

    /// Whether `signal` gives candidates: SASRec when trained, never `recent` (see `Signal`), every other.
    public func uses(_ signal: Signal) -> Bool {
        switch signal {
        case .sasrec: sasrec != nil
        case .recent: false
        default: true
        }
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
            .genre: genreScores(history), .recent: zeroScores,
            .sasrec: sasrec ?? zeroScores,
        ]
    }
}
