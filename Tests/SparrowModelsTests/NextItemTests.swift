import Foundation
import SparrowCore
import SparrowTensor
import Testing

@testable import SparrowModels

@Suite("EASE, next-item signals and the listwise ranker")
struct NextItemTests {
    /// Three users over four items (item 3 never picked).
    static let matrix = InteractionMatrix(
        users: 3, items: 4, interactions: [(0, [0, 1]), (1, [1, 2]), (2, [0, 1, 2])])

    @Test("EASE matches the closed form computed in double precision")
    func easeClosedForm() throws {
        let ease = try EASE.fit(Self.matrix, lambda: 1)
        #expect(ease.items == [0, 1, 2], "the never-picked item is left out of the solve")
        // G + λI over items 0, 1, 2: G = [[2,2,1],[2,3,2],[1,2,2]].
        let g: [[Double]] = [[3, 2, 1], [2, 4, 2], [1, 2, 3]]
        // Inverse by cofactors.
        let det =
            g[0][0] * (g[1][1] * g[2][2] - g[1][2] * g[2][1]) - g[0][1] * (g[1][0] * g[2][2] - g[1][2] * g[2][0])
            + g[0][2] * (g[1][0] * g[2][1] - g[1][1] * g[2][0])
        func cofactor(_ i: Int, _ j: Int) -> Double {
            let r = [0, 1, 2].filter { $0 != i }
            let c = [0, 1, 2].filter { $0 != j }
            let minor = g[r[0]][c[0]] * g[r[1]][c[1]] - g[r[0]][c[1]] * g[r[1]][c[0]]
            return ((i + j) % 2 == 0 ? 1 : -1) * minor
        }
        let p = (0..<3).map { i in (0..<3).map { j in cofactor(j, i) / det } }
        for i in 0..<3 {
            for j in 0..<3 {
                let expected = i == j ? 0 : -p[i][j] / p[j][j]
                #expect(abs(Double(ease.weights[i * 3 + j]) - expected) < 1e-5)
            }
        }
        // A user who picked item 0 scores Σ B[0][·]; item 3 scores 0.
        let scores = ease.scores([(0, 1)])
        #expect(scores.count == 4 && scores[3] == 0 && scores[0] == 0)
        #expect(abs(Double(scores[1]) - (-p[0][1] / p[1][1])) < 1e-5)
    }

    @Test("recency weights: movies of one second share a weight, whatever their order")
    func recencyTies() {
        let h = RatingHistory(movies: [5, 9, 2, 7], timestamps: [10, 20, 20, 30])
        #expect(h.recencyWeights(decay: 0.5).map(\.weight) == [0.25, 0.5, 0.5, 1])
        #expect(h.recencyWeights(decay: 0.5, floor: 0.3).map(\.weight) == [0, 0.5, 0.5, 1], "0.25 is under the floor")
        #expect(h.moments == [[5], [9, 2], [7]])
        var g = h
        g.append(1, at: 15)
        #expect(g.movies == [5, 1, 9, 2, 7] && g.timestamps == [10, 15, 20, 20, 30])
    }

    @Test("transitions go between consecutive seconds, normalised per source movie")
    func transitions() {
        let histories = [
            RatingHistory(movies: [0, 1, 2], timestamps: [1, 2, 2]),  // 0 → 1, 0 → 2 (same second: one step)
            RatingHistory(movies: [0, 1], timestamps: [5, 6]),  // 0 → 1
        ]
        let t = TransitionModel(histories: histories, catalogSize: 3)
        let scores = t.scores([(0, 1)])
        #expect(abs(scores[1] - 2.0 / 3) < 1e-6 && abs(scores[2] - 1.0 / 3) < 1e-6 && scores[0] == 0)
        #expect(t.scores([(1, 1)]) == [0, 0, 0], "nothing followed movie 1")
    }

    @Test("item neighbours are cosine similarities on the user × item matrix")
    func neighbours() {
        let n = ItemNeighbours(gram: GramMatrix(Self.matrix), catalogSize: 4, k: 2)
        // cos(0, 1) = 2 / √(2·3); cos(0, 2) = 1 / √(2·2).
        let s = n.scores([(0, 1)])
        #expect(abs(s[1] - Float(2 / (6.0).squareRoot())) < 1e-6 && abs(s[2] - 0.5) < 1e-6 && s[3] == 0)
    }

    @Test("ALS fold-in solves the user's weighted least squares exactly")
    func alsFoldIn() {
        let k = 3
        let y: [Float] = [0.5, -0.2, 0.1, 0.3, 0.4, -0.1, -0.2, 0.1, 0.6, 0.05, 0.05, 0.05]
        let fold = ALSFoldIn(factors: k, itemFactors: y, confidence: 3, regularization: 0.1)
        let x = fold.userFactors([(0, 1), (2, 1)])
        // (YᵀY + λI + (c−1)·Σ yᵢyᵢᵀ)·x = c·Σ yᵢ over the observed items 0 and 2.
        for a in 0..<k {
            var lhs: Float = 0.1 * x[a]
            for r in 0..<4 { for b in 0..<k { lhs += y[r * k + a] * y[r * k + b] * x[b] } }
            for r in [0, 2] { for b in 0..<k { lhs += 2 * y[r * k + a] * y[r * k + b] * x[b] } }
            let rhs = 3 * (y[a] + y[2 * k + a])
            #expect(abs(lhs - rhs) < 1e-4)
        }
        let scores = fold.scores([(0, 1), (2, 1)])
        #expect(scores.count == 4 && abs(scores[1] - (y[3] * x[0] + y[4] * x[1] + y[5] * x[2])) < 1e-6)
    }

    @Test("the listwise ranker learns which feature marks the pick")
    func rankerLearns() {
        var rng = SeededGeneratorLite(seed: 3)
        let lists = (0..<200).map { i -> RankingList in
            let count = 5 + i % 7
            let target = i % count
            var f = [Float](repeating: 0, count: count * 2)
            for r in 0..<count {
                f[r * 2] = (r == target ? 1 : 0) + 0.3 * rng.unit()
                f[r * 2 + 1] = rng.unit()
            }
            return RankingList(features: f, target: target, count: count)
        }
        var config = ListwiseRanker.Config()
        config.epochs = 20
        let ranker = ListwiseRanker.fit(lists, width: 2, config: config)
        let hits = lists.filter { l in
            let s = ranker.scores(l.features, count: l.count)
            return s.indices.max { s[$0] < s[$1] } == l.target
        }.count
        #expect(hits == lists.count)
        #expect(ranker.linear[0] > 0 && abs(ranker.linear[1]) < ranker.linear[0])
    }

    @Test("training lists come from the training data only: a held-out movie is never a label nor in any input history")
    func honestLists() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("next-\(UUID().uuidString)").path
        try SyntheticDataset(users: 80, movies: 150, ratings: 4000, seed: 5).write(to: folder)
        let catalog = try MovieLensReader.load(directory: folder)
        let split = HoldOutSplit(catalog: catalog)
        let training = split.trainingCatalog(catalog)
        let data = NextItemModel.histories(training)
        let histories = data.histories
        var config = NextItemSignals.Config()
        config.sasrec?.epochs = 2
        let inner = try NextItemSignals.fit(
            histories: NextItemModel.withoutTargets(data, minimumLength: 3), genres: data.genres, config: config)
        let (lists, users) = NextItemModel.trainingLists(signals: inner, data: data)
        #expect(users > 50 && lists.count > 10)
        let heldOut = Dictionary(uniqueKeysWithValues: split.cases.map { ($0.user, $0.heldOut!) })
        for (u, h) in histories.enumerated() {
            if let held = heldOut[u] {
                #expect(!h.movies.contains(held), "user \(u)'s held-out movie is in their training history")
            }
        }
        let allHeldOut = Set(heldOut.values)
        for list in lists {
            let u = try #require(list.user)
            let label = try #require(list.movies?[list.target])
            #expect(
                label == histories[u].movies[histories[u].liked.lastIndex(of: true)!] && label != heldOut[u],
                "the last training positive"
            )
            // Any user's held-out movie may appear as an unlabelled candidate (it is a future pick no model can know),
            // never as anyone's label for the same user.
            _ = allHeldOut
        }
        // Save and load give the same recommendations.
        let model = try NextItemModel.train(data, config: config)
        try model.save(to: folder + "/next-item")
        let loaded = try NextItemModel.load(from: folder + "/next-item")
        let skip = [UInt8](repeating: 0, count: catalog.movies.count)
        #expect(
            loaded.recommend(histories[3], skip: skip).map(\.movie)
                == model.recommend(histories[3], skip: skip).map(\.movie))
        try Data("x".utf8).write(to: URL(fileURLWithPath: folder + "/next-item/arrays.bin"))
        #expect(throws: ArrayArchive.ReadError.self) { try NextItemModel.load(from: folder + "/next-item") }
    }

    @Test("several lists per user: labelled by the last positives, inputs before each, signals fitted without any")
    func severalListsPerUser() throws {
        // User 0: positives at 0, 1, 3, 4, 6 (2 and 5 disliked); user 1: two positives only (no list).
        func history(_ movies: [Int32], liked: [Bool]) -> RatingHistory {
            RatingHistory(movies: movies, timestamps: movies.indices.map { Int64($0) * 10 }, liked: liked)
        }
        let data = NextItemModel.TrainingData(
            histories: [
                history([0, 1, 2, 3, 4, 5, 6], liked: [true, true, false, true, true, false, true]),
                history([1, 2, 3], liked: [true, false, true]),
            ],
            positives: [5, 2], genres: [UInt64](repeating: 1, count: 8))
        #expect(NextItemModel.targetPositions(data, user: 0, targets: 3, minimumLength: 3) == [3, 4, 6])
        #expect(NextItemModel.targetPositions(data, user: 0, targets: 9, minimumLength: 3) == [3, 4, 6])
        #expect(NextItemModel.targetPositions(data, user: 0, targets: 1, minimumLength: 3) == [6])
        #expect(NextItemModel.targetPositions(data, user: 1, targets: 3, minimumLength: 3).isEmpty)
        let shortened = NextItemModel.withoutTargets(data, minimumLength: 3, targets: 3)
        #expect(shortened[0].movies == [0, 1, 2, 5] && shortened[0].liked == [true, true, false, false])
        #expect(shortened[1] == data.histories[1])
        var config = NextItemSignals.Config()
        config.sasrec = nil
        let signals = try NextItemSignals.fit(histories: shortened, genres: data.genres, config: config)
        let (lists, cases) = NextItemModel.trainingLists(signals: signals, data: data, targets: 3)
        #expect(cases == 3 && lists.count == 3, "every pick is among the 8 movies' candidates")
        #expect(lists.allSatisfy { $0.user == 0 })
        let labels = lists.map { $0.movies![$0.target] }
        #expect(Set(labels).isSubset(of: [3, 4, 6]))
        for l in lists {
            let label = l.movies![l.target]
            // An earlier target's candidates exclude only what was rated before it: the later movies may be there.
            let input: [Int32] = label == 6 ? [0, 1, 2, 3, 4, 5] : Array(0..<label)
            #expect(input.allSatisfy { !l.movies!.contains($0) }, "list for \(label) has a movie of its input")
            // The features are those of the input history alone.
            let expected = signals.candidates(
                label == 6 ? data.histories[0].removing(at: 6) : data.histories[0].prefix(Int(label)),
                skip: (0..<8).map { input.contains(Int32($0)) ? 1 : 0 })
            #expect(expected.movies == l.movies! && expected.features == l.features)
        }
    }
}
