import SparrowCore
import SparrowModels

extension Recommender {
    /// The next-item list of a user with a history: the ranked candidates and each served length are cached per user
    /// until their history changes or another model version serves. `day` is the request's day where the caller
    /// replays one (an evaluation: the held-out pick's day; never cached); nil, a request now.
    func recommendNext(
        user u: Int, seen: Set<Int32>, model nextItem: NextItemModel, modelVersion: Int, n: Int, day: Int32? = nil
    ) -> Recommendation {
        let start = ProcessStats.now()
        let settings = self.settings  // one read: each read takes the settings lock
        let version = historyVersion(user: u)
        var entry = day == nil ? rankedCache.withLock { $0[u] } : nil
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
            items: reranker(settings, lambda: settings.rankerDiversityLambda).rerank(scored, n: n),
            model: NextItemModel.servedName,
            recallSizes: sizes, inferenceSeconds: seconds)
        entry!.served[n] = answer
        guard day == nil else { return answer }
        rankedCache.withLock {
            if $0.count >= rankedCacheLimit { $0.removeAll(keepingCapacity: true) }
            // Never replace a newer history's list, nor cache one of a model no longer serving.
            if ($0[u]?.version ?? -1) <= entry!.version, nextItemVersion == modelVersion { $0[u] = entry }
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
        let histories = users.map(watchHistory(user:))
        let skips = zip(histories, seen).map { history, seen in
            // The history may be newer than `seen`: exclude both.
            var skip = seenMask(seen)
            for m in history.movies { skip[Int(m)] = 1 }
            return skip
        }
        return zip(histories, model.recommend(histories, skips: skips, days: days)).map { history, ranked in
            RankedEntry(
                version: history.count, modelVersion: modelVersion, ranked: Array(ranked.prefix(Self.rankedDepth)))
        }
    }

    /// Users ranked together by `rankedEntries` when many are (the offline lists, a warm-up): the item tables of the
    /// catalogue-wide signals are read once per batch.
    static let rankingBatch = 32

    /// The number of ratings applied to a user: the version of everything computed from their history.
    func historyVersion(user u: Int) -> Int { liveState.withLock { $0.history[u].count } }

    /// Every movie a user rated, in time order (ties in arrival order): the next-item model's input.
    func watchHistory(user u: Int) -> RatingHistory {
        let ratings = liveState.withLock { $0.history[u] }
        var h = RatingHistory()
        for r in ratings.enumerated().sorted(by: {
            $0.element.timestamp < $1.element.timestamp
                || ($0.element.timestamp == $1.element.timestamp && $0.offset < $1.offset)
        }) {
            h.append(r.element.movie, at: r.element.timestamp, liked: r.element.score >= likedThreshold)
        }
        return h
    }
}

/// One user's cached next-item work (see `Recommender.rankedCache`).
struct RankedEntry: Sendable {
    /// The history length it was computed from.
    var version: Int
    /// The next-item version that ranked it.
    var modelVersion: Int
    /// The ranker's candidates, best first.
    var ranked: [(movie: Int32, score: Float, found: NextItemSignals.Signal)]
    /// The re-ranked lists served so far, by length.
    var served: [Int: Recommendation] = [:]
}
