import Foundation
import SparrowCore
import Testing

@testable import SparrowModels

@Suite("A next-item model over the most-rated movies of a larger catalogue")
struct MovieVocabularyTests {
    /// Five movies; users rated 1, 3, 3, 0 and 2 of them: movie 3 by nobody, movies 1 and 2 by three users.
    static let data = NextItemModel.TrainingData(
        histories: [
            RatingHistory(movies: [1, 2, 0], timestamps: [1, 2, 3], liked: [true, false, true]),
            RatingHistory(movies: [2, 1, 4], timestamps: [1, 1, 2], liked: [true, true, true]),
            RatingHistory(movies: [1, 2, 2], timestamps: [5, 6, 7], liked: [false, true, true]),
        ],
        positives: [2, 3, 2], genres: [1, 2, 4, 8, 16])

    @Test("the most-rated movies by users (a movie rated twice by one user counts once), ties to the lower index")
    func mostRated() throws {
        #expect(MovieVocabulary.mostRated(Self.data, maxMovies: 5) == nil, "the whole catalogue fits")
        let v = try #require(MovieVocabulary.mostRated(Self.data, maxMovies: 3))
        #expect(v.movies == [0, 1, 2] && v.catalogSize == 5, "1 and 2 (3 users), then 0 over 4 (1 user each)")
        #expect(v.index(of: 2) == 2 && v.index(of: 4) == nil && v.index(of: 7) == nil && v.index(of: -1) == nil)
        let two = try #require(MovieVocabulary.mostRated(Self.data, maxMovies: 2))
        #expect(two.movies == [1, 2])
        // Histories in model indices: movies outside dropped, order, times and liked flags kept.
        let h = two.restrict(Self.data.histories[1])
        #expect(h.movies == [1, 0] && h.timestamps == [1, 1] && h.liked == [true, true])
        #expect(two.restrict(skip: [1, 0, 1, 1, 1]) == [0, 1] && two.restrict(skip: [0, 1]) == [1, 0])
        let restricted = two.restrict(Self.data)
        #expect(restricted.positives == [1, 2, 2] && restricted.genres == [2, 4])
        #expect(restricted.histories[2].movies == [0, 1, 1])
    }

    @Test("trained over the most-rated movies: lists in catalogue indices, the same as a model of the cut data, saved")
    func servedVocabulary() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vocab-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try SyntheticDataset(users: 60, movies: 150, ratings: 3000, seed: 4).write(to: folder)
        let data = NextItemModel.histories(try MovieLensReader.load(directory: folder))
        var config = NextItemSignals.Config()
        config.sasrec = nil
        var budget = NextItemModel.Budget()
        budget.servingMovies = 60
        let model = try NextItemModel.train(data, config: config, budget: budget)
        let vocabulary = try #require(model.vocabulary)
        #expect(vocabulary.movies.count == 60 && model.signals.logPopularity.count == 60 && model.catalogSize == 150)
        let direct = try NextItemModel.train(vocabulary.restrict(data), config: config, budget: budget)
        #expect(direct.vocabulary == nil)
        try model.save(to: folder + "/next-item")
        let loaded = try NextItemModel.load(from: folder + "/next-item")
        #expect(loaded.vocabulary == vocabulary)
        let inside = Set(vocabulary.movies)
        for u in 0..<10 {
            let h = data.histories[u]
            let skip = (0..<150).map { m in h.movies.contains(Int32(m)) ? UInt8(1) : 0 }
            let ranked = model.recommend(h, skip: skip)
            #expect(!ranked.isEmpty && ranked.allSatisfy { inside.contains($0.movie) && skip[Int($0.movie)] == 0 })
            let alone = direct.recommend(vocabulary.restrict(h), skip: vocabulary.restrict(skip: skip))
            #expect(ranked.map(\.movie) == alone.map { vocabulary.movies[Int($0.movie)] })
            #expect(ranked.map(\.score) == alone.map(\.score))
            #expect(loaded.recommend(h, skip: skip).map(\.movie) == ranked.map(\.movie))
            // A full-ranking evaluation reads catalogue-sized scores: −∞ outside the vocabulary.
            let scores = model.catalogScores(h)
            #expect(scores.count == 150)
            #expect((0..<150).allSatisfy { inside.contains(Int32($0)) || scores[$0] == -.infinity })
        }
    }
}
