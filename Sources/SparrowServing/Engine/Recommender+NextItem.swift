import SparrowCore
import SparrowModels

extension Recommender {
    /// The next-item list of a user with a history: the ranked candidates and each served length are cached per user
    /// until their history changes or another model version serves. `day` is the request's day where the caller
    /// replays one (an evaluation: the held-out pick's day; never cached); nil, a request now.
    func recommendNext(
        user u: Int, seen: Set<Int32>, model nextItem: NextItemModel, modelVersion: Int,
        settings: RecommendationSettings, n: Int, day: Int32? = nil
    ) -> Recommendation {
        let start = ProcessStats.now()
        let (version, cached) = live.contents.withLock { ($0.state.historyVersion(user: u), $0.caches.ranked[u]) }
        var entry = day == nil ? cached : nil
        if entry?.version != version || entry?.modelVersion != modelVersion {
            entry = rankedEntries(users: [u], seen: [seen], model: nextItem, modelVersion: modelVersion, days: [day])[0]
        } else if var served = entry?.served[n] {
            served.inferenceSeconds = ProcessStats.now() - start
            return served
        }
        let ranked = entry!.ranked
        let seconds = ProcessStats.now() - start
        var sizes: [String: Int] = [:]
        var scored: [Candidate] = []
        for r in ranked.prefix(min(settings.maxCandidates, Self.rankedDepth)) {
            sizes[r.found.rawValue, default: 0] += 1
            scored.append(Candidate(movie: r.movie, channel: ChannelName(rawValue: r.found.rawValue), score: r.score))
        }
        let answer = Recommendation(
            items: current.withLock { $0.reranker(settings, lambda: settings.rankerDiversityLambda) }.rerank(
                scored, n: n),
            model: NextItemModel.servedName,
            recallSizes: sizes, inferenceSeconds: seconds)
        entry!.served[n] = answer
        guard day == nil else { return answer }
        let (limit, serving) = current.withLock { (rankedCacheLimit($0), $0.nextItem.version) }
        live.withCaches {
            if $0.ranked.count >= limit { $0.ranked.removeAll(keepingCapacity: true) }
            // Never replace a newer history's list, nor cache one of a model no longer serving.
            if ($0.ranked[u]?.version ?? -1) <= entry!.version, serving == modelVersion { $0.ranked[u] = entry }
        }
        return answer
    }

    /// Users' ranked candidates by `model` from their live histories (`seen`: each one's seen set; `days`: each
    /// request's day, nil for a request now), each the same as alone, ranked as one batch
    /// (`NextItemModel.recommend(_:skips:days:)`): the offline lists and a hot reload's warm-up rank many users.
    func rankedEntries(
        users: [Int], seen: [Set<Int32>], model: NextItemModel, modelVersion: Int, days: [Int32?]? = nil
    ) -> [RankedEntry] {
        precondition(users.count == seen.count, "one seen set per user")
        let read = users.map(versionedWatchHistory(user:))
        let histories = read.map(\.history)
        let snapshot = self.snapshot
        let skips = zip(histories, seen).map { history, seen in
            // The history may be newer than `seen`: exclude both.
            var skip = snapshot.seenMask(seen)
            for m in history.movies { skip[Int(m)] = 1 }
            return skip
        }
        return zip(read, model.recommend(histories, skips: skips, days: days)).map { read, ranked in
            RankedEntry(
                version: read.version, modelVersion: modelVersion, ranked: Array(ranked.prefix(Self.rankedDepth)))
        }
    }

    /// Users ranked together by `rankedEntries` when many are (the offline lists, a warm-up): the item tables of the
    /// catalogue-wide signals are read once per batch.
    static let rankingBatch = 32

    /// The version of everything computed from a user's history: it changes with every rating added or replaced.
    func historyVersion(user u: Int) -> Int { live.historyVersion(user: u) }

    /// Users whose ranked lists the cache holds before it is cleared: room for every user of the catalogue (the
    /// lists computed offline hold one each) and as many new ones.
    func rankedCacheLimit(_ snapshot: ServingSnapshot) -> Int { max(100_000, 2 * snapshot.catalog.userIds.count) }

    /// Every movie a user rated, in time order (ties in arrival order): the next-item model's input.
    public func watchHistory(user u: Int) -> RatingHistory { versionedWatchHistory(user: u).history }

    /// The user's watch history and the history version it was read at (`historyVersion`), read together.
    func versionedWatchHistory(user u: Int) -> (history: RatingHistory, version: Int) {
        let (ratings, version) = live.withState { ($0.history[u], $0.historyVersion(user: u)) }
        var h = RatingHistory()
        for r in ratings.enumerated().sorted(by: {
            $0.element.timestamp < $1.element.timestamp
                || ($0.element.timestamp == $1.element.timestamp && $0.offset < $1.offset)
        }) {
            h.append(r.element.movie, at: r.element.timestamp, liked: r.element.score >= likedThreshold)
        }
        return (h, version)
    }
}

/// One user's cached next-item work (see `LiveStore.Caches.ranked`): the ranked list and each served length stay
/// valid until the user's history version changes (every rating added or replaced changes it, and it only grows, so
/// a cached list is never stale).
struct RankedEntry: Sendable {
    /// The history version it was computed from (`historyVersion`).
    var version: Int
    /// The next-item version that ranked it.
    var modelVersion: Int
    /// The ranker's candidates, best first.
    var ranked: [(movie: Int32, score: Float, found: NextItemSignals.Signal)]
    /// The re-ranked lists served so far, by length.
    var served: [Int: Recommendation] = [:]
}
