import Foundation
import SparrowCore
import Testing

@testable import SparrowModels

@Suite("SASRec")
struct SASRecTests {
    /// A small, deterministic model for toy sequences.
    static func small(epochs: Int) -> SASRec.Config {
        var config = SASRec.Config()
        config.dim = 16
        config.maxLength = 10
        config.epochs = epochs
        config.batch = 8
        config.dropout = 0
        config.learningRate = 0.01
        return config
    }

    @Test("training windows cover every transition once, newest window first")
    func windows() {
        #expect(SASRec.windows([1, 2, 3, 4, 5, 6, 7], length: 3) == [[5, 6, 7], [3, 4, 5], [1, 2, 3]])
        #expect(SASRec.windows([1, 2, 3, 4, 5, 6], length: 3) == [[4, 5, 6], [2, 3, 4], [1, 2]])
        #expect(SASRec.windows([1, 2], length: 3) == [[1, 2]])
        #expect(SASRec.windows([1], length: 3).isEmpty)
    }

    @Test("learns a deterministic next movie from sequences")
    func learnsCycles() throws {
        // Users walk a cycle over 8 movies from different starting points: the next movie is always (last + 1) % 8.
        let histories = (0..<40).map { u -> RatingHistory in
            let movies = (0..<12).map { Int32((u + $0) % 8) }
            return RatingHistory(movies: movies, timestamps: (0..<12).map { Int64(1000 * u + $0) })
        }
        var config = Self.small(epochs: 40)
        config.heads = 2
        let model = SASRec.fit(histories: histories, catalogSize: 8, config: config)
        for last in 0..<8 {
            let h = RatingHistory(
                movies: (0..<5).map { Int32((last + 8 - 4 + $0) % 8) }, timestamps: (0..<5).map { Int64($0) })
            let s = model.scores(h)
            #expect(s.indices.max { s[$0] < s[$1] } == (last + 1) % 8)
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sasrec-\(UUID().uuidString)").path
        try model.save(to: folder)
        let loaded = try SASRec.load(from: folder)
        let h = histories[0]
        #expect(loaded.scores(h) == model.scores(h))
    }

    @Test("settings round-trip; a model saved by the previous version loads, its removed settings ignored")
    func settingsFormat() throws {
        var config = SASRec.Config()
        (config.dim, config.minTargetCount) = (32, 2)
        let saved = try JSONEncoder().encode(config)
        #expect(try JSONDecoder().decode(SASRec.Config.self, from: saved) == config)
        let older = Data(
            (#"{"maxLength":50,"dim":64,"blocks":2,"heads":1,"dropout":0.2,"epochs":20,"batch":16,"#
                + #""learningRate":0.005,"seed":1,"input":"liked","scaleEmbeddings":true}"#).utf8)
        let decoded = try JSONDecoder().decode(SASRec.Config.self, from: older)
        #expect(decoded.dim == 64 && decoded.minTargetCount == 1 && decoded.negatives == 0)
    }

    @Test("movies of one second are ordered by a hash of the movie, not by id")
    func tieOrder() {
        let h = RatingHistory(movies: [3, 1, 2, 9, 5], timestamps: [1, 2, 2, 2, 3])
        let s = SASRec.sequence(h)
        #expect(s.first == 3 && s.last == 5 && Set(s[1...3]) == [1, 2, 9])
        #expect(SASRec.sequence(RatingHistory(movies: [3, 9, 2, 1, 5], timestamps: [1, 2, 2, 2, 3])) == s)
    }

    @Test("the softmax runs over frequent targets only; the rest score below every one of them, after a reload too")
    func outputVocabulary() throws {
        // Users walk a cycle over movies 0–5; movies 6 and 7 open a few histories (inputs, never targets), and movie 8
        // is the target of one history only.
        var histories = (0..<30).map { u -> RatingHistory in
            let start = [Int32(6 + u % 2)]
            let movies = start + (0..<8).map { Int32((u + $0) % 6) }
            return RatingHistory(movies: movies, timestamps: (0..<9).map { Int64(1000 * u + $0) })
        }
        histories.append(RatingHistory(movies: [0, 8], timestamps: [1, 2]))
        var config = Self.small(epochs: 30)
        config.minTargetCount = 2
        let model = SASRec.fit(histories: histories, catalogSize: 10, config: config)
        #expect(model.outputs == [0, 1, 2, 3, 4, 5])
        let h = RatingHistory(movies: [6, 2, 3], timestamps: [1, 2, 3])
        let s = model.scores(h)
        #expect(s.indices.max { s[$0] < s[$1] } == 4)
        let lowest = s[0..<6].min()!
        #expect((6..<10).allSatisfy { s[$0] == lowest - 1 })
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sasrec-\(UUID().uuidString)").path
        try model.save(to: folder)
        let loaded = try SASRec.load(from: folder)
        #expect(loaded.outputs == model.outputs)
        #expect(loaded.scores(h) == s)
        // A minimum of 1: every movie that is ever a target; nil when that is the whole catalogue.
        config.minTargetCount = 1
        config.epochs = 1
        #expect(SASRec.fit(histories: histories, catalogSize: 9, config: config).outputs == [0, 1, 2, 3, 4, 5, 8])
        let cycles = histories.map {
            RatingHistory(movies: Array($0.movies.dropFirst()), timestamps: Array($0.timestamps.dropFirst()))
        }
        #expect(SASRec.fit(histories: Array(cycles.prefix(30)), catalogSize: 6, config: config).outputs == nil)
    }

    @Test("early stopping ends after `patience` epochs without gain and keeps the best epoch's weights")
    func earlyStopping() {
        let histories = (0..<20).map { u -> RatingHistory in
            RatingHistory(movies: (0..<8).map { Int32((u + $0) % 6) }, timestamps: (0..<8).map { Int64($0) })
        }
        let validation = [0.1, 0.5, 0.3, 0.2, 0.9]
        var epochs = 0
        var seen: [[Float]] = []
        let rule = SASRec.EarlyStopping(patience: 2) { model in
            seen.append(model.parameters.flatMap(\.values))
            epochs += 1
            return validation[epochs - 1]
        }
        let model = SASRec.fit(histories: histories, catalogSize: 6, config: Self.small(epochs: 5), earlyStopping: rule)
        #expect(epochs == 4)
        #expect(model.parameters.flatMap(\.values) == seen[1])
        #expect(seen[1] != seen[3])
        // The split holds each history's last liked movie out of its training and asks for it.
        let h = RatingHistory(movies: [1, 2, 3, 4], timestamps: [1, 2, 3, 4], liked: [true, true, false, false])
        let split = SASRec.EarlyStopping.lastLiked([h, RatingHistory(movies: [5], timestamps: [1])], patience: 1)
        #expect(split.training.map(\.movies) == [[1, 3, 4], [5]])
    }
}
