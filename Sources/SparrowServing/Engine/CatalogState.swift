import SparrowCore
import SparrowFeatures

/// The catalogue a recommender serves and what is derived from it per movie — genre bit sets, release years, the
/// first genres, each genre's movies by rating, the fresh list — held as one value so that a movie added while
/// serving appears in all of them at once (`Recommender.upsert(movie:)`).
struct CatalogState: Sendable {
    private(set) var catalog: Catalog
    private(set) var genreMasks: [UInt64]
    private(set) var years: [Int?]
    private(set) var firstGenres: [[Int16]]
    /// Each genre's movies, best Bayesian average rating first (as of start-up; an added movie is placed by its own).
    private(set) var genreRanking: [[Int32]]
    /// Recent releases with ratings, and every movie added after start-up, newest release first (the `fresh`
    /// channel).
    private(set) var fresh: [Int32]
    /// Changes made since start-up (`upsert`): caches built from the catalogue compare it.
    private(set) var version = 0
    /// The key each movie is ranked by in its genres.
    private var quality: [Double]
    /// The key each movie is ranked by in `fresh` (nil: not a candidate).
    private var freshness: [Double?]
    static let freshLimit = 300

    /// The state of `catalog` with its movies' statistics; movies from index `addedFrom` on were added to the
    /// data folder's catalogue (`MovieAdditions`), so they are fresh without ratings.
    init(catalog: Catalog, stats: [MovieStats], priorMean: Double, addedFrom: Int? = nil) {
        self.catalog = catalog
        genreMasks = catalog.movies.map { UserFeatureState.mask($0.genres) }
        years = catalog.movies.map(\.year)
        firstGenres = catalog.movies.map { Array($0.genres.prefix(3)) }
        quality = stats.map { $0.bayesian(priorMean: priorMean) }
        let added = addedFrom ?? catalog.movies.count
        freshness = catalog.movies.indices.map { m in
            CatalogState.freshness(catalog.movies[m], count: stats[m].count, added: m >= added)
        }
        genreRanking = (0..<catalog.genres.count).map { _ in [] }
        fresh = []
        for g in 0..<catalog.genres.count {
            let members = catalog.movies.indices.filter { catalog.movies[$0].genres.contains(Int16(g)) }
            genreRanking[g] = MovieOrder.ranked(members.map { ($0, quality[$0]) }, limit: members.count)
        }
        rankFresh()
    }

    /// A movie's key in `fresh`: its release year, ties by rating count; nil without a year, or without ratings
    /// unless it was added.
    static func freshness(_ movie: Movie, count: Int, added: Bool) -> Double? {
        guard let year = movie.year, count > 0 || added else { return nil }
        return Double(year) + Double(min(count, 999)) / 1000
    }

    private mutating func rankFresh() {
        let keyed = freshness.indices.compactMap { m in freshness[m].map { (m, $0) } }
        fresh = MovieOrder.ranked(keyed, limit: CatalogState.freshLimit)
    }

    /// Puts `movie` in (a new id is appended) with the statistics it has (none when new); returns its index and
    /// whether it is new.
    /// - Complexity: O(movies) (the id index is rebuilt; fresh is re-ranked).
    mutating func upsert(_ movie: Movie, stats: MovieStats?, priorMean: Double) throws(Catalog.GrowthError) -> (
        index: Int, added: Bool
    ) {
        let (grown, m, added) = try catalog.upserting(movie)
        catalog = grown
        let mask = UserFeatureState.mask(movie.genres)
        let key = (stats ?? MovieStats()).bayesian(priorMean: priorMean)
        let fresher = CatalogState.freshness(movie, count: stats?.count ?? 0, added: true)
        if added {
            genreMasks.append(mask)
            years.append(movie.year)
            firstGenres.append(Array(movie.genres.prefix(3)))
            quality.append(key)
            freshness.append(fresher)
        } else {
            genreMasks[m] = mask
            years[m] = movie.year
            firstGenres[m] = Array(movie.genres.prefix(3))
            quality[m] = key
            freshness[m] = fresher
            for g in genreRanking.indices { genreRanking[g].removeAll { $0 == Int32(m) } }
        }
        for g in movie.genres {
            let list = genreRanking[Int(g)]
            let at = list.firstIndex { quality[Int($0)] < key || (quality[Int($0)] == key && Int($0) > m) }
            genreRanking[Int(g)].insert(Int32(m), at: at ?? list.count)
        }
        rankFresh()
        version += 1
        return (m, added)
    }
}
