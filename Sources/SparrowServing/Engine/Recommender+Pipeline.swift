import CSparrowKernels
import Foundation
import SparrowCore
import SparrowEmbedding
import SparrowFeatures
import SparrowModels

/// A candidate movie with where it came from.
public struct Candidate: Sendable, Equatable {
    /// Dense movie index.
    public var movie: Int32
    /// Recall channel: `item2item`, `ann`, `genre`, `fresh`, `popular`.
    public var channel: String
    /// The liked movie that led here (item-to-item), or the genre index (genre channel).
    public var source: Int32?
    /// Final score after ranking and re-ranking.
    public var score: Float = 0
    /// Model probability (nil when unranked).
    public var probability: Float?
}

/// One recommendation answer.
public struct Recommendation: Sendable {
    /// The movies, best first.
    public var items: [Candidate]
    /// The model that ranked them ("popularity" when none applied).
    public var model: String
    /// How many candidates each channel produced (after de-duplication).
    public var recallSizes: [String: Int]
    /// Seconds spent in the model.
    public var inferenceSeconds: Double
}

extension Recommender {
    /// Recall: merge the channels (in priority order, first channel wins), never a movie the user has rated.
    func recall(user u: Int?, features: UserFeatures?, seen: Set<Int32>, vector: [Float]?, tower: [Int32] = [])
        -> [Candidate]
    {
        var out: [Candidate] = []
        out.reserveCapacity(settings.maxCandidates)
        var taken = seenMask(seen)
        func add(_ movie: Int32, _ channel: String, _ source: Int32? = nil) {
            guard out.count < settings.maxCandidates, taken[Int(movie)] == 0 else { return }
            taken[Int(movie)] = 1
            out.append(Candidate(movie: movie, channel: channel, source: source))
        }
        if let features {
            for m in features.recentPositives.prefix(settings.itemToItemSeeds) {
                for r in neighbours(of: m, k: settings.itemToItemPerMovie, seen: seen) { add(r, "item2item", m) }
            }
        }
        if let vector, let lsh {
            for r in lsh.search(vector, k: settings.annQuota).results {
                if let idx = catalog.movieIndex(id: r.id) { add(Int32(idx), "ann") }
            }
        }
        for m in tower { add(m, "two-tower") }
        for g in features?.topGenres.prefix(3) ?? [] {
            let before = out.count
            for m in genreRanking[Int(g)] where out.count - before < settings.genrePerGenre {
                add(m, "genre", Int32(g))
            }
        }
        for m in fresh.prefix(settings.freshQuota) { add(m, "fresh") }
        for m in popular.prefix(settings.popularQuota) { add(m, "popular") }
        return out
    }

    /// The `k` nearest item2vec neighbours of movie `m` that are not in `seen`: from a memo of each seed's nearest
    /// `k + 64`, or a full search when the user has rated too many of those.
    func neighbours(of m: Int32, k: Int, seen: Set<Int32>) -> [Int32] {
        guard let matrix = matrices["item2vec"], let v = matrix.vector(Int(m)) else { return [] }
        let depth = k + 64
        let memo = neighbourMemo.withLock { $0[m] }.flatMap { $0.count >= min(depth, matrix.count - 1) ? $0 : nil }
        let list = memo ?? matrix.top(Array(v), k: depth, skip: seenMask([m]))
        if memo == nil { neighbourMemo.withLock { $0[m] = list } }
        let unseen = list.lazy.map(\.movie).filter { !seen.contains($0) }.prefix(k)
        if unseen.count == k || list.count < depth { return Array(unseen) }
        return matrix.top(Array(v), k: k, skip: seenMask(seen.union([m]))).map(\.movie)
    }

    /// 1 for each movie index in `seen`, over the whole catalog (the skip mask of a search).
    func seenMask<S: Sequence<Int32>>(_ seen: S) -> [UInt8] {
        var mask = [UInt8](repeating: 0, count: catalog.movies.count)
        for m in seen { mask[Int(m)] = 1 }
        return mask
    }

    /// Rank: probabilities of `candidates` for user `u` by a loaded model, computed from the live user and movie
    /// states with the same feature code as training.
    func rank(
        _ candidates: [Candidate], user u: Int?, userId: Int32, features: UserFeatureState?,
        model loaded: ServingModels.Loaded,
        now: Int64
    ) -> [Float] {
        guard !candidates.isEmpty else { return [] }
        let userState = features ?? UserFeatureState(genreCount: catalog.genres.count)
        guard EncodedSamples.canPair(loaded.artifact.spec) else {
            return rankRows(candidates, user: u, userId: userId, features: userState, model: loaded, now: now)
        }
        return rankPaired(
            candidates.map { Int($0.movie) }, user: u, userId: userId, features: userState, loaded: loaded, now: now)
    }

    func probabilities(_ loaded: ServingModels.Loaded, _ encoded: EncodedSamples) -> [Float] {
        graphs.with { g in
            let logits = g.values(loaded.model.logits(encoded, on: g))
            return logits.map { 1 / (1 + exp(-$0)) }
        }
    }

    /// Rank by building one sample row per candidate — for specs with inputs that depend on both sides (and as the
    /// reference the paired path is tested against).
    func rankRows(
        _ candidates: [Candidate], user u: Int?, userId: Int32, features userState: UserFeatureState,
        model loaded: ServingModels.Loaded, now: Int64
    ) -> [Float] {
        var table = SampleTable(genres: catalog.genres)
        table.reserve(candidates.count)
        let userFeatures = userState.features()
        let movieStates = lock.withLock { candidates.map { movies[Int($0.movie)] } }
        for (c, state) in zip(candidates, movieStates) {
            let m = Int(c.movie)
            let row = SampleRow(
                ratingRow: -1, user: u ?? 0, movie: m, rating: 0, timestamp: now,
                movieFeatures: state.features(releaseYear: years[m], firstGenres: firstGenres[m]),
                userFeatures: userFeatures)
            table.append(row, catalog: catalog, userId: userId)
        }
        return probabilities(loaded, EncodedSamples(table, spec: loaded.artifact.spec, fields: loaded.model.usesFields))
    }

    /// Re-rank: maximal marginal relevance over genre overlap (Jaccard of genre bit masks), plus a small bonus for
    /// recent releases.
    /// - Complexity: O(n · pool), pool = max(5n, 50) best-scored candidates.
    func rerank(_ scored: [Candidate], n: Int, lambda: Double) -> [Candidate] {
        let currentYear = Double(Calendar(identifier: .gregorian).component(.year, from: Date()))
        var pool = scored.map { c -> Candidate in
            var c = c
            if let year = catalog.movies[Int(c.movie)].year, settings.freshnessYears > 0 {
                let age = max(0, currentYear - Double(year))
                c.score += Float(settings.freshnessBonus * max(0, 1 - age / settings.freshnessYears))
            }
            return c
        }
        let keep = max(n * 5, 50)
        if pool.count > keep {
            // Partial selection of the best `keep` in O(n), then only those sorted.
            var index = [Int32](repeating: 0, count: keep)
            var best = [Float](repeating: 0, count: keep)
            let found = Int(sparrow_top_k(pool.map(\.score), Int32(pool.count), Int32(keep), nil, &index, &best))
            pool = (0..<found).map { pool[Int(index[$0])] }
        }
        pool.sort { $0.score > $1.score || ($0.score == $1.score && $0.movie < $1.movie) }
        let masks = pool.map { genreMasks[Int($0.movie)] }
        var closest = [Double](repeating: 0, count: pool.count)
        var used = [Bool](repeating: false, count: pool.count)
        var chosen: [Candidate] = []
        while chosen.count < min(n, pool.count) {
            var best = -1
            var bestValue = -Double.infinity
            for i in pool.indices where !used[i] {
                let value = lambda * Double(pool[i].score) - (1 - lambda) * closest[i]
                if value > bestValue {
                    bestValue = value
                    best = i
                }
            }
            used[best] = true
            chosen.append(pool[best])
            let picked = masks[best]
            for i in pool.indices where !used[i] {
                let union = (masks[i] | picked).nonzeroBitCount
                let similarity = union == 0 ? 1 : Double((masks[i] & picked).nonzeroBitCount) / Double(union)
                closest[i] = max(closest[i], similarity)
            }
        }
        return chosen
    }

    /// Recommendations for a user id: recall → rank → re-rank. Unknown or new users get popular, diverse movies.
    public func recommend(userId: Int32, n: Int, model name: String? = nil, now: Int64? = nil) throws -> Recommendation
    {
        let modelName = name ?? settings.defaultModel
        let u = userIndex(id: userId)
        let live = u.map { self.snapshot(user: $0) }
        let features = live?.features
        let hasHistory = (features?.totalRatings ?? 0) > 0
        if hasHistory, modelName == NextItemModel.servedName, let nextItem, let u {
            // The default: next-item candidates ranked by the listwise ranker (no other recall channel runs).
            return recommendNext(user: u, seen: live?.seen ?? [], model: nextItem, n: n)
        }
        let tower =
            hasHistory
            ? twoTowerRecall(
                userId: userId, user: u, features: features!, seen: live?.seen ?? [], k: settings.twoTowerQuota) : []
        let candidates = recall(
            user: u, features: hasHistory ? features!.features() : nil, seen: live?.seen ?? [],
            vector: live?.vector, tower: tower)
        var sizes: [String: Int] = [:]
        for c in candidates { sizes[c.channel, default: 0] += 1 }
        guard hasHistory else {
            // Cold start: popular movies, spread across genres.
            var scored: [Candidate] = []
            for var c in candidates where c.channel == "popular" || c.channel == "fresh" {
                let average = stats(movie: Int(c.movie)).bayesian(priorMean: priorMean, weight: 10)
                c.score = Float(average / 5)
                scored.append(c)
            }
            return Recommendation(
                items: rerank(scored, n: n, lambda: 0.7), model: "popularity", recallSizes: sizes,
                inferenceSeconds: 0)
        }
        if modelName == "emb" {
            // The original's embedding ranker: cosine of the user vector and each movie vector.
            var scored = candidates
            let vectors = movieVectors["item2vec"]
            for i in scored.indices {
                let v = vectors?.vector(catalog.movies[Int(scored[i].movie)].id)
                if let v, let q = live?.vector {
                    let norm = q.reduce(0) { $0 + $1 * $1 }.squareRoot()
                    scored[i].score = zip(q, v).reduce(0) { $0 + $1.0 * $1.1 } / max(norm, 1e-12)
                } else {
                    scored[i].score = -1
                }
            }
            return Recommendation(
                items: rerank(scored, n: n, lambda: settings.diversityLambda), model: "emb",
                recallSizes: sizes, inferenceSeconds: 0)
        }
        guard let loaded = models.model(modelName) else {
            throw EngineError.unknownModel(
                modelName, available: ["emb", NextItemModel.servedName] + models.available.keys.sorted())
        }
        let start = ProcessStats.now()
        let probabilities = rank(
            candidates, user: u, userId: userId, features: features, model: loaded,
            now: now ?? Int64(Date().timeIntervalSince1970))
        let seconds = ProcessStats.now() - start
        var scored = candidates
        let counts = lock.withLock { candidates.map { stats[Int($0.movie)].count } }
        let top = log1p(Double(maxRatingCount))
        for i in scored.indices {
            let prior =
                settings.popularityExponent == 0 ? 1 : pow(log1p(Double(counts[i])) / top, settings.popularityExponent)
            scored[i].probability = probabilities[i]
            scored[i].score = probabilities[i] * Float(prior)
        }
        return Recommendation(
            items: rerank(scored, n: n, lambda: settings.diversityLambda), model: modelName,
            recallSizes: sizes, inferenceSeconds: seconds)
    }

    /// The next-item list of a user with a history: the ranked candidates and each served length are cached per user
    /// until their history changes.
    func recommendNext(user u: Int, seen: Set<Int32>, model nextItem: NextItemModel, n: Int) -> Recommendation {
        let start = ProcessStats.now()
        let version = historyVersion(user: u)
        var entry = rankedCache.withLock { $0[u] }
        if entry?.version != version {
            let history = watchHistory(user: u)
            // The history may be newer than `seen`: exclude both.
            var skip = seenMask(seen)
            for m in history.movies { skip[Int(m)] = 1 }
            entry = RankedEntry(version: history.count, ranked: nextItem.recommend(history, skip: skip))
        } else if var served = entry?.served[n] {
            served.inferenceSeconds = ProcessStats.now() - start
            return served
        }
        let ranked = entry!.ranked
        let seconds = ProcessStats.now() - start
        var sizes: [String: Int] = [:]
        var scored: [Candidate] = []
        for r in ranked.prefix(settings.maxCandidates) {
            sizes[r.found.rawValue, default: 0] += 1
            scored.append(Candidate(movie: r.movie, channel: r.found.rawValue, source: nil, score: r.score))
        }
        let answer = Recommendation(
            items: rerank(scored, n: n, lambda: settings.rankerDiversityLambda), model: NextItemModel.servedName,
            recallSizes: sizes, inferenceSeconds: seconds)
        entry!.served[n] = answer
        rankedCache.withLock {
            if $0.count >= rankedCacheLimit { $0.removeAll(keepingCapacity: true) }
            if ($0[u]?.version ?? -1) <= entry!.version { $0[u] = entry }
        }
        return answer
    }

    /// Movies similar to a movie by an embedding method, or by genre overlap and rating (`genre`), which also
    /// reaches movies without a vector (a movie with no ratings).
    public func similar(movie m: Int, n: Int, method: String) -> [(movie: Int32, score: Float)] {
        if method != "genre", let matrix = matrices[method], let v = matrix.vector(m) {
            return matrix.top(Array(v), k: n, skip: seenMask([Int32(m)])).map { ($0.movie, $0.score) }
        }
        let genres = Set(catalog.movies[m].genres)
        var scored: [(Int32, Float)] = []
        let candidates = Set(genres.flatMap { genreRanking[Int($0)].prefix(200) })
        for c in candidates where Int(c) != m {
            let other = Set(catalog.movies[Int(c)].genres)
            let jaccard = Double(genres.intersection(other).count) / Double(max(1, genres.union(other).count))
            let quality = stats(movie: Int(c)).bayesian(priorMean: priorMean, weight: 10) / 5
            scored.append((c, Float(0.7 * jaccard + 0.3 * quality)))
        }
        return scored.sorted { $0.1 > $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }.prefix(n).map { ($0.0, $0.1) }
    }

    /// Movies of a genre sorted by `rating` (Bayesian average), `releaseYear`, `popularity` or file order.
    public func movies(genre: Int16?, sortBy: String, offset: Int, limit: Int) -> [Int32] {
        var list: [Int32]
        if let genre {
            list = (0..<catalog.movies.count).filter { catalog.movies[$0].genres.contains(genre) }.map(Int32.init)
        } else {
            list = (0..<catalog.movies.count).map(Int32.init)
        }
        let snapshot = lock.withLock { stats }
        switch sortBy {
        case "rating":
            let keyed = list.map { ($0, snapshot[Int($0)].bayesian(priorMean: priorMean, weight: 10)) }
            list = keyed.sorted { $0.1 > $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }.map(\.0)
        case "releaseYear":
            let years = list.map { catalog.movies[Int($0)].year ?? 0 }
            list = zip(list, years).sorted { $0.1 > $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }.map(\.0)
        case "popularity":
            let counts = list.map { snapshot[Int($0)].count }
            list = zip(list, counts).sorted { $0.1 > $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }.map(\.0)
        default:
            break
        }
        return Array(list.dropFirst(offset).prefix(limit))
    }
}
