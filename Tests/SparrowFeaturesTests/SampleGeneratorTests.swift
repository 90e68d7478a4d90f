import Foundation
import SparrowCore
import Testing

@testable import SparrowFeatures

@Suite("Point-in-time samples on a hand-computed fixture")
struct SampleGeneratorTests {
    @Test("users' first two ratings are dropped; four samples remain")
    func count() throws {
        let samples = FeatureFixture.samples(try FeatureFixture.catalog())
        #expect(Set(samples.keys) == ["1/3/200", "2/2/260", "3/2/260", "1/4/300"])
    }

    @Test("a user's third rating: window of two, a tie at t=100, a movie seen once before")
    func thirdRating() throws {
        let catalog = try FeatureFixture.catalog()
        let s = try #require(FeatureFixture.samples(catalog)["1/3/200"])
        let u = s.userFeatures
        #expect(u.ratingCount == 2)
        #expect(u.averageRating == 3.5)
        #expect(abs(u.ratingStddev! - 0.5.squareRoot()) < 1e-12)
        #expect(u.averageReleaseYear == 1995)
        #expect(abs(u.releaseYearStddev! - 50.0.squareRoot()) < 1e-9)
        #expect(u.recentPositives.map { catalog.movies[Int($0)].id } == [1])
        #expect(u.topGenres.map { catalog.genres[Int($0)] } == ["Drama", "Comedy"])  // tie → vocabulary order
        let m = s.movieFeatures
        #expect(m.releaseYear == nil)  // "Gamma" has no year: missing, not 1990
        #expect(m.ratingCount == 1)  // user 3 rated it at t=20
        #expect(m.averageRating == 1.0)
        #expect(m.ratingStddev == nil)
        #expect(m.firstRatingTime == 20)
    }

    @Test("two users rating one movie in the same second do not see each other")
    func sameSecond() throws {
        let catalog = try FeatureFixture.catalog()
        let samples = FeatureFixture.samples(catalog)
        for key in ["2/2/260", "3/2/260"] {
            let m = try #require(samples[key]).movieFeatures
            #expect(m.ratingCount == 1)
            #expect(m.averageRating == 3.0)
        }
        let u2 = try #require(samples["2/2/260"]).userFeatures
        #expect(u2.recentPositives.map { catalog.movies[Int($0)].id } == [4, 1])  // most recent first
        #expect(u2.topGenres.map { catalog.genres[Int($0)] } == ["Drama", "Comedy", "Action"])
        #expect(u2.averageReleaseYear == 2000)
        let u3 = try #require(samples["3/2/260"]).userFeatures
        #expect(u3.recentPositives.isEmpty)
        #expect(u3.topGenres.isEmpty)
        #expect(u3.averageReleaseYear == 1990)  // Gamma's unknown year is left out
        #expect(u3.releaseYearStddev == nil)
        #expect(abs(u3.ratingStddev! - 2.0.squareRoot()) < 1e-12)
    }

    @Test("context features")
    func context() throws {
        let catalog = try FeatureFixture.catalog()
        let s = try #require(FeatureFixture.samples(catalog)["2/2/260"])
        var table = SampleTable(genres: catalog.genres)
        table.append(s, catalog: catalog)
        #expect(table[.secondsSinceUserPrevious] == [10])
        #expect(table[.daysSinceMovieFirstRating] == [SampleCSV.twoDecimals(160.0 / 86_400)])
        #expect(table[.hourOfDay] == [0])
        #expect(table[.dayOfWeek] == [3])  // 1970-01-01 was a Thursday
        #expect(table[.label] == [1])
        #expect(table[.movieGenre1] == [Int32(catalog.genreIndex("Comedy")!)])
        #expect(table[.movieGenre2] == [-1])
        let late = ContextFeatures(timestamp: 1_537_799_250, movieFirstRating: nil, userPreviousRating: nil)
        #expect(late.hourOfDay == 14 && late.dayOfWeek == 0)  // 2018-09-24 14:27 UTC, a Monday
    }

    @Test("features computed online from the final state equal the snapshots of the offline pass")
    func onlineEqualsSnapshot() throws {
        let catalog = try FeatureFixture.catalog()
        let final = SampleGenerator(catalog: catalog).run { _ in }
        for u in 0..<catalog.userIds.count {
            #expect(catalog.userFeatureState(user: u).features() == final.users[u].features())
        }
        for m in 0..<catalog.movies.count {
            #expect(
                catalog.movieFeatureState(movie: m).features(of: catalog.movies[m])
                    == final.movies[m].features(of: catalog.movies[m]))
        }
        let u1 = final.users[0].features()
        #expect(u1.ratingCount == 4)
        #expect(u1.averageRating == 3.5)
        #expect(abs(u1.ratingStddev! - (5.0 / 3).squareRoot()) < 1e-12)
        #expect(u1.averageReleaseYear == 2000)
        #expect(u1.recentPositives.map { catalog.movies[Int($0)].id } == [3, 1])
        #expect(
            FeatureSnapshots.userLine(u1, userId: 1, catalog: catalog)
                == "1,3,1,,,,Drama,Comedy,,,,4,2000,10.00,3.50,1.29,300")
    }

    @Test("the window keeps only the last 100 ratings")
    func window() {
        var state = UserFeatureState(genreCount: 1)
        let movie = Movie(id: 1, title: "x", year: 2000, genres: [0])
        for k in 0..<150 { state.add(movieIndex: 0, movie: movie, rating: k < 50 ? 1 : 5, timestamp: Int64(k)) }
        let f = state.features()
        #expect(f.ratingCount == 100)
        #expect(f.averageRating == 5)
        #expect(f.ratingStddev == 0)
        #expect(state.positiveGenreCounts == [100])
        // The longer history keeps 20 recent positives, most recent first.
        #expect(f.recentPositives.count == UserFeatureState.historyCapacity)
    }

    @Test("samples carry up to 20 recent positives; the original's 27 columns still show five")
    func longHistory() throws {
        var state = UserFeatureState(genreCount: 1)
        for k in 0..<30 {
            state.add(
                movieIndex: Int32(k), movie: Movie(id: Int32(k), title: "m", year: nil, genres: [0]), rating: 4,
                timestamp: Int64(k))
        }
        #expect(state.features().recentPositives == (10..<30).reversed().map(Int32.init))
        let dir = try FeatureFixture.folder()
        try SyntheticDataset(users: 20, movies: 200, ratings: 1500, seed: 9).write(to: dir)
        let catalog = try MovieLensReader.load(directory: dir)
        var table = SampleTable(genres: catalog.genres)
        SampleGenerator(catalog: catalog).run { table.append($0, catalog: catalog) }
        #expect(table[.userRatedMovie20].contains { $0 != 0 })
        try SampleCSV.write(table, to: dir + "/s.csv")
        let header = try String(contentsOfFile: dir + "/s.csv", encoding: .utf8).split(separator: "\n")[0]
        #expect(header.split(separator: ",").count == 27)
        let back = try SampleCSV.read(path: dir + "/s.csv", genres: table.genres)
        #expect(back[.userRatedMovie6].allSatisfy { $0 == 0 })  // not in the 27 columns: missing
        #expect(back[.userRatedMovie5] == table[.userRatedMovie5])
    }

    @Test("batches of any size give the same samples and final states, timestamp groups kept whole across a boundary")
    func batchSizes() throws {
        let dir = try FeatureFixture.folder()
        try SyntheticDataset(users: 30, movies: 80, ratings: 1200, seed: 4).write(to: dir)
        for catalog in [try FeatureFixture.catalog(), try MovieLensReader.load(directory: dir)] {
            func run(_ size: Int) -> (rows: [SampleRow], final: SampleGenerator.FinalState) {
                var generator = SampleGenerator(catalog: catalog)
                generator.batchSize = size
                var rows: [SampleRow] = []
                let final = generator.run { rows.append($0) }
                return (rows, final)
            }
            let whole = run(1 << 30)
            #expect(!whole.rows.isEmpty)
            for size in [1, 2, 3, 7, 64] {
                let batched = run(size)
                #expect(batched.rows.map(\.ratingRow) == whole.rows.map(\.ratingRow), "batch \(size)")
                #expect(batched.rows.map(\.movieFeatures) == whole.rows.map(\.movieFeatures), "batch \(size)")
                #expect(batched.rows.map(\.userFeatures) == whole.rows.map(\.userFeatures), "batch \(size)")
                #expect(batched.final.users == whole.final.users && batched.final.movies == whole.final.movies)
            }
        }
        // The fixture's same-second pair (users 2 and 3 rate Beta at t = 260) split by a batch of one: neither sees
        // the other's rating in Beta's statistics.
        let catalog = try FeatureFixture.catalog()
        var generator = SampleGenerator(catalog: catalog)
        generator.batchSize = 1
        var counts: [Int] = []
        generator.run { row in if row.timestamp == 260 { counts.append(row.movieFeatures.ratingCount) } }
        #expect(counts == [1, 1])
    }
}
