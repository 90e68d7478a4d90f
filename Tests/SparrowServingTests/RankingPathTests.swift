import Foundation
import SparrowCore
import SparrowFeatures
import SparrowModels
import SparrowTestSupport
import Testing

@testable import SparrowOffline
@testable import SparrowServing

@Suite("Ranking inputs: paired encoding equals one sample row per candidate")
struct RankingPathTests {
    @Test(
        "every model kind scores the same through both paths, also after a movie is rated",
        arguments: [
            ModelKind.embeddingMLP, .wideDeep, .deepFM, .din, .logisticRegression,
        ])
    func pairedEqualsRows(kind: ModelKind) throws {
        let artifacts = try EngineFixture.copyOfArtifacts()
        let train = try SampleFile.read(path: artifacts + "/samples/trainingSamples.sparrow")
        let spec = FeatureSpec(fitting: train)
        let model = kind.make(spec: spec, config: ModelConfig())
        var training = TrainingConfig()
        training.epochs = 1
        let history = Trainer(config: training, log: { _ in }).fit(model, train: EncodedSamples(train, spec: spec))
        _ = try ModelArtifact.save(
            model, kind: kind, name: "probe", root: artifacts + "/models", training: training,
            testMetrics: nil, history: history, trainingSeconds: 0)
        let recommender = try ArtifactBuilder(root: artifacts).recommender(catalog: EngineFixture.data.catalog) { _ in }
        let loaded = try #require(recommender.models.model("probe"))
        #expect(EncodedSamples.canPair(loaded.artifact.spec))
        let catalog = EngineFixture.data.catalog
        func compare(user u: Int) {
            let live = recommender.snapshot(user: u)
            let candidates = recommender.recall(userId: catalog.userIds[u])
            #expect(candidates.count > 50)
            let paired = recommender.scoring.rank(
                candidates, user: u, userId: catalog.userIds[u], features: live.features,
                model: loaded, now: 1_700_000_000)
            let rows = recommender.scoring.rankRows(
                candidates, user: u, userId: catalog.userIds[u], features: live.features,
                model: loaded, now: 1_700_000_000)
            let worst = zip(paired, rows).map { abs($0 - $1) }.max() ?? 0
            #expect(worst < 1e-5, "\(kind.rawValue) user \(u): paired and row-by-row probabilities differ by \(worst)")
        }
        for u in [0, 3, 17, 42] { compare(user: u) }
        // A rating changes a movie's statistics: its cached row must be re-encoded.
        let target = recommender.recall(userId: catalog.userIds[5])[0]
        for k in 0..<30 {
            recommender.apply(
                userId: 900_000 + Int32(k), movie: Int(target.movie), rating: 0.5, timestamp: 1_700_000_000)
        }
        // The background refresh re-encodes it before any request needs it.
        recommender.refreshRatedMovies()
        let inputs = recommender.scoring.movieInputs(loaded)
        #expect(
            inputs.rows.withLock { $0.versions[Int(target.movie)] }
                == recommender.stats(movie: Int(target.movie)).count)
        compare(user: 5)
    }
}

@Suite("The default ranker reads the live history")
struct LiveRankerTests {
    @Test("a rating applied a moment ago changes the next list of the ranker trained to pick")
    func ratingChangesList() throws {
        let recommender = try EngineFixture.recommender()
        let catalog = EngineFixture.data.catalog
        let userId = catalog.userIds[11]
        let before = try recommender.recommend(userId: userId, n: 10)
        #expect(before.model == "ranker")
        let u = try #require(recommender.userIndex(id: userId))
        let rated = Set(recommender.ratings(user: u).map(\.movie))
        let shown = Set(before.items.map(\.movie))
        // A movie neither rated nor shown, liked now: the signals read the new history at once.
        let movie = try #require(
            (0..<catalog.movies.count).map(Int32.init).last {
                !rated.contains($0) && !shown.contains($0)
            })
        let latest = recommender.ratings(user: u).map(\.timestamp).max() ?? 0
        recommender.apply(userId: userId, movie: Int(movie), rating: 5, timestamp: latest + 60)
        let after = try recommender.recommend(userId: userId, n: 10)
        #expect(after.items.map(\.movie) != before.items.map(\.movie))
        #expect(!after.items.contains { $0.movie == movie }, "a rated movie is never recommended")
    }

    @Test("a request replayed at a moment (an evaluation's held-out pick) ranks as of its day, and is not cached")
    func replayedRequest() throws {
        let recommender = try EngineFixture.recommender()
        recommender.settings.freshnessBonus = 0  // the list in the ranker's own order
        let model = try #require(recommender.nextItem)
        #expect(model.signals.config.gapColumns == true, "the default ranker reads the request's day")
        let userId = EngineFixture.data.catalog.userIds[7]
        let u = try #require(recommender.userIndex(id: userId))
        let served = try recommender.recommend(userId: userId, n: 10).items.map(\.movie)
        let later = (recommender.ratings(user: u).map(\.timestamp).max() ?? 0) + 400 * 86_400
        let replayed = try recommender.recommend(userId: userId, n: 10, now: later).items.map(\.movie)
        // The model's ranking of the live history on that day, and on the served day (the timeline's end).
        let history = recommender.watchHistory(user: u)
        var skip = recommender.snapshot.seenMask(recommender.snapshot(user: u).seen)
        for m in history.movies { skip[Int(m)] = 1 }
        let onDay = model.recommend([history], skips: [skip], days: [Int32(later / 86_400)])[0].prefix(10)
            .map(\.movie)
        let today = model.recommend([history], skips: [skip])[0].prefix(10).map(\.movie)
        #expect(onDay != today, "a 400-day gap changes this user's list")
        #expect(replayed == onDay && served == today)
        let again = try recommender.recommend(userId: userId, n: 10).items.map(\.movie)
        #expect(again == served, "the cache keeps today's list")
    }

    @Test("a rating applied a moment ago changes the SASRec signal's list (the model reads the live history)")
    func ratingChangesSASRec() throws {
        let recommender = try EngineFixture.recommender()
        let sasrec = try #require(recommender.nextItem?.signals.sasrec, "the fixture's next-item model has SASRec")
        let userId = EngineFixture.data.catalog.userIds[12]
        let u = try #require(recommender.userIndex(id: userId))
        func top() -> [Int] {
            let history = recommender.watchHistory(user: u)
            let seen = Set(history.movies.map(Int.init))
            let s = sasrec.scores(history)
            return s.indices.filter { !seen.contains($0) }.sorted { s[$0] > s[$1] || (s[$0] == s[$1] && $0 < $1) }
                .prefix(10).map { $0 }
        }
        let before = top()
        // A liked movie outside that list: a changed list can only come from the model reading the new sequence.
        let rated = Set(recommender.ratings(user: u).map { Int($0.movie) })
        let movie = try #require(
            (0..<EngineFixture.data.catalog.movies.count).first { !rated.contains($0) && !before.contains($0) })
        let latest = recommender.ratings(user: u).map(\.timestamp).max() ?? 0
        recommender.apply(userId: userId, movie: movie, rating: 5, timestamp: latest + 60)
        let after = top()
        #expect(after != before)
        #expect(!after.contains(movie))
    }
}
