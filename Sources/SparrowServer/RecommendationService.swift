import Foundation
import Synchronization
import Hummingbird
import SparrowServing
import SparrowCore

/// Everything the routes need: the recommender, A/B experiments, metrics, the durable event log and the exposure
/// log.
public final class RecommendationService: Sendable {
    /// The online recommender.
    public let recommender: Recommender
    /// The experiments.
    public let experiments: ABConfig
    /// The metrics registry.
    public let metrics: ServerMetrics
    /// Where posted events are made durable and folded into the live state (embedded log or Redis stream).
    public let ingest: any EventIngest
    let exposureLog: EventLogFile?
    /// Each movie's legacy JSON object with the rating count it was rendered at (the routes' cache).
    let legacyMovieJSON = Mutex<[Int: (count: Int, bytes: [UInt8])]>([:])
    let genres: [String: Int16]
    /// Each movie's title, case- and accent-folded (the search), by catalogue index, and the catalogue version they
    /// were folded from (movies added here or, in Redis mode, on another server refresh them).
    let foldedTitles: Mutex<(titles: [[UInt8]], version: Int)>
    /// Where movies added through `POST /api/v1/movies` are made durable (nil: the catalogue cannot change).
    public let movieAdditions: MovieAdditions?
    /// Serialises catalogue changes, so the file and the memory change in the same order.
    let catalogueWrites = Mutex(())
    /// Who may call what, and how often: keys, the admin token, quotas.
    public let access: AccessControl
    /// The evaluation report (`report.json`) the UI's model lab shows, when there is one.
    public let reportPath: String?
    /// The served model's retrained versions (`/admin/reload` loads a newly promoted one), when there are artifacts.
    public let nextItemVersions: NextItemVersions?

    /// Creates the service.
    public init(
        recommender: Recommender, ingest: any EventIngest, experiments: ABConfig = ABConfig(),
        metrics: ServerMetrics = ServerMetrics(), exposurePath: String? = nil, access: AccessControl = AccessControl(),
        reportPath: String? = nil, nextItemVersions: NextItemVersions? = nil, movieAdditions: MovieAdditions? = nil
    ) {
        self.movieAdditions = movieAdditions
        self.reportPath = reportPath
        self.nextItemVersions = nextItemVersions
        self.recommender = recommender
        self.experiments = experiments
        self.metrics = metrics
        self.ingest = ingest
        exposureLog = exposurePath.map(EventLogFile.init)
        genres = Dictionary(
            uniqueKeysWithValues: recommender.catalog.genres.enumerated().map { ($1.lowercased(), Int16($0)) })
        foldedTitles = Mutex((RecommendationService.foldTitles(recommender.catalog), 0))
        self.access = access
    }

    /// Case- and accent-insensitive form of a text.
    static func fold(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: Locale(identifier: "en_US_POSIX"))
    }

    static func foldTitles(_ catalog: Catalog) -> [[UInt8]] {
        catalog.movies.map { Array(RecommendationService.fold($0.title).utf8) }
    }

    /// The folded titles of the catalogue now (refolded after a catalogue change; the legacy JSON cache, keyed by
    /// index, is dropped with them).
    @discardableResult
    func syncCatalogueCaches() -> [[UInt8]] {
        let (catalog, version) = recommender.catalogueVersion
        return foldedTitles.withLock { folded in
            if folded.version != version {
                folded = (RecommendationService.foldTitles(catalog), version)
                legacyMovieJSON.withLock { $0.removeAll() }
            }
            return folded.titles
        }
    }

    /// Whether `needle` occurs in `haystack`.
    ///
    /// - Complexity: O(*n* · *m*) for lengths *n* and *m* (titles are short).
    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard needle.count <= haystack.count else { return false }
        for start in 0...(haystack.count - needle.count)
        where haystack[start] == needle[0] && haystack[start..<start + needle.count].elementsEqual(needle) {
            return true
        }
        return false
    }

    /// A genre by name, ignoring case.
    func genreIndex(_ name: String) -> Int16? { genres[name.lowercased()] }

    /// Movies whose title contains `query` (case and accents ignored), most rated first.
    func search(_ query: String, limit: Int) -> [Int32] {
        // Matched on UTF-8 bytes: Foundation's `contains` on Linux traps on some folded texts (found by fuzzing:
        // "Ë\u{0}").
        let q = Array(RecommendationService.fold(query).utf8)
        guard !q.isEmpty else { return [] }
        let titles = syncCatalogueCaches()
        let hits = titles.indices.filter { Self.contains(titles[$0], q) }
        let counts = hits.map { recommender.stats(movie: $0).count }
        return MovieOrder.sorted(Array(zip(hits, counts))).prefix(limit).map {
            Int32($0.0)
        }
    }

    /// The answer to a recommendation request, with the A/B bucket that served it.
    struct Answer {
        var recommendation: Recommendation
        var experiment: String?
        var bucket: String?
    }

    /// Recommendations for a user: an explicit `model` (debug override) wins, else the user's A/B bucket, else the
    /// default model. The original's misspelling `nerualcf` is accepted.
    func recommend(userId: Int32, n: Int, model: String?) throws -> Answer {
        var name = model.map { $0 == "nerualcf" ? "neuralcf" : $0 }
        var experiment: String?
        var bucket: String?
        if let assignment = experiments.assign(userId: userId) {
            experiment = assignment.experiment
            bucket = assignment.bucket.name
            if name == nil { name = assignment.bucket.model }
        }
        let recommendation = try APIError.mapping { try recommender.recommend(userId: userId, n: n, model: name) }
        metrics.recall(recommendation.recallSizes)
        metrics.inference(model: recommendation.model, seconds: recommendation.inferenceSeconds)
        let catalog = recommender.catalog
        exposureLog?.append([
            "time": "\(Int(Date().timeIntervalSince1970))", "user": "\(userId)", "experiment": experiment ?? "",
            "bucket": bucket ?? "", "model": recommendation.model,
            "movies": recommendation.items.map { "\(catalog.movies[Int($0.movie)].id)" }.joined(
                separator: " "),
        ])
        return Answer(recommendation: recommendation, experiment: experiment, bucket: bucket)
    }
}
