import Testing

@testable import SparrowCore

@Suite("A catalogue that grows")
struct CatalogGrowthTests {
    static func catalog() -> Catalog {
        var ratings = RatingTable()
        ratings.append(user: 0, movie: 1, rating: 4, timestamp: 10)
        ratings.append(user: 0, movie: 0, rating: 3, timestamp: 20)
        return Catalog(
            movies: [
                Movie(id: 2, title: "Two", year: 1990, genres: [0]),
                Movie(id: 7, title: "Seven", year: 1995, genres: [1]),
            ], genres: ["Drama", "Comedy"], userIds: [5], ratings: ratings)
    }

    @Test("a new id is appended at the end; every earlier index and the ratings stay as they were")
    func appended() throws {
        let base = Self.catalog()
        #expect(base.nextMovieId == 8)
        let (grown, index, added) = try base.upserting(Movie(id: 8, title: "Eight", year: 2026, genres: [0, 1]))
        #expect(index == 2 && added)
        #expect(grown.movies.map(\.id) == [2, 7, 8])
        #expect(grown.movieIndex(id: 8) == 2 && grown.movieIndex(id: 7) == 1 && grown.movieIndex(id: 2) == 0)
        #expect(grown.ratings == base.ratings && Array(grown.ratingsOfUser(0)) == [0, 1])
        #expect(base.movieIndex(id: 8) == nil, "the original is unchanged")
    }

    @Test("a known id is updated in place; a new id below the largest is refused")
    func updatedOrRefused() throws {
        let base = Self.catalog()
        let (updated, index, added) = try base.upserting(Movie(id: 2, title: "Two, Restored", year: 1991, genres: [1]))
        #expect(index == 0 && !added)
        #expect(updated.movies[0].title == "Two, Restored" && updated.movies[0].genres == [1])
        #expect(updated.movies.count == 2)
        #expect(throws: Catalog.GrowthError.idNotAbove(id: 5, largest: 7)) {
            try base.upserting(Movie(id: 5, title: "Five", year: nil, genres: []))
        }
        #expect(throws: Catalog.GrowthError.invalidId(0)) {
            try base.upserting(Movie(id: 0, title: "Zero", year: nil, genres: []))
        }
    }
}
