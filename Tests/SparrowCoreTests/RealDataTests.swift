import Testing

@testable import SparrowCore

@Suite("ml-latest-small", .enabled(if: RealData.available, "needs ml-latest-small: set SPARROW_DATA"))
struct RealDataTests {
    @Test("exact statistics of the real dataset")
    func stats() throws {
        let catalog = try MovieLensReader.load(directory: RealData.directory!)
        let stats = CatalogStats(catalog)
        #expect(stats.movies == 9742)
        #expect(stats.users == 610)
        #expect(stats.ratings == 100_836)
        #expect(stats.ratedMovies == 9724)
        #expect(stats.titlesWithCommas == 2079)
        #expect(stats.titlesWithoutPlainYear == 13)
        #expect(stats.moviesWithoutYear == 12)
        #expect(stats.moviesWithoutGenres == 34)
        #expect(stats.firstTimestamp == 828_124_615)  // 1996-03-29
        #expect(stats.lastTimestamp == 1_537_799_250)  // 2018-09-24
        #expect(stats.ratingHistogram["4.0"] == 26818)
        #expect(stats.ratingHistogram["0.5"] == 1370)
        #expect(stats.ratingsPerUser == .init(min: 20, median: 70, max: 2698))
        #expect(stats.genreCounts["Drama"] == 4361)
        #expect(catalog.genres.count == 19)
        #expect(catalog.movie(id: 176601)?.title == "Black Mirror")
    }

    @Test("catalog invariants hold on real data")
    func invariants() throws {
        let catalog = try MovieLensReader.load(directory: RealData.directory!)
        #expect(catalog.userRatingStart.last == catalog.ratings.count)
        var seen = [Bool](repeating: false, count: catalog.ratings.count)
        for u in 0..<catalog.userIds.count {
            let rows = catalog.ratingsOfUser(u)
            for r in rows {
                #expect(Int(catalog.ratings.user[Int(r)]) == u)
                seen[Int(r)] = true
            }
            for (a, b) in zip(rows, rows.dropFirst()) {
                let ta = catalog.ratings.timestamp[Int(a)]
                let tb = catalog.ratings.timestamp[Int(b)]
                #expect(ta < tb || (ta == tb && catalog.ratings.movie[Int(a)] <= catalog.ratings.movie[Int(b)]))
            }
        }
        #expect(seen.allSatisfy { $0 })
        for (i, movie) in catalog.movies.enumerated() { #expect(catalog.movieIndex(id: movie.id) == i) }
    }
}
