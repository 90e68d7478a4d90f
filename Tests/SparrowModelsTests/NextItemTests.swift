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

    @Test("EASE scores a batch of histories a panel of columns at a time, exactly as one row at a time")
    func easeBatchScores() {
        // 300 modelled items (two panels of columns: 256 and 44) in a catalogue of 305; items 300…304 are outside.
        let n = 300
        var state: UInt64 = 7
        let weights = (0..<(n * n)).map { _ -> Float in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Float(Int(state >> 40) % 2001 - 1000) / 997
        }
        let ease = EASE(lambda: 1, catalogSize: n + 5, items: Array((0..<Int32(n)).reversed()), weights: weights)
        let histories: [[Int32]] = [[3, 299, 302, 3, 150], [], [0], [301, 7, 8]]
        let weightings: [[[Float]]] = [
            [[1, 1, 1, 1, 1], [0.25, 0, 0.5, 0.75, 1]], [[], []], [[1], [0]], [[1, 1, 1], [0.3, -0.7, 1]],
        ]
        let batch = ease.scores(histories: histories, weightings: weightings)
        for (u, history) in histories.enumerated() {
            for k in 0..<2 {
                // The reference: one row after another in history order, product and sum each rounded.
                var dense = [Float](repeating: 0, count: n)
                for (position, item) in history.enumerated() where item < Int32(n) {
                    let w = weightings[u][k][position]
                    guard w != 0 else { continue }
                    let d = n - 1 - Int(item)
                    for j in 0..<n {
                        let product = w * weights[d * n + j]
                        dense[j] = dense[j] + product
                    }
                }
                let expected = (0..<(n + 5)).map { m in m < n ? dense[n - 1 - m] : 0 }
                #expect(batch[u][k] == expected, "history \(u), weighting \(k)")
                #expect(ease.scores(items: history, weightings: weightings[u])[k] == expected)
            }
        }
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

    @Test("an ALS half-step converges to the rows' weighted least squares, on any number of threads")
    func alsHalfStep() {
        // 600 users (three blocks of rows) over 9 items; 9 factors, so 9 conjugate-gradient steps solve exactly.
        let k = 9
        var rng = SeededGeneratorLite(seed: 3)
        let y = (0..<(9 * k)).map { _ in rng.unit() - 0.5 }
        let matrix = InteractionMatrix(
            users: 600, items: 9,
            interactions: (0..<600).map { u in (u, (0..<9).filter { ($0 * 7 + u) % 3 == 0 }.map(Int32.init)) })
        var als = ImplicitALS()
        (als.factors, als.cgSteps, als.confidence, als.regularization) = (k, 30, 3, 0.1)
        let start = (0..<(600 * k)).map { _ in rng.unit() * 0.01 }
        var x = start
        als.solve(&x, fixed: y, matrix: matrix)
        let fold = ALSFoldIn(factors: k, itemFactors: y, confidence: 3, regularization: 0.1)
        for u in [0, 1, 2, 255, 256, 599] {
            let exact = fold.userFactors(matrix.items(of: u).map { ($0, 1) })
            for a in 0..<k { #expect(abs(x[u * k + a] - exact[a]) < 1e-3, "user \(u), factor \(a)") }
        }
        als.threads = 1
        var one = start
        als.solve(&one, fixed: y, matrix: matrix)
        #expect(one == x, "the same factors on one thread")
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
        // The like-rate column (the fourth point-in-time one) as of the input's newest rating; the gap columns on the
        // pick's day.
        var timedConfig = config
        (timedConfig.sasrec, timedConfig.gapColumns) = (nil, true)
        let timed = try NextItemSignals.fit(
            histories: NextItemModel.withoutTargets(data, minimumLength: 3), genres: data.genres, config: timedConfig)
        let width = NextItemSignals.featureCount
        for list in NextItemModel.trainingLists(signals: timed, data: data).lists {
            let h = histories[try #require(list.user)]
            let pick = Int32(h.timestamps[h.liked.lastIndex(of: true)!] / 86_400)
            let day = min(timed.timeline.lastDay + 1, pick)
            // The gap columns: from the input's newest rating (the history without its last positive) to the pick.
            let input = h.removing(at: h.liked.lastIndex(of: true)!)
            let newest = timed.timeline.requestDay(input)
            let gap = log1p(Float(max(0, pick - Int32(input.timestamps.last! / 86_400))))
            for (row, movie) in try #require(list.movies).enumerated() {
                let rate = timed.timeline.features(movie, day: newest, window: 90, longWindow: 365, columns: 0b1000).3
                #expect(list.features[row * width + NextItemSignals.pointInTimeColumn + 3] == rate)
                #expect(list.features[(row * width + NextItemSignals.pointInTimeColumn)...].prefix(3) == [0, 0, 0])
                let recent = timed.timeline.features(movie, day: day, window: 90, longWindow: 365, columns: 1).0
                let popularity = list.features[row * width + NextItemSignals.popularityColumn]
                #expect(list.features[row * width + NextItemSignals.gapColumn] == popularity * gap)
                #expect(list.features[row * width + NextItemSignals.gapColumn + 1] == recent * gap)
            }
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

    @Test("training lists: the last positive labels a list whose input and signals are without it")
    func trainingListsLabelTheLastPositive() throws {
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
        #expect(NextItemModel.targetPosition(data, user: 0, minimumLength: 3) == 6)
        #expect(NextItemModel.targetPosition(data, user: 0, minimumLength: 6) == nil)
        #expect(NextItemModel.targetPosition(data, user: 1, minimumLength: 3) == nil)
        var config = NextItemSignals.Config()
        config.sasrec = nil
        let input: [Int32] = [0, 1, 2, 3, 4, 5]
        let shortened = NextItemModel.withoutTargets(data, minimumLength: 3)
        #expect(shortened[0].movies == input)
        #expect(shortened[1] == data.histories[1], "user 1 has no labelling positive")
        let signals = try NextItemSignals.fit(histories: shortened, genres: data.genres, config: config)
        let (lists, cases) = NextItemModel.trainingLists(signals: signals, data: data)
        #expect(cases == 1 && lists.count == 1, "the pick is among the 8 movies' candidates")
        let l = try #require(lists.first)
        #expect(l.user == 0 && l.movies![l.target] == 6)
        #expect(input.allSatisfy { !l.movies!.contains($0) }, "the list has a movie of its input")
        // The features are those of the input history alone, on the pick's day (every rating here is on day 0).
        let expected = signals.candidates(shortened[0], skip: (0..<8).map { input.contains(Int32($0)) ? 1 : 0 }, day: 0)
        #expect(expected.movies == l.movies! && expected.features == l.features)
    }

    /// Movie 1 is rated on days 1 (liked), 5 (not liked) and 9 (liked, the timeline's end); movie 0 on days 1 and 2;
    /// movie 2 on day 3.
    static let timedHistories = [
        RatingHistory(movies: [0, 1], timestamps: [1 * 86_400, 1 * 86_400], liked: [true, true]),
        RatingHistory(movies: [0, 1], timestamps: [2 * 86_400, 5 * 86_400], liked: [true, false]),
        RatingHistory(movies: [2, 1], timestamps: [3 * 86_400, 9 * 86_400], liked: [true, true]),
    ]

    @Test("the like-rate column: the movie's smoothed like rate as of the day of the user's newest rating")
    func likeRateColumn() throws {
        let day: Int64 = 86_400
        // The user's newest rating is on day 2.
        var config = NextItemSignals.Config()
        config.sasrec = nil
        let user = RatingHistory(movies: [0], timestamps: [2 * day], liked: [true])
        let signals = try NextItemSignals.fit(histories: Self.timedHistories, genres: [1, 1, 1], config: config)
        #expect(signals.timeline.requestDay(user) == 2)
        // Movie 1 before day 2: one rating, liked; whatever the request's day.
        let like = NextItemSignals.pointInTimeColumn + 3
        let share = signals.timeline.likedShare
        for requestDay: Int32? in [nil, 2, 6, 40] {
            let row = signals.features([1], signals.scores(user), history: user, day: requestDay)
            #expect(abs(row[like] - (1 + 5 * share) / (1 + 5)) < 1e-6)
            #expect(row[NextItemSignals.pointInTimeColumn..<like] == [0, 0, 0])
        }
    }

    @Test("gap columns: popularity and recent ratings times log(1 + days since the newest rating), as of the request")
    func gapColumns() throws {
        let day: Int64 = 86_400
        let histories = Self.timedHistories
        var config = NextItemSignals.Config()
        (config.sasrec, config.gapColumns) = (nil, false)
        let user = RatingHistory(movies: [0], timestamps: [2 * day + 300], liked: [true])
        let off = try NextItemSignals.fit(histories: histories, genres: [1, 1, 1], config: config)
        let g = NextItemSignals.gapColumn
        #expect(off.features([1], off.scores(user), history: user, day: 6)[g...] == [0, 0])
        config.gapColumns = true
        let signals = try NextItemSignals.fit(histories: histories, genres: [1, 1, 1], config: config)
        let scores = signals.scores(user)
        // Movie 1 is the most rated (popularity column 1). A request on day 6: 4 days after the newest rating, 2 of
        // movie 1's ratings in the 90 days before it.
        #expect(signals.features([1], scores, history: user, day: 6)[g...] == [log1p(4), log1p(2) * log1p(4)])
        // Served (no day): on the day after the timeline's end (10), 8 days on, all 3 ratings in the window.
        #expect(signals.features([1], scores, history: user)[g...] == [log1p(8), log1p(3) * log1p(8)])
        // A request past the timeline's end counts its days, but its ratings as of the end.
        #expect(signals.features([1], scores, history: user, day: 40)[g...] == [log1p(38), log1p(3) * log1p(38)])
        // The same day as the newest rating (or before it): no gap, zero columns.
        #expect(signals.features([1], scores, history: user, day: 2)[g...] == [0, 0])
        #expect(signals.features([1], scores, history: user, day: 1)[g...] == [0, 0])
        // Movie 2 (one rating, on day 3): popularity log(2) / log(4).
        let two = signals.features([2], scores, history: user, day: 6)[g...]
        #expect(abs(two.first! - log1p(1) / log1p(3) * log1p(4)) < 1e-6 && two.last! == log1p(1) * log1p(4))
    }

    @Test("genre popularity: log-popularity × the mean share of the user's liked movies among the movie's genres")
    func genrePopularity() throws {
        // Genres: movie 0 {0}, 1 {0, 1}, 2 {1}, 3 {} , 4 {0, 1} (the same set as movie 1).
        let genres: [UInt64] = [0b01, 0b11, 0b10, 0, 0b11]
        let histories = [
            RatingHistory(movies: [0, 1, 2], timestamps: [1, 2, 3], liked: [true, true, false]),
            RatingHistory(movies: [0, 4], timestamps: [1, 2], liked: [true, true]),
        ]
        var config = NextItemSignals.Config()
        config.sasrec = nil
        let signals = try NextItemSignals.fit(histories: histories, genres: genres, config: config)
        // Ratings per movie: 2, 1, 1, 0, 1.
        #expect(signals.logPopularity == [2, 1, 1, 0, 1].map { log1p(Float($0)) })
        // User 0 liked movies 0 and 1: genre 0 in both, genre 1 in one → shares 2/2 and 1/2.
        let one: Float = log1p(1)
        let s = signals.genreScores(histories[0])
        let two: Float = log1p(2)
        let expected: [Float] = [two * 2 / (1 * 2), one * 3 / (2 * 2), one * 1 / (1 * 2), 0, one * 3 / (2 * 2)]
        for m in 0..<5 { #expect(abs(s[m] - expected[m]) < 1e-6, "movie \(m)") }
        // Nothing liked yet: every rated movie counts.
        let unliked = RatingHistory(movies: [2], timestamps: [1], liked: [false])
        let alone: [Float] = [0, one * 1 / (2 * 1), one * 1 / (1 * 1), 0, one * 1 / (2 * 1)]
        #expect(signals.genreScores(unliked) == alone)
    }

    @Test("a batch of histories is ranked exactly as each one alone (EASE, ALS and SASRec done for the batch)")
    func batchEqualsAlone() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("batch-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try SyntheticDataset(users: 60, movies: 120, ratings: 3000, seed: 11).write(to: folder)
        let data = NextItemModel.histories(try MovieLensReader.load(directory: folder))
        var config = NextItemSignals.Config()
        config.sasrec?.epochs = 2
        config.sasrec?.minTargetCount = 3
        let model = try NextItemModel.train(data, config: config)
        #expect(model.signals.sasrec?.outputs != nil, "some movies are outside the softmax")
        // Every user, an empty history and a history with no liked movie, in batches of 7.
        var histories = data.histories + [RatingHistory()]
        histories.append(RatingHistory(movies: [3, 5], timestamps: [1, 2], liked: [false, false]))
        let skips = histories.map { h in (0..<120).map { m in h.movies.contains(Int32(m)) ? UInt8(1) : 0 } }
        for b in stride(from: 0, to: histories.count, by: 7) {
            let range = b..<min(b + 7, histories.count)
            let batch = model.recommend(Array(histories[range]), skips: Array(skips[range]))
            for (i, ranked) in zip(range, batch) {
                let alone = model.recommend(histories[i], skip: skips[i])
                #expect(ranked.map(\.movie) == alone.map(\.movie) && ranked.map(\.score) == alone.map(\.score))
            }
        }
        let ease = model.signals.easeScores(Array(histories.prefix(9)))
        for i in 0..<9 { #expect(ease[i] == model.signals.easeScores([histories[i]])[0], "EASE, history \(i)") }
        let sasrec = try #require(model.signals.sasrec)
        let many = sasrec.scores(Array(histories.prefix(9)))
        for i in 0..<9 { #expect(many[i] == sasrec.scores(histories[i]), "SASRec, history \(i)") }
        let folded = histories.prefix(9).map { h in h.positives.movies.map { (item: $0, weight: Float(1)) } }
        let als = model.signals.als.scores(Array(folded))
        for i in 0..<9 { #expect(als[i] == model.signals.als.scores(folded[i]), "ALS, history \(i)") }
    }
}
